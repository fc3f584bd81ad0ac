/**
 * The raw limit of this machine for the ingest bench: plain better-sqlite3 in this process, on a
 * fresh file with the store's pragmas, doing only the writes the product must do for the same
 * data, one transaction per request-sized batch and nothing else (no HTTP, no parsing, no
 * validation, no hashing, no grouping of batches into one commit).
 *
 * The tables are created from the product's own migrations (the statements that create or alter
 * that table and its indexes), so they have the same columns and indexes as the product's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { percentile } from '../probes/processes.ts';
import { type EventRow, eventTime } from './event-batches.ts';

const MIGRATIONS = new URL('../../db/migrations/', import.meta.url).pathname;
/** Slots of a stored duration histogram: the store's 15 bounds and +Inf. */
const BUCKET_SLOTS = 16;

export interface RawResult {
  /** Items (events or spans) per second. */
  unitsPerSecond: number;
  /** Transaction latency, ms. */
  latencyMs: { p50: number; p99: number };
  transactions: number;
}

/** The migration statements that shape `table`: CREATE TABLE, its indexes, ALTER TABLE. */
export function tableDdl(table: string): string[] {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  const quoted = `\`${table}\``;
  return journal.entries
    .flatMap(({ tag }) =>
      readFileSync(join(MIGRATIONS, `${tag}.sql`), 'utf8').split('--> statement-breakpoint'),
    )
    .map((statement) => statement.trim())
    .filter(
      (s) =>
        s.startsWith(`CREATE TABLE ${quoted}`) ||
        s.startsWith(`ALTER TABLE ${quoted}`) ||
        (/^CREATE (UNIQUE )?INDEX/.test(s) && s.includes(` ON ${quoted}`)),
    );
}

/** Opens a fresh file the way `db/sqlite/open.ts` does (pragmas), with only the given tables. */
function openRaw(path: string, synchronous: 'full' | 'normal', tables: string[]): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.pragma('temp_store = MEMORY');
  db.pragma('journal_size_limit = 67108864');
  for (const table of tables) {
    const ddl = tableDdl(table);
    if (ddl.length === 0) throw new Error(`no migration creates table ${table}`);
    for (const statement of ddl) db.exec(statement);
  }
  return db;
}

function timed(seconds: number, unitsPerTransaction: number, transaction: (n: number) => void): RawResult {
  const latencies: number[] = [];
  const started = performance.now();
  const end = started + seconds * 1_000;
  let n = 0;
  for (let now = started; now < end; n++) {
    transaction(n);
    const after = performance.now();
    latencies.push(after - now);
    now = after;
  }
  const sorted = Float64Array.from(latencies).sort();
  return {
    unitsPerSecond: (n * unitsPerTransaction) / ((performance.now() - started) / 1_000),
    latencyMs: { p50: percentile(sorted, 50), p99: percentile(sorted, 99) },
    transactions: n,
  };
}

/**
 * Inserts the bench's event rows into an `events` table, `rows[i].length` rows per transaction,
 * for `seconds`. Row `k` of batch `n` gets id `ids(n)[k]`, so every row is new, and the times
 * and receive time the service would store for a batch sent now, as in the bench.
 */
export function rawEventInserts(options: {
  path: string;
  synchronous: 'full' | 'normal';
  templates: EventRow[][];
  ids: (batch: number) => string[];
  seconds: number;
}): RawResult {
  const db = openRaw(options.path, options.synchronous, ['events']);
  try {
    const insert = db.prepare(
      `INSERT INTO events
         (id, type, time, received_at, source, participant_id, integration_id, channel, customer_id,
          user_id, amount, currency, unattributed, hash, data)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const batchSize = options.templates[0]?.length ?? 0;
    const write = db.transaction((rows: EventRow[], ids: string[]) => {
      const now = Date.now();
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i] as EventRow;
        const time = eventTime(now, i, rows.length);
        insert.run(
          ids[i],
          row[1],
          time,
          now,
          row[4],
          row[5],
          row[6],
          row[7],
          row[8],
          row[9],
          row[10],
          row[11],
          row[12],
          row[13],
          row[14],
        );
      }
    });
    return timed(options.seconds, batchSize, (n) =>
      write(options.templates[n % options.templates.length] as EventRow[], options.ids(n)),
    );
  } finally {
    db.close();
  }
}

/**
 * Per span batch, the rows the product upserts for it and nothing else: `requestMinutes`
 * per-integration-minute rows, `workflowMinutes` per-workflow-minute rows and `edges` discovered
 * edges (rounded), each an `INSERT … ON CONFLICT DO UPDATE` adding counts, in one transaction per
 * batch, on the same keys batch after batch as in the bench (one minute, the same integrations).
 */
export function rawSpanUpserts(options: {
  path: string;
  synchronous: 'full' | 'normal';
  spansPerBatch: number;
  writes: { requestMinutes: number; workflowMinutes: number; edges: number };
  seconds: number;
}): RawResult {
  const db = openRaw(options.path, options.synchronous, [
    'request_minutes',
    'workflow_minutes',
    'discovered_edges',
  ]);
  try {
    const upsertRequest = db.prepare(
      `INSERT INTO request_minutes
         (integration_id, minute, success, client_error, server_error, error, duration_sum_seconds, duration_buckets)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (integration_id, minute) DO UPDATE SET
         success = success + excluded.success,
         client_error = client_error + excluded.client_error,
         server_error = server_error + excluded.server_error,
         error = error + excluded.error,
         duration_sum_seconds = duration_sum_seconds + excluded.duration_sum_seconds,
         duration_buckets = excluded.duration_buckets`,
    );
    const upsertWorkflow = db.prepare(
      `INSERT INTO workflow_minutes
         (workflow_id, minute, started, completed, failed, abandoned, duration_sum_seconds, duration_buckets)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (workflow_id, minute) DO UPDATE SET
         started = started + excluded.started,
         completed = completed + excluded.completed,
         failed = failed + excluded.failed,
         abandoned = abandoned + excluded.abandoned,
         duration_sum_seconds = duration_sum_seconds + excluded.duration_sum_seconds,
         duration_buckets = excluded.duration_buckets`,
    );
    const upsertEdge = db.prepare(
      `INSERT INTO discovered_edges
         (id, caller_service, callee_service, caller_system_id, callee_system_id, first_seen, last_seen, calls, errors)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (caller_service, callee_service) DO UPDATE SET
         first_seen = min(first_seen, excluded.first_seen),
         last_seen = max(last_seen, excluded.last_seen),
         calls = calls + excluded.calls,
         errors = errors + excluded.errors`,
    );
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const buckets = JSON.stringify(Array.from({ length: BUCKET_SLOTS }, (_, i) => (i * 37) % 101));
    const counts = Math.round(options.writes.requestMinutes);
    const workflows = Math.round(options.writes.workflowMinutes);
    const edges = Math.round(options.writes.edges);
    const write = db.transaction((n: number) => {
      for (let i = 0; i < counts; i++)
        upsertRequest.run(`integration-${i}`, minute, 19, 0, 1, 0, 4.2, buckets);
      for (let i = 0; i < workflows; i++)
        upsertWorkflow.run(`workflow-${i}`, minute, 38, 37, 1, 0, 21.5, buckets);
      for (let i = 0; i < edges; i++)
        upsertEdge.run(`edge_${i}`, `caller-${i}`, `callee-${i}`, null, null, minute + n, minute + n, 38, 0);
    });
    return timed(options.seconds, options.spansPerBatch, write);
  } finally {
    db.close();
  }
}
