import { between, type MsRange } from '../random.ts';
import { type Behaviour, type BehaviourTools, OK_BODY } from './types.ts';

export interface SlowOptions {
  /** Response delay, ms (default 600–800: above the example's 400ms SLO for fraud screening). */
  delayMs?: MsRange;
}

/** Default delay of a slow answer, ms. */
export const SLOW_DELAY_MS: MsRange = { min: 600, max: 800 };

/**
 * Answers correctly (`200 { "status": "ok" }`) but slower than its integration's SLO latency
 * target, so the integration is up yet `degraded`. Its probe must not have a `duration <`
 * condition under the delay, or the slowness becomes a failure instead.
 */
export function slow(tools: BehaviourTools, options: SlowOptions = {}): Behaviour {
  const delayMs = options.delayMs ?? SLOW_DELAY_MS;
  return {
    name: 'slow',
    summary: `answers correctly but slowly, in ${delayMs.min}-${delayMs.max}ms`,
    answer: () => ({ kind: 'reply', status: 200, body: OK_BODY, delayMs: between(tools.random, delayMs) }),
  };
}
