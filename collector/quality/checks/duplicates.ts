import { countOrPercent, describePair, judge, percentOf, round } from '../judge.ts';
import type { CheckKind, CheckOf } from './types.ts';

/**
 * Rows beyond the first of each key value (`rows − distinct keys`), as a count or a percent of the
 * rows. NULL key parts compare equal, as in GROUP BY. Higher is worse.
 */
export const duplicatesCheck: CheckKind<CheckOf<'duplicates'>> = {
  aggregates: (check) => [{ kind: 'count' }, { kind: 'duplicates', key: check.key }],
  columns: (check) => check.key,
  async evaluate(check, context) {
    const rows = Number(context.value({ kind: 'count' }));
    const duplicates = Number(context.value({ kind: 'duplicates', key: check.key }));
    const { value, unit } = countOrPercent(check, duplicates, rows);
    return {
      outcome: judge(value, check),
      value,
      unit,
      threshold: describePair(check),
      rows,
      message: `${duplicates} duplicate rows over (${check.key.join(', ')}) in ${rows} (${round(percentOf(duplicates, rows))}%)`,
      details: { key: check.key, duplicates, ratio: rows === 0 ? 0 : duplicates / rows },
    };
  },
};
