import { between, type MsRange } from '../random.ts';
import { type Behaviour, type BehaviourTools, OK_BODY } from './types.ts';

export interface HealthyOptions {
  /** Response delay, ms (default 2–8: a few ms of jitter). */
  delayMs?: MsRange;
}

/** Default delay of a healthy answer, ms. */
export const HEALTHY_DELAY_MS: MsRange = { min: 2, max: 8 };

/**
 * Answers `200 { "status": "ok" }` after a few ms.
 *
 * @example
 * healthy(tools).answer(Date.now()); // { kind: 'reply', status: 200, body: { status: 'ok' }, delayMs: 5 }
 */
export function healthy(tools: BehaviourTools, options: HealthyOptions = {}): Behaviour {
  const delayMs = options.delayMs ?? HEALTHY_DELAY_MS;
  return {
    name: 'healthy',
    summary: `answers correctly in ${delayMs.min}-${delayMs.max}ms`,
    answer: () => ({ kind: 'reply', status: 200, body: OK_BODY, delayMs: between(tools.random, delayMs) }),
  };
}
