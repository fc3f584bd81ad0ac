/** Per-integration sums over minute rows: a count, its good part, its errors and duration buckets. */
export interface MinuteSum {
  integrationId: string;
  count: number;
  good: number;
  errors: number;
  durationBuckets: number[];
}

/** minute, integration id, count, good, errors, duration buckets as JSON: one row of a minute rollup, read raw. */
export type MinuteRow = [number, string, number, number, number, string];

const MINUTE = 60_000;

/** Adds (sign 1) or takes away (sign −1) one integration's counts. */
function add(
  into: Map<string, MinuteSum>,
  id: string,
  count: number,
  good: number,
  errors: number,
  buckets: number[],
  sign = 1,
) {
  let sum = into.get(id);
  if (!sum) {
    sum = { integrationId: id, count: 0, good: 0, errors: 0, durationBuckets: [] };
    into.set(id, sum);
  }
  sum.count += sign * count;
  sum.good += sign * good;
  sum.errors += sign * errors;
  const target = sum.durationBuckets;
  for (let i = 0; i < buckets.length; i++) target[i] = (target[i] ?? 0) + sign * (buckets[i] as number);
}

const copy = (sum: MinuteSum): MinuteSum => ({ ...sum, durationBuckets: [...sum.durationBuckets] });

/**
 * Sums of a minute rollup (probe minutes, request minutes) over a window of whole minutes, per
 * integration, for jobs that read the same trailing hour every minute. Minutes before `settled` no longer change:
 * each is read and parsed once and kept, and a running total over the kept part of the window
 * moves with it (the minutes that enter are added, those that leave taken away; the counts are
 * integers, so it stays exact). Only the minutes after `settled` are read on every call. Minutes
 * well before the window are dropped, so the memory is about one window of minutes.
 *
 * @example
 * const sums = createMinuteSums((from, to) => statement.raw().iterate(from, to));
 * sums(now - 3_600_000, now + 1, sealedUntil); // [{ integrationId, count, good, errors, durationBuckets }]
 */
export function createMinuteSums(
  read: (from: number, to: number) => Iterable<MinuteRow>,
): (from: number, to: number, settled: number) => MinuteSum[] {
  const minutes = new Map<number, Map<string, MinuteSum>>();

  function load(from: number, to: number) {
    for (let m = from; m < to; m += MINUTE) minutes.set(m, new Map());
    for (const [minute, id, count, good, errors, json] of read(from, to)) {
      const sums = minutes.get(Math.floor(minute / MINUTE) * MINUTE);
      if (sums) add(sums, id, count, good, errors, JSON.parse(json) as number[]);
    }
  }

  // The running total covers the kept minutes in [totalFrom, totalTo).
  let total = new Map<string, MinuteSum>();
  let totalFrom = 0;
  let totalTo = 0;
  const shift = (from: number, to: number, sign: number) => {
    for (let m = from; m < to; m += MINUTE)
      for (const sum of minutes.get(m)?.values() ?? [])
        add(total, sum.integrationId, sum.count, sum.good, sum.errors, sum.durationBuckets, sign);
  };

  return (from, to, settled) => {
    const first = Math.ceil(from / MINUTE) * MINUTE;
    const cachedTo = Math.max(first, Math.min(to, Math.floor(settled / MINUTE) * MINUTE));
    // Load the settled minutes not yet kept, as one range from the first missing one.
    let missing = first;
    while (missing < cachedTo && minutes.has(missing)) missing += MINUTE;
    if (missing < cachedTo) {
      let end = missing;
      while (end < cachedTo && !minutes.has(end)) end += MINUTE;
      load(missing, end);
      for (let m = end; m < cachedTo; m += MINUTE) if (!minutes.has(m)) load(m, m + MINUTE);
    }

    if (first >= totalTo || cachedTo <= totalFrom) {
      total = new Map();
      shift(first, cachedTo, 1);
    } else {
      shift(totalFrom, first, -1);
      shift(first, totalFrom, 1);
      shift(totalTo, cachedTo, 1);
      shift(cachedTo, totalTo, -1);
    }
    totalFrom = first;
    totalTo = cachedTo;
    // Keep a few minutes before the window: two jobs may ask for windows a minute apart.
    for (const minute of minutes.keys())
      if (minute < first - 10 * MINUTE || minute >= cachedTo) minutes.delete(minute);

    const out = new Map<string, MinuteSum>();
    for (const sum of total.values())
      if (sum.count !== 0 || sum.durationBuckets.some((n) => n !== 0)) out.set(sum.integrationId, copy(sum));
    for (const [, id, count, good, errors, json] of read(cachedTo, to))
      add(out, id, count, good, errors, JSON.parse(json) as number[]);
    return [...out.values()];
  };
}
