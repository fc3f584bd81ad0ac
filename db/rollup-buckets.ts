/**
 * Upper bounds, in seconds, of the duration histogram kept in every probe rollup: from 5 ms to
 * 5 min, Prometheus-style `le` bounds. The store owns them because stored rollups are counted
 * against them; the `/metrics` histograms use the same ones so both views line up. Changing them
 * changes what stored `duration_buckets` arrays mean, so it needs a data migration.
 */
export const ROLLUP_DURATION_BUCKETS_SECONDS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300,
]);

/**
 * Index of the histogram bucket a duration falls in: the first bound it does not exceed, or
 * `ROLLUP_DURATION_BUCKETS_SECONDS.length` (the +Inf bucket) when it exceeds them all.
 *
 * @example
 * durationBucketIndex(5); // 0 (≤ 0.005 s)
 * durationBucketIndex(301_000); // 15 (+Inf)
 */
export function durationBucketIndex(durationMs: number): number {
  const seconds = durationMs / 1000;
  const bounds = ROLLUP_DURATION_BUCKETS_SECONDS;
  for (let i = 0; i < bounds.length; i++) if (seconds <= (bounds[i] as number)) return i;
  return bounds.length;
}
