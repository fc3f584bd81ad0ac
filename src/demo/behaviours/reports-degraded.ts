import { between, type MsRange } from '../random.ts';
import { HEALTHY_DELAY_MS } from './healthy.ts';
import { type Behaviour, type BehaviourTools, OK_BODY } from './types.ts';

export interface ReportsDegradedOptions {
  /** Share of requests answered with `{ "status": "degraded" }`, 0–1 (default 0.3). */
  share?: number;
  /** Response delay, ms (default 2–8). */
  delayMs?: MsRange;
}

const DEGRADED = Object.freeze({ status: 'degraded' });

/**
 * Always answers 200, quickly, but on a random `share` of requests the body says
 * `{ "status": "degraded" }`, so a condition such as `body.$.status == "ok"` fails (failure class
 * `condition`) while the status code alone looks fine.
 */
export function reportsDegraded(tools: BehaviourTools, options: ReportsDegradedOptions = {}): Behaviour {
  const share = options.share ?? 0.3;
  const delayMs = options.delayMs ?? HEALTHY_DELAY_MS;
  return {
    name: 'reports-degraded',
    summary: `answers 200 but {"status":"degraded"} on ~${Math.round(share * 100)}% of requests`,
    answer: () => ({
      kind: 'reply',
      status: 200,
      body: tools.random() < share ? DEGRADED : OK_BODY,
      delayMs: between(tools.random, delayMs),
    }),
  };
}
