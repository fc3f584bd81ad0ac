import { describePair, judge, round, worst } from '../judge.ts';
import type { QualityOutcome } from '../types.ts';
import type { CheckKind, CheckOf } from './types.ts';

/**
 * Rows in the dataset against absolute bounds (`min` lower is worse, `max` higher is worse) and
 * against the previous successful run (`change`, the absolute change as a percent of it). The
 * outcome is the worst of the three. Without a previous run, `change` is not judged.
 */
export const rowCountCheck: CheckKind<CheckOf<'row_count'>> = {
  aggregates: () => [{ kind: 'count' }],
  columns: () => [],
  async evaluate(check, context) {
    const rows = Number(context.value({ kind: 'count' }));
    const threshold = {
      ...describePair(check.min, 'lower', 'min '),
      ...describePair(check.max, 'higher', 'max '),
      ...describePair(check.change, 'higher', 'change '),
    };
    let outcome: QualityOutcome = 'pass';
    const notes: string[] = [];
    if (check.min) {
      const o = judge(rows, check.min, 'lower');
      if (o !== 'pass') notes.push(`below the ${o} minimum ${(check.min[o] as { value: number }).value}`);
      outcome = worst(outcome, o);
    }
    if (check.max) {
      const o = judge(rows, check.max, 'higher');
      if (o !== 'pass') notes.push(`above the ${o} maximum ${(check.max[o] as { value: number }).value}`);
      outcome = worst(outcome, o);
    }
    const details: Record<string, unknown> = {};
    if (check.change) {
      const [previous] = await context.history.observed(context.datasetId, context.name, 1);
      if (previous === undefined) notes.push('no previous run to compare with');
      else {
        const change = previous === 0 ? (rows === 0 ? 0 : 100) : (Math.abs(rows - previous) / previous) * 100;
        const o = judge(change, check.change, 'higher');
        details.previous = previous;
        details.changePercent = round(change);
        notes.push(`${rows >= previous ? '+' : '-'}${round(change)}% since the previous run (${previous})`);
        outcome = worst(outcome, o);
      }
    }
    return {
      outcome,
      value: rows,
      unit: 'rows',
      threshold,
      rows,
      observed: rows,
      message: [`${rows} rows`, ...notes].join(', '),
      details,
    };
  },
};
