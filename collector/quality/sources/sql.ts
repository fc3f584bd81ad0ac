import type { Aggregate, InvalidRule } from '../types.ts';

/** What differs between the SQL engines the quality sources speak. */
export interface SqlDialect {
  /** Placeholder of the n-th (1-based) parameter. */
  param(n: number): string;
  /** The expression as text. */
  text(expr: string): string;
  /** The expression as a number, NULL when it is not one. */
  number(expr: string): string;
  /** Whether the text expression matches the regular expression in the parameter. */
  regex(textExpr: string, param: string): string;
  /** The separator joining the parts of a multi-column key (U+001F). */
  separator: string;
  /** Appended to the key expression so keys sort by code point. */
  binaryOrder: string;
}

/** Quotes an identifier (validated at config load to letters, digits and `_`), keeping a schema prefix. */
export function quoteIdent(name: string): string {
  return name
    .split('.')
    .map((part) => `"${part.replaceAll('"', '""')}"`)
    .join('.');
}

/** The dataset's rows as a FROM item: its table, or its query as a subquery. */
export function relation(source: { table?: string | undefined; query?: string | undefined }): string {
  if (source.table !== undefined) return quoteIdent(source.table);
  return `(${(source.query as string).replace(/;\s*$/, '')}) AS ecotone_dataset`;
}

/** A statement and its parameters. */
export interface Statement {
  sql: string;
  params: unknown[];
}

function invalidCondition(column: string, rule: InvalidRule, d: SqlDialect, params: unknown[]): string {
  const col = quoteIdent(column);
  const add = (value: unknown) => {
    params.push(value);
    return d.param(params.length);
  };
  const parts: string[] = [];
  if (rule.pattern !== undefined) parts.push(d.regex(d.text(col), add(rule.pattern)));
  if (rule.values !== undefined)
    parts.push(`${d.text(col)} IN (${rule.values.map((v) => add(String(v))).join(', ')})`);
  if (rule.min !== undefined || rule.max !== undefined) {
    const num = d.number(col);
    parts.push(`${num} IS NOT NULL`);
    if (rule.min !== undefined) parts.push(`${num} >= ${add(rule.min)}`);
    if (rule.max !== undefined) parts.push(`${num} <= ${add(rule.max)}`);
  }
  const present = `${col} IS NOT NULL AND ${d.text(col)} <> ''`;
  return `${present} AND NOT (${parts.join(' AND ')})`;
}

/**
 * One SELECT computing every aggregate but `duplicates` in a single scan of the relation, so
 * the database does the work and one row comes back. Columns are named a0, a1, … by position.
 */
export function aggregateStatement(aggregates: Aggregate[], from: string, d: SqlDialect): Statement {
  const params: unknown[] = [];
  const expressions = aggregates.map((a, i): string => {
    const alias = `a${i}`;
    switch (a.kind) {
      case 'count':
        return `COUNT(*) AS ${alias}`;
      case 'newest':
        if (a.column === undefined) throw new Error('a SQL source needs a column for newest');
        return `MAX(${quoteIdent(a.column)}) AS ${alias}`;
      case 'sum':
        return `SUM(${d.number(quoteIdent(a.column))}) AS ${alias}`;
      case 'missing': {
        const col = quoteIdent(a.column);
        return `COALESCE(SUM(CASE WHEN ${col} IS NULL OR ${d.text(col)} = '' THEN 1 ELSE 0 END), 0) AS ${alias}`;
      }
      case 'invalid':
        return `COALESCE(SUM(CASE WHEN ${invalidCondition(a.column, a.rule, d, params)} THEN 1 ELSE 0 END), 0) AS ${alias}`;
      default:
        throw new Error('duplicates are computed by duplicatesStatement');
    }
  });
  return { sql: `SELECT ${expressions.join(', ')} FROM ${from}`, params };
}

/** Rows beyond the first of each key value (NULLs group together, as in GROUP BY). */
export function duplicatesStatement(key: string[], from: string): Statement {
  const cols = key.map(quoteIdent).join(', ');
  return {
    sql: `SELECT COALESCE(SUM(n - 1), 0) AS d FROM (SELECT COUNT(*) AS n FROM ${from} GROUP BY ${cols} HAVING COUNT(*) > 1) AS ecotone_groups`,
    params: [],
  };
}

/** Distinct key values as text, sorted by code point; keys with a NULL part are left out. */
export function keysStatement(columns: string[], from: string, d: SqlDialect): Statement {
  const expr = columns.map((c) => d.text(quoteIdent(c))).join(` || ${d.separator} || `);
  return {
    sql: `SELECT DISTINCT k FROM (SELECT (${expr})${d.binaryOrder} AS k FROM ${from}) AS ecotone_keys WHERE k IS NOT NULL ORDER BY k`,
    params: [],
  };
}

/** SQLite: text by CAST, numbers by type or exact round trip, regex by a registered function. */
export const SQLITE_DIALECT: SqlDialect = {
  param: () => '?',
  text: (e) => `CAST(${e} AS TEXT)`,
  number: (e) =>
    `(CASE WHEN typeof(${e}) IN ('integer', 'real') THEN ${e} WHEN typeof(${e}) = 'text' AND trim(${e}) <> '' AND (CAST(CAST(${e} AS REAL) AS TEXT) = trim(${e}) OR CAST(CAST(${e} AS INTEGER) AS TEXT) = trim(${e})) THEN CAST(${e} AS REAL) END)`,
  regex: (t, p) => `ecotone_regexp(${p}, ${t})`,
  separator: 'char(31)',
  binaryOrder: '',
};

/** PostgreSQL: text by ::text, numbers parsed from text, POSIX regular expressions by ~. */
export const POSTGRES_DIALECT: SqlDialect = {
  param: (n) => `$${n}`,
  text: (e) => `(${e})::text`,
  number: (e) =>
    `(CASE WHEN (${e})::text ~ '^\\s*[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*$' THEN (${e})::text::double precision END)`,
  regex: (t, p) => `(${t} ~ ${p})`,
  separator: 'chr(31)',
  binaryOrder: ' COLLATE "C"',
};

/** Separates the aggregates a single SELECT computes from the duplicates that need their own. */
export function splitAggregates(aggregates: Aggregate[]): {
  scan: { aggregate: Aggregate; index: number }[];
  duplicates: { key: string[]; index: number }[];
} {
  const scan: { aggregate: Aggregate; index: number }[] = [];
  const duplicates: { key: string[]; index: number }[] = [];
  aggregates.forEach((aggregate, index) => {
    if (aggregate.kind === 'duplicates') duplicates.push({ key: aggregate.key, index });
    else scan.push({ aggregate, index });
  });
  return { scan, duplicates };
}
