import { describePair, judge, round } from '../judge.ts';
import { toTimestampMs } from '../timestamps.ts';
import type { CheckKind, CheckOf } from './types.ts';

/**
 * The smallest spread a z-score divides by: 1% of the mean's size, and at least 1 (one row, one
 * second), so a series that never moved does not turn its first small change into an infinite z.
 */
export function effectiveSpread(mean: number, stdev: number): number {
  return Math.max(stdev, Math.abs(mean) * 0.01, 1);
}

/** Mean and population standard deviation. */
export function meanAndSpread(values: readonly number[]): { mean: number; stdev: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length;
  return { mean, stdev: Math.sqrt(variance) };
}

/**
 * Volume or freshness against its own recent past: the z-score of this run's figure (rows, or
 * the age in seconds of the newest record) against the mean and standard deviation of the last
 * `window` successful runs of this check. `|z|` above `warn`/`fail` warns or fails. With fewer
 * than `minHistory` earlier runs the check passes with no value and says it is learning.
 */
export const anomalyCheck: CheckKind<CheckOf<'anomaly'>> = {
  aggregates: (check) =>
    check.metric === 'row_count' ? [{ kind: 'count' }] : [{ kind: 'newest', column: check.column }],
  columns: (check) => (check.column ? [check.column] : []),
  async evaluate(check, context) {
    const threshold = describePair(check);
    let figure: number;
    if (check.metric === 'row_count') figure = Number(context.value({ kind: 'count' }));
    else {
      const newest = toTimestampMs(context.value({ kind: 'newest', column: check.column }));
      if (newest === undefined)
        return {
          outcome: 'fail',
          value: null,
          unit: 'z',
          threshold,
          message: 'no timestamp: no data to judge',
        };
      figure = Math.max(0, (context.now - newest) / 1000);
    }
    const unitName = check.metric === 'row_count' ? 'rows' : 's old';
    const history = await context.history.observed(context.datasetId, context.name, check.window);
    if (history.length < check.minHistory)
      return {
        outcome: 'pass',
        value: null,
        unit: 'z',
        threshold,
        observed: figure,
        message: `learning: ${history.length} of ${check.minHistory} runs of history (${round(figure)} ${unitName} now)`,
        details: { figure, history: history.length },
      };
    const { mean, stdev } = meanAndSpread(history);
    const z = (figure - mean) / effectiveSpread(mean, stdev);
    const value = round(z);
    return {
      outcome: judge(Math.abs(z), check),
      value,
      unit: 'z',
      threshold,
      observed: figure,
      message: `${round(figure)} ${unitName} against a mean of ${round(mean)} ± ${round(stdev)} over ${history.length} runs: z = ${value}`,
      details: { figure, mean, stdev, history: history.length },
    };
  },
};
