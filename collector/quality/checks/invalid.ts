import { countOrPercent, describePair, judge, percentOf, round } from '../judge.ts';
import type { InvalidRule } from '../types.ts';
import type { CheckKind, CheckOf } from './types.ts';

const ruleOf = (check: CheckOf<'invalid'>): InvalidRule => {
  const rule: InvalidRule = {};
  if (check.pattern !== undefined) rule.pattern = check.pattern;
  if (check.values !== undefined) rule.values = check.values;
  if (check.min !== undefined) rule.min = check.min;
  if (check.max !== undefined) rule.max = check.max;
  return rule;
};

function describeRule(rule: InvalidRule): string {
  const parts: string[] = [];
  if (rule.pattern !== undefined) parts.push(`matching /${rule.pattern}/`);
  if (rule.values !== undefined)
    parts.push(
      `one of ${rule.values
        .slice(0, 5)
        .map((v) => JSON.stringify(v))
        .join(', ')}${rule.values.length > 5 ? ', …' : ''}`,
    );
  if (rule.min !== undefined && rule.max !== undefined) parts.push(`a number in [${rule.min}, ${rule.max}]`);
  else if (rule.min !== undefined) parts.push(`a number ≥ ${rule.min}`);
  else if (rule.max !== undefined) parts.push(`a number ≤ ${rule.max}`);
  return parts.join(' and ');
}

/**
 * Rows whose column holds a value that breaks the rule: not matching `pattern`, not one of
 * `values` (compared as text), or not a number within `min`..`max`. Missing values are the
 * `missing` check's business, not invalid. A count or a percent of all rows; higher is worse.
 */
export const invalidCheck: CheckKind<CheckOf<'invalid'>> = {
  aggregates: (check) => [{ kind: 'count' }, { kind: 'invalid', column: check.column, rule: ruleOf(check) }],
  columns: (check) => [check.column],
  async evaluate(check, context) {
    const rule = ruleOf(check);
    const rows = Number(context.value({ kind: 'count' }));
    const invalid = Number(context.value({ kind: 'invalid', column: check.column, rule }));
    const { value, unit } = countOrPercent(check, invalid, rows);
    return {
      outcome: judge(value, check),
      value,
      unit,
      threshold: describePair(check),
      rows,
      message: `${invalid} of ${rows} rows have ${check.column} not ${describeRule(rule)} (${round(percentOf(invalid, rows))}%)`,
      details: { column: check.column, invalid },
    };
  },
};
