import { countOrPercent, describePair, judge, percentOf, round } from '../judge.ts';
import type { CheckKind, CheckOf } from './types.ts';

/** Rows whose column is NULL, absent or empty, as a count or a percent of the rows. Higher is worse. */
export const missingCheck: CheckKind<CheckOf<'missing'>> = {
  aggregates: (check) => [{ kind: 'count' }, { kind: 'missing', column: check.column }],
  columns: (check) => [check.column],
  async evaluate(check, context) {
    const rows = Number(context.value({ kind: 'count' }));
    const missing = Number(context.value({ kind: 'missing', column: check.column }));
    const { value, unit } = countOrPercent(check, missing, rows);
    return {
      outcome: judge(value, check),
      value,
      unit,
      threshold: describePair(check),
      rows,
      message: `${missing} of ${rows} rows missing ${check.column} (${round(percentOf(missing, rows))}%)`,
      details: { column: check.column, missing, completeness: rows === 0 ? 1 : 1 - missing / rows },
    };
  },
};
