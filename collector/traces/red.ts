import type { RequestOutcome } from './outcome.ts';

export const MINUTE_MS = 60_000;

/**
 * Rate, errors and duration of one integration over one UTC minute, as counted by one call of
 * the trace processor: a delta to add to what is stored, never a running total.
 */
export interface RedDelta {
  integrationId: string;
  /** Start of the UTC minute, Unix ms: the counted span's end time, floored. */
  minute: number;
  requests: Record<RequestOutcome, number>;
  durationSumSeconds: number;
  /**
   * Non-cumulative counts per bound of `durationBucketsSeconds` (a duration equal to a bound falls
   * in that bound's slot, as Prometheus `le` does), then one slot for +Inf.
   */
  durationBuckets: number[];
}

/** Start of the UTC minute holding `ms` (Unix ms, fractional allowed). */
export function minuteOf(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

/** The slot of `seconds` in non-cumulative buckets over ascending `bounds`: bounds.length is +Inf. */
export function bucketIndex(bounds: readonly number[], seconds: number): number {
  let i = 0;
  while (i < bounds.length && seconds > (bounds[i] as number)) i++;
  return i;
}

/** Throws a RangeError unless `bounds` is a non-empty, strictly ascending list of finite numbers. */
export function checkBuckets(bounds: readonly number[]): void {
  if (bounds.length === 0) throw new RangeError('durationBucketsSeconds: expected at least one bound');
  for (let i = 0; i < bounds.length; i++) {
    const bound = bounds[i] as number;
    if (!Number.isFinite(bound) || (i > 0 && bound <= (bounds[i - 1] as number)))
      throw new RangeError('durationBucketsSeconds: expected finite bounds in strictly ascending order');
  }
}

/** Sums counted spans into {@link RedDelta}s, one per integration and minute. */
export interface RedAccumulator {
  /** Counts one call of `integrationId` that ended at `endTimeMs` and lasted `durationMs`. */
  add(integrationId: string, endTimeMs: number, durationMs: number, outcome: RequestOutcome): void;
  /** The deltas summed since the last take, in the order first added; starts over empty. */
  take(): RedDelta[];
}

/**
 * @param durationBucketsSeconds ascending upper bounds in seconds, e.g. DURATION_BUCKETS_SECONDS.
 * @example
 * const red = createRedAccumulator([0.1, 1]);
 * red.add('checkout-to-psp', span.endTimeMs, span.endTimeMs - span.startTimeMs, 'success');
 * red.take(); // [{ integrationId: 'checkout-to-psp', minute, requests: { success: 1, … }, … }]
 */
export function createRedAccumulator(durationBucketsSeconds: readonly number[]): RedAccumulator {
  checkBuckets(durationBucketsSeconds);
  const bounds = [...durationBucketsSeconds];
  // Per integration, the few minutes one batch touches: a short list beats a composite key.
  let byIntegration = new Map<string, RedDelta[]>();
  let order: RedDelta[] = [];

  function deltaFor(integrationId: string, minute: number): RedDelta {
    let list = byIntegration.get(integrationId);
    if (list === undefined) {
      list = [];
      byIntegration.set(integrationId, list);
    }
    for (const delta of list) if (delta.minute === minute) return delta;
    const delta: RedDelta = {
      integrationId,
      minute,
      requests: { success: 0, client_error: 0, server_error: 0, error: 0 },
      durationSumSeconds: 0,
      durationBuckets: new Array<number>(bounds.length + 1).fill(0),
    };
    list.push(delta);
    order.push(delta);
    return delta;
  }

  return {
    add(integrationId, endTimeMs, durationMs, outcome) {
      const delta = deltaFor(integrationId, minuteOf(endTimeMs));
      const seconds = durationMs > 0 ? durationMs / 1000 : 0;
      delta.requests[outcome]++;
      delta.durationSumSeconds += seconds;
      const slot = bucketIndex(bounds, seconds);
      delta.durationBuckets[slot] = (delta.durationBuckets[slot] ?? 0) + 1;
    },
    take() {
      const taken = order;
      byIntegration = new Map();
      order = [];
      return taken;
    },
  };
}
