import type { ColumnType, ObservedColumn, SchemaChange } from './types.ts';

/** Whether an observed type satisfies an expected one: equal, or an integer where a number is expected. */
export const typeSatisfies = (observed: ColumnType, expected: ColumnType) =>
  observed === expected || (expected === 'number' && observed === 'integer');

/** Added, removed and retyped columns from `before` to `after`, in column order. */
export function diffColumns(
  before: readonly ObservedColumn[],
  after: readonly ObservedColumn[],
): SchemaChange[] {
  const old = new Map(before.map((c) => [c.name, c]));
  const now = new Map(after.map((c) => [c.name, c]));
  const changes: SchemaChange[] = [];
  for (const c of before)
    if (!now.has(c.name)) changes.push({ column: c.name, change: 'removed', from: c.type });
  for (const c of after) {
    const previous = old.get(c.name);
    if (!previous) changes.push({ column: c.name, change: 'added', to: c.type });
    else if (previous.type !== c.type)
      changes.push({ column: c.name, change: 'retyped', from: previous.type, to: c.type });
  }
  return changes;
}

/** A change in a few words: `+badge (string)`, `-email`, `price string→number`. */
export function describeChange(change: SchemaChange): string {
  if (change.change === 'added') return `+${change.column} (${change.to})`;
  if (change.change === 'removed') return `-${change.column}`;
  return `${change.column} ${change.from}→${change.to}`;
}
