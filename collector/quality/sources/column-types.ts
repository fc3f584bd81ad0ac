import type { ColumnType } from '../types.ts';

/** SQLite declared type to logical type, by SQLite's own affinity rules plus dates and booleans. */
export function sqliteColumnType(declared: string | null): ColumnType {
  const t = (declared ?? '').toUpperCase();
  if (t === '') return 'other';
  if (t.includes('BOOL')) return 'boolean';
  if (t.includes('DATE') || t.includes('TIME')) return 'timestamp';
  if (t.includes('JSON')) return 'json';
  if (t.includes('INT')) return 'integer';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'string';
  if (
    t.includes('REAL') ||
    t.includes('FLOA') ||
    t.includes('DOUB') ||
    t.includes('NUMERIC') ||
    t.includes('DECIMAL')
  )
    return 'number';
  return 'other';
}

/** PostgreSQL built-in type OIDs to logical types. */
const POSTGRES_TYPES: Record<number, [ColumnType, string]> = {
  16: ['boolean', 'boolean'],
  20: ['integer', 'bigint'],
  21: ['integer', 'smallint'],
  23: ['integer', 'integer'],
  25: ['string', 'text'],
  114: ['json', 'json'],
  700: ['number', 'real'],
  701: ['number', 'double precision'],
  1042: ['string', 'character'],
  1043: ['string', 'character varying'],
  1082: ['timestamp', 'date'],
  1114: ['timestamp', 'timestamp'],
  1184: ['timestamp', 'timestamptz'],
  1700: ['number', 'numeric'],
  2950: ['string', 'uuid'],
  3802: ['json', 'jsonb'],
};

export function postgresColumnType(oid: number): { type: ColumnType; sourceType: string } {
  const known = POSTGRES_TYPES[oid];
  return known ? { type: known[0], sourceType: known[1] } : { type: 'other', sourceType: `oid ${oid}` };
}

const INTEGER = /^[-+]?\d+$/;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * The logical type one value suggests, for sources without declared types. CSV values are all
 * text, so their text is read (`42` an integer); JSON values keep their JSON type (`"42"` a
 * string), and only ISO 8601 texts are read as timestamps.
 */
export function valueType(value: unknown, json = false): ColumnType | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'object') return 'json';
  const text = String(value).trim();
  if (json) return TIMESTAMP.test(text) && !Number.isNaN(Date.parse(text)) ? 'timestamp' : 'string';
  if (text === 'true' || text === 'false') return 'boolean';
  if (INTEGER.test(text)) return 'integer';
  if (NUMBER.test(text)) return 'number';
  if (TIMESTAMP.test(text) && !Number.isNaN(Date.parse(text))) return 'timestamp';
  return 'string';
}

/** Combines the types seen so far in a column: integer and number widen to number, other mixes to string. */
export function widenType(a: ColumnType | undefined, b: ColumnType | undefined): ColumnType | undefined {
  if (a === undefined) return b;
  if (b === undefined || a === b) return a;
  if ((a === 'integer' && b === 'number') || (a === 'number' && b === 'integer')) return 'number';
  return 'string';
}

/** The code-point order SQLite's BINARY collation and PostgreSQL's "C" collation sort text in. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral code points) sort above U+E000-U+FFFF in code-point order.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
