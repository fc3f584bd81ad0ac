import { formatDuration } from '../../../src/config/duration.ts';
import { describePair, judge } from '../judge.ts';
import { toTimestampMs } from '../timestamps.ts';
import type { CheckKind, CheckOf } from './types.ts';

/** Measures a newest timestamp: the column's largest value, or what the source reports (a file time). */
export function newestOf(raw: unknown): number | undefined {
  return toTimestampMs(raw);
}

/**
 * Age of the newest record: now minus the newest timestamp of `column` (or the CSV drop's file
 * time). Higher is worse. No timestamp at all (an empty table) fails: there is no fresh data.
 */
export const freshnessCheck: CheckKind<CheckOf<'freshness'>> = {
  aggregates: (check) => [{ kind: 'newest', column: check.column }],
  columns: (check) => (check.column ? [check.column] : []),
  async evaluate(check, context) {
    const threshold = describePair(check);
    const raw = context.value({ kind: 'newest', column: check.column });
    const newest = newestOf(raw);
    const what = check.column ? `column ${check.column}` : 'the source';
    if (newest === undefined)
      return {
        outcome: 'fail',
        value: null,
        unit: 'seconds',
        threshold,
        message:
          raw === null || raw === undefined
            ? `no timestamp in ${what}: no data`
            : `${what} holds no timestamp (${String(raw).slice(0, 40)})`,
      };
    const ageMs = Math.max(0, context.now - newest);
    const outcome = judge(ageMs, check);
    return {
      outcome,
      value: ageMs / 1000,
      unit: 'seconds',
      threshold,
      observed: newest,
      message: `newest ${new Date(newest).toISOString()}, ${formatDuration(Math.round(ageMs / 1000) * 1000)} old`,
      details: { newest: new Date(newest).toISOString() },
    };
  },
};
