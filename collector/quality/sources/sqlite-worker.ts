import Database from 'better-sqlite3';
import type { Aggregate } from '../types.ts';
import {
  aggregateStatement,
  duplicatesStatement,
  keysStatement,
  SQLITE_DIALECT,
  splitAggregates,
} from './sql.ts';

/** Requests the main thread sends; each answer carries the request's id. */
export type SqliteRequest =
  | { id: number; op: 'columns' }
  | { id: number; op: 'aggregate'; aggregates: Aggregate[] }
  | { id: number; op: 'keys'; columns: string[]; batch: number }
  | { id: number; op: 'next' };

export type SqliteReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

export interface SqliteWorkerData {
  path: string;
  relation: string;
}

const { path, relation } = JSON.parse(process.argv[2] ?? '{}') as SqliteWorkerData;
const send = (reply: SqliteReply) => (process.send as NonNullable<typeof process.send>)(reply);

// Read-only twice over: the file is opened read-only, and query_only refuses writes from a query.
function open(): Database.Database {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma('query_only = ON');
  const patterns = new Map<string, RegExp>();
  db.function('ecotone_regexp', { deterministic: true }, (pattern: unknown, value: unknown) => {
    if (value === null || value === undefined) return null;
    let regex = patterns.get(String(pattern));
    if (!regex) {
      regex = new RegExp(String(pattern), 'u');
      patterns.set(String(pattern), regex);
    }
    return regex.test(String(value)) ? 1 : 0;
  });
  return db;
}

let db: Database.Database;
try {
  db = open();
} catch (error) {
  send({ id: 0, ok: false, error: (error as Error).message });
  process.disconnect();
  process.exit(0);
}

let keyIterator: IterableIterator<unknown> | undefined;
let keyBatch = 1000;

function handle(request: SqliteRequest): unknown {
  switch (request.op) {
    case 'columns':
      return db
        .prepare(`SELECT * FROM ${relation} LIMIT 0`)
        .columns()
        .map((c) => ({ name: c.name, declared: c.type }));
    case 'aggregate': {
      const out: unknown[] = new Array(request.aggregates.length);
      const { scan, duplicates } = splitAggregates(request.aggregates);
      if (scan.length > 0) {
        const statement = aggregateStatement(
          scan.map((s) => s.aggregate),
          relation,
          SQLITE_DIALECT,
        );
        const row = db
          .prepare(statement.sql)
          .raw()
          .get(...(statement.params as unknown[])) as unknown[];
        scan.forEach((s, i) => {
          out[s.index] = row[i];
        });
      }
      for (const d of duplicates) {
        const statement = duplicatesStatement(d.key, relation);
        out[d.index] = db.prepare(statement.sql).pluck().get();
      }
      return out;
    }
    case 'keys': {
      const statement = keysStatement(request.columns, relation, SQLITE_DIALECT);
      keyIterator = db.prepare(statement.sql).pluck().iterate() as IterableIterator<unknown>;
      keyBatch = request.batch;
      return nextBatch();
    }
    case 'next':
      return nextBatch();
  }
}

function nextBatch(): string[] {
  const batch: string[] = [];
  if (!keyIterator) return batch;
  while (batch.length < keyBatch) {
    const next = keyIterator.next();
    if (next.done) {
      keyIterator = undefined;
      break;
    }
    batch.push(String(next.value));
  }
  return batch;
}

process.on('message', (request: SqliteRequest) => {
  let reply: SqliteReply;
  try {
    reply = { id: request.id, ok: true, value: handle(request) };
  } catch (error) {
    reply = { id: request.id, ok: false, error: (error as Error).message };
  }
  send(reply);
});
// The parent going away (or killing the reader at a timeout) ends this process.
process.on('disconnect', () => process.exit(0));
send({ id: 0, ok: true, value: 'ready' });
