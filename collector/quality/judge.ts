import { formatDuration } from '../../src/config/duration.ts';
import type { Bound, QualityOutcome } from './types.ts';

export type Worse = 'higher' | 'lower';

/** A pair of thresholds on one value. */
export interface ThresholdPair {
  warn?: Bound | undefined;
  fail?: Bound | undefined;
}

const SEVERITY: Record<QualityOutcome, number> = { pass: 0, warn: 1, fail: 2, error: 3 };

/** The worse of two outcomes (error above fail above warn above pass). */
export const worst = (a: QualityOutcome, b: QualityOutcome): QualityOutcome =>
  SEVERITY[b] > SEVERITY[a] ? b : a;

/**
 * Compares a value (in the thresholds' unit) with its thresholds. A threshold is the last
 * acceptable value: equal to it passes, past it (above when higher is worse, below when lower
 * is worse) warns or fails.
 */
export function judge(value: number, pair: ThresholdPair, worse: Worse = 'higher'): 'pass' | 'warn' | 'fail' {
  const past = (bound: Bound | undefined) =>
    bound !== undefined && (worse === 'higher' ? value > bound.value : value < bound.value);
  if (past(pair.fail)) return 'fail';
  if (past(pair.warn)) return 'warn';
  return 'pass';
}

/** A bound as written in the config: `6h`, `2%`, `1000`, `3`. */
export function formatBound(bound: Bound): string {
  if (bound.unit === 'percent') return `${bound.value}%`;
  if (bound.unit === 'ms') return formatDuration(bound.value);
  return String(bound.value);
}

/** Thresholds as text, e.g. `{ warn: "> 6h", fail: "> 1d" }`, optionally prefixed (`min `). */
export function describePair(
  pair: ThresholdPair | undefined,
  worse: Worse = 'higher',
  prefix = '',
): Record<string, string> {
  const out: Record<string, string> = {};
  if (!pair) return out;
  const op = worse === 'higher' ? '>' : '<';
  for (const level of ['warn', 'fail'] as const) {
    const bound = pair[level];
    if (bound) out[`${prefix}${level}`] = `${op} ${formatBound(bound)}`;
  }
  return out;
}

/** A count as a percent of the rows (0 when there are no rows). */
export const percentOf = (count: number, rows: number) => (rows === 0 ? 0 : (count / rows) * 100);

/** Rounds for display: at most 4 significant decimals. */
export const round = (n: number) => Math.round(n * 10_000) / 10_000;

/** Picks the value in the unit the thresholds are written in: a count, or a percent of the rows. */
export function countOrPercent(
  pair: ThresholdPair,
  count: number,
  rows: number,
): { value: number; unit: 'count' | 'percent' } {
  const unit = (pair.warn ?? pair.fail)?.unit === 'percent' ? 'percent' : 'count';
  return unit === 'percent' ? { value: round(percentOf(count, rows)), unit } : { value: count, unit };
}
