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

function add(
  into: Map<string, MinuteSum>,
  id: string,
  count: number,
  good: number,
  errors: number,
  buckets: number[],
) {
  const sum = into.get(id);
  if (!sum) {
    into.set(id, { integrationId: id, count, good, errors, durationBuckets: [...buckets] });
    return;
  }
  sum.count += count;
  sum.good += good;
  sum.errors += errors;
  const target = sum.durationBuckets;
  for (let i = 0; i < buckets.length; i++) target[i] = (target[i] ?? 0) + (buckets[i] as number);
}

/**
 * Sums of a minute rollup (probe minutes, request minutes) over a window of whole minutes, per integration, for
 * jobs that read the same trailing hour every minute. Minutes before `settled` no longer change:
 * each is read and parsed once and kept, summed per integration; only the minutes after it are
 * read again on every call. Minutes that fall out of the windows asked for are dropped, so the
 * memory is about one window of minutes.
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

  return (from, to, settled) => {
    const first = Math.ceil(from / MINUTE) * MINUTE;
    const cachedTo = Math.max(first, Math.min(to, Math.floor(settled / MINUTE) * MINUTE));
    for (const minute of minutes.keys()) if (minute < first || minute >= cachedTo) minutes.delete(minute);
    // Load the settled minutes not yet kept, as one range from the first missing one.
    let missing = first;
    while (missing < cachedTo && minutes.has(missing)) missing += MINUTE;
    if (missing < cachedTo) load(missing, cachedTo);

    const out = new Map<string, MinuteSum>();
    for (let m = first; m < cachedTo; m += MINUTE)
      for (const sum of minutes.get(m)?.values() ?? [])
        add(out, sum.integrationId, sum.count, sum.good, sum.errors, sum.durationBuckets);
    for (const [, id, count, good, errors, json] of read(cachedTo, to))
      add(out, id, count, good, errors, JSON.parse(json) as number[]);
    return [...out.values()];
  };
}
