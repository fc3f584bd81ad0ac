import { describePair, judge } from '../judge.ts';
import { describeChange, diffColumns, typeSatisfies } from '../schema-diff.ts';
import type { Bound, SchemaChange } from '../types.ts';
import type { CheckKind, CheckOf } from './types.ts';

const ZERO: Bound = { unit: 'count', value: 0 };

/**
 * Differences in the columns: against the declared `columns` (a missing or retyped column, or
 * one not declared), or without them against the columns of the previous run. The value is the
 * number of differences; higher is worse. Without warn or fail, any difference fails.
 */
export const schemaCheck: CheckKind<CheckOf<'schema'>> = {
  aggregates: () => [],
  columns: () => [],
  async evaluate(check, context) {
    const observed = await context.columns();
    const pair = check.warn === undefined && check.fail === undefined ? { fail: ZERO } : check;
    let changes: SchemaChange[];
    let against: string;
    if (check.columns) {
      against = 'the declared columns';
      const expected = Object.entries(check.columns);
      const seen = new Map(observed.map((c) => [c.name, c]));
      changes = [];
      for (const [name, type] of expected) {
        const column = seen.get(name);
        if (!column) changes.push({ column: name, change: 'removed', from: type });
        else if (!typeSatisfies(column.type, type))
          changes.push({ column: name, change: 'retyped', from: type, to: column.type });
      }
      for (const column of observed)
        if (!(column.name in check.columns))
          changes.push({ column: column.name, change: 'added', to: column.type });
    } else {
      against = 'the previous run';
      const previous = await context.history.lastColumns(context.datasetId);
      changes = previous ? diffColumns(previous, observed) : [];
      if (!previous) against = 'nothing yet (first observation)';
    }
    const differences = changes.length;
    return {
      outcome: judge(differences, pair),
      value: differences,
      unit: 'differences',
      threshold: describePair(pair),
      message:
        differences === 0
          ? `${observed.length} columns, as ${against === 'the declared columns' ? 'declared' : 'before'}`
          : `${differences} difference${differences === 1 ? '' : 's'} from ${against}: ${changes.map(describeChange).join(', ')}`,
      details: { changes, columns: observed },
    };
  },
};
