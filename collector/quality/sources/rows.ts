import { toTimestampMs } from '../timestamps.ts';
import {
  type Aggregate,
  type ColumnType,
  type InvalidRule,
  type ObservedColumn,
  SourceError,
} from '../types.ts';
import { compareCodePoints, valueType, widenType } from './column-types.ts';

/** A record as file and HTTP sources read it: field name to value. */
export type Row = Record<string, unknown>;

const isMissing = (v: unknown) => v === null || v === undefined || v === '';
const KEY_SEPARATOR = '\u001f';
const NULL_PART = '\u0000null';

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value.trim());
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

const asText = (value: unknown) =>
  typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);

function invalidTest(rule: InvalidRule): (value: unknown) => boolean {
  const regex = rule.pattern === undefined ? undefined : new RegExp(rule.pattern, 'u');
  const allowed = rule.values === undefined ? undefined : new Set(rule.values.map(String));
  return (value) => {
    const text = asText(value);
    if (regex && !regex.test(text)) return true;
    if (allowed && !allowed.has(text)) return true;
    if (rule.min !== undefined || rule.max !== undefined) {
      const n = toNumber(value);
      if (n === undefined) return true;
      if (rule.min !== undefined && n < rule.min) return true;
      if (rule.max !== undefined && n > rule.max) return true;
    }
    return false;
  };
}

/** Folds one aggregate over the rows as they stream by; memory is bounded by the rows read. */
interface Folder {
  add(row: Row): void;
  result(): unknown;
}

function folder(aggregate: Aggregate, sourceNewest: () => unknown): Folder {
  switch (aggregate.kind) {
    case 'count': {
      let n = 0;
      return { add: () => void n++, result: () => n };
    }
    case 'newest': {
      const column = aggregate.column;
      if (column === undefined) return { add: () => {}, result: sourceNewest };
      let newest: number | undefined;
      return {
        add(row) {
          const ms = toTimestampMs(row[column]);
          if (ms !== undefined && (newest === undefined || ms > newest)) newest = ms;
        },
        result: () => (newest === undefined ? null : new Date(newest)),
      };
    }
    case 'missing': {
      let n = 0;
      const column = aggregate.column;
      return { add: (row) => void (isMissing(row[column]) && n++), result: () => n };
    }
    case 'invalid': {
      let n = 0;
      const column = aggregate.column;
      const invalid = invalidTest(aggregate.rule);
      return {
        add(row) {
          const value = row[column];
          if (!isMissing(value) && invalid(value)) n++;
        },
        result: () => n,
      };
    }
    case 'sum': {
      let sum: number | null = null;
      const column = aggregate.column;
      return {
        add(row) {
          const n = toNumber(row[column]);
          if (n !== undefined) sum = (sum ?? 0) + n;
        },
        result: () => sum,
      };
    }
    case 'duplicates': {
      const seen = new Set<string>();
      let rows = 0;
      const key = aggregate.key;
      return {
        add(row) {
          rows++;
          seen.add(
            key
              .map((c) => (isMissing(row[c]) && row[c] !== '' ? NULL_PART : asText(row[c])))
              .join(KEY_SEPARATOR),
          );
        },
        result: () => rows - seen.size,
      };
    }
  }
}

/**
 * Computes aggregates over a stream of rows in one pass, and infers column types from the values
 * seen. A source built on it streams its rows through; more than `maxRows` rows is an error.
 */
export async function foldRows(
  rows: AsyncIterable<Row> | Iterable<Row>,
  aggregates: Aggregate[],
  options: { maxRows: number; what: string; sourceNewest?: () => unknown },
): Promise<unknown[]> {
  const folders = aggregates.map((a) => folder(a, options.sourceNewest ?? (() => null)));
  let n = 0;
  for await (const row of rows) {
    if (++n > options.maxRows)
      throw new SourceError(`${options.what}: more than ${options.maxRows} rows (settings.quality.maxRows)`);
    for (const f of folders) f.add(row);
  }
  return folders.map((f) => f.result());
}

/** Columns and types seen in the first `sample` rows, in the order they first appear. */
export async function inferColumns(
  rows: AsyncIterable<Row> | Iterable<Row>,
  options: { sample: number; header?: string[]; json?: boolean },
): Promise<ObservedColumn[]> {
  const types = new Map<string, ColumnType | undefined>((options.header ?? []).map((h) => [h, undefined]));
  let n = 0;
  for await (const row of rows) {
    for (const [name, value] of Object.entries(row))
      types.set(name, widenType(types.get(name), valueType(value, options.json)));
    if (++n >= options.sample) break;
  }
  return [...types].map(([name, type]) => ({ name, type: type ?? 'string', sourceType: 'inferred' }));
}

/** The distinct values of a key, sorted by code point, in batches; keys with a missing part are left out. */
export async function* sortedKeys(
  rows: AsyncIterable<Row> | Iterable<Row>,
  columns: string[],
  options: { maxRows: number; what: string; batch?: number },
): AsyncIterable<string[]> {
  const keys = new Set<string>();
  let n = 0;
  for await (const row of rows) {
    if (++n > options.maxRows)
      throw new SourceError(`${options.what}: more than ${options.maxRows} rows (settings.quality.maxRows)`);
    const parts = columns.map((c) => row[c]);
    if (parts.some((p) => p === null || p === undefined)) continue;
    keys.add(parts.map(asText).join(KEY_SEPARATOR));
  }
  const sorted = [...keys].sort(compareCodePoints);
  const size = options.batch ?? 5_000;
  for (let i = 0; i < sorted.length; i += size) yield sorted.slice(i, i + size);
}
