import { fork } from 'node:child_process';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatasetSource } from '../../../src/config/catalog-schema.ts';
import {
  type Aggregate,
  type ObservedColumn,
  SourceError,
  type SourceOpener,
  type SourceReader,
} from '../types.ts';
import { abortReason } from './abort.ts';
import { sqliteColumnType } from './column-types.ts';
import { relation } from './sql.ts';
import type { SqliteReply, SqliteRequest, SqliteWorkerData } from './sqlite-worker.ts';

type SqliteSource = Extract<DatasetSource, { type: 'sqlite' }>;
type SqliteRequestBody = SqliteRequest extends infer R
  ? R extends SqliteRequest
    ? Omit<R, 'id'>
    : never
  : never;
type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

const READER = fileURLToPath(new URL('./sqlite-worker.ts', import.meta.url));
const KEY_BATCH = 5_000;

/**
 * Opens a SQLite file read-only in a child process. better-sqlite3 is synchronous, so a long
 * aggregate on the service's own thread would stall every probe and scrape; and a query inside
 * SQLite cannot be interrupted from JavaScript, not even by terminating a worker thread. In its own
 * process it runs beside the service, and the run's timeout ends it for sure: SIGKILL.
 */
export const openSqliteSource: SourceOpener<SqliteSource> = async (source, context) => {
  const path = isAbsolute(source.path) ? source.path : resolve(context.baseDir, source.path);
  const what = `sqlite ${source.path} (${source.table ? `table ${source.table}` : 'query'})`;
  const data: SqliteWorkerData = { path, relation: relation(source) };
  const worker = fork(READER, [JSON.stringify(data)], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  let stderr = '';
  worker.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 2_000) stderr += chunk.toString();
  });
  const kill = () => {
    if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
  };
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let failure: Error | undefined;

  const failAll = (error: Error) => {
    failure ??= error;
    for (const p of pending.values()) p.reject(failure);
    pending.clear();
  };
  let ready!: Pending;
  const opened = new Promise((resolve, reject) => {
    ready = { resolve, reject };
  });
  pending.set(0, ready);
  worker.on('message', (reply: SqliteReply) => {
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if (reply.ok) p.resolve(reply.value);
    else p.reject(new SourceError(`${what}: ${reply.error}`));
  });
  worker.on('error', (error) => failAll(new SourceError(`${what}: ${error.message}`, { cause: error })));
  worker.on('exit', () =>
    failAll(
      new SourceError(`${what}: the reader stopped${stderr ? `: ${stderr.trim().split('\n').at(-1)}` : ''}`),
    ),
  );
  const onAbort = () => {
    failAll(new SourceError(`${what}: ${abortReason(context.signal)}`));
    kill();
  };
  if (context.signal.aborted) onAbort();
  else context.signal.addEventListener('abort', onAbort, { once: true });

  const request = (body: SqliteRequestBody): Promise<unknown> => {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.send({ ...body, id });
    });
  };

  try {
    await opened;
  } catch (error) {
    context.signal.removeEventListener('abort', onAbort);
    kill();
    throw error;
  }

  const reader: SourceReader = {
    describe: () => what,
    async columns(): Promise<ObservedColumn[]> {
      const columns = (await request({ op: 'columns' })) as { name: string; declared: string | null }[];
      return columns.map((c) => ({
        name: c.name,
        type: sqliteColumnType(c.declared),
        sourceType: c.declared ?? '',
      }));
    },
    async aggregate(aggregates: Aggregate[]) {
      return (await request({ op: 'aggregate', aggregates })) as unknown[];
    },
    async *keys(columns: string[]) {
      let read = 0;
      let batch = (await request({ op: 'keys', columns, batch: KEY_BATCH })) as string[];
      while (batch.length > 0) {
        read += batch.length;
        if (read > context.maxRows)
          throw new SourceError(
            `${what}: more than ${context.maxRows} distinct keys (settings.quality.maxRows)`,
          );
        yield batch;
        if (batch.length < KEY_BATCH) return;
        batch = (await request({ op: 'next' })) as string[];
      }
    },
    async close() {
      context.signal.removeEventListener('abort', onAbort);
      if (worker.connected) worker.disconnect();
      kill();
    },
  };
  return reader;
};
