import { between, type MsRange, type Random } from '../random.ts';
import { HEALTHY_DELAY_MS } from './healthy.ts';
import { type Behaviour, type BehaviourTools, OK_BODY } from './types.ts';

export interface FlappingOptions {
  /** Long-run share of requests that fail, 0 < ratio < 1 (default 0.4). */
  failureRatio?: number;
  /** Most failures in a row (default 2: under the default failureThreshold of 3, so never down). */
  maxFailureRun?: number;
  /** Share of failures that reset the connection instead of answering 503 (default 0.25). */
  resetShare?: number;
  /** Response delay, ms (default 2–8). */
  delayMs?: MsRange;
}

const UNAVAILABLE = Object.freeze({ status: 'unavailable' });

/**
 * Fails on a random share of requests, in runs: runs of 1 to `maxFailureRun` failures alternate
 * with runs of successes whose length is geometric, sized so that `failureRatio` of requests fail.
 * A failure is a `503 { "status": "unavailable" }` or, for `resetShare` of them, a connection reset.
 * The state advances per request, whoever sends it.
 *
 * @example
 * const psp = flapping(tools); // ~40% failures, never 3 in a row
 */
export function flapping(tools: BehaviourTools, options: FlappingOptions = {}): Behaviour {
  const failureRatio = options.failureRatio ?? 0.4;
  const maxFailureRun = options.maxFailureRun ?? 2;
  const resetShare = options.resetShare ?? 0.25;
  const delayMs = options.delayMs ?? HEALTHY_DELAY_MS;
  const meanFailureRun = (1 + maxFailureRun) / 2;
  const meanSuccessRun = (meanFailureRun * (1 - failureRatio)) / failureRatio;
  if (!(failureRatio > 0 && failureRatio < 1) || !Number.isInteger(maxFailureRun) || maxFailureRun < 1)
    throw new RangeError('flapping: expected 0 < failureRatio < 1 and a whole maxFailureRun >= 1');
  if (meanSuccessRun < 1)
    throw new RangeError(
      `flapping: failureRatio ${failureRatio} needs runs longer than maxFailureRun ${maxFailureRun}`,
    );

  const { random } = tools;
  let failing = true;
  let left = 0;
  return {
    name: 'flapping',
    summary: `fails ~${Math.round(failureRatio * 100)}% of requests (HTTP 503 or connection reset), at most ${maxFailureRun} in a row`,
    answer() {
      if (left === 0) {
        failing = !failing;
        left = failing ? 1 + Math.floor(random() * maxFailureRun) : geometric(random, meanSuccessRun);
      }
      left -= 1;
      const delay = between(random, delayMs);
      if (!failing) return { kind: 'reply', status: 200, body: OK_BODY, delayMs: delay };
      if (random() < resetShare) return { kind: 'reset', delayMs: delay };
      return { kind: 'reply', status: 503, body: UNAVAILABLE, delayMs: delay };
    },
  };
}

/** A run length >= 1 with the given mean: the number of tries up to the first success. */
function geometric(random: Random, mean: number): number {
  const p = 1 / mean;
  if (p >= 1) return 1;
  return 1 + Math.floor(Math.log(1 - random()) / Math.log(1 - p));
}
