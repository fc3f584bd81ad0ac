/**
 * Quantile of sorted values by linear interpolation between the closest ranks (R's type 7, the
 * spreadsheet default): q = 0.5 of [1, 2, 3, 4] is 2.5. Undefined for no values.
 */
export function quantile(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const low = sorted[below] as number;
  const high = sorted[Math.min(below + 1, sorted.length - 1)] as number;
  return low + (high - low) * (position - below);
}

/**
 * Shannon diversity index H = −Σ pᵢ ln pᵢ over the share of each category, in nats: 0 when every
 * item is in one category, ln(k) when k categories are equally common.
 */
export function shannonIndex(counts: Iterable<number>): number {
  const values = [...counts].filter((n) => n > 0);
  const total = values.reduce((a, b) => a + b, 0);
  if (total === 0) return 0;
  return values.reduce((h, n) => h - (n / total) * Math.log(n / total), 0);
}

/**
 * Share of observations at or under `limitSeconds`, from per-bucket (not cumulative) counts over
 * `bounds` plus +Inf: whole buckets below the limit count, the bucket holding it counts in
 * proportion (observations spread evenly inside a bucket). Undefined without observations.
 */
export function shareWithin(counts: readonly number[], bounds: readonly number[], limitSeconds: number) {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return undefined;
  let within = 0;
  let lower = 0;
  for (let i = 0; i < counts.length; i++) {
    const upper = bounds[i] ?? Infinity;
    const n = counts[i] ?? 0;
    if (upper <= limitSeconds) within += n;
    else {
      if (limitSeconds > lower && Number.isFinite(upper))
        within += (n * (limitSeconds - lower)) / (upper - lower);
      break;
    }
    lower = upper;
  }
  return within / total;
}
