import pg from 'pg';
import type { DatasetSource } from '../../../src/config/catalog-schema.ts';
import { type Aggregate, type ObservedColumn, SourceError, type SourceOpener } from '../types.ts';
import { abortReason } from './abort.ts';
import { postgresColumnType } from './column-types.ts';
import {
  aggregateStatement,
  duplicatesStatement,
  keysStatement,
  POSTGRES_DIALECT,
  relation,
  splitAggregates,
} from './sql.ts';

type PostgresSource = Extract<DatasetSource, { type: 'postgres' }>;

const KEY_BATCH = 5_000;

/**
 * A table or query in PostgreSQL, read over one connection in one READ ONLY transaction, with
 * `statement_timeout` set to the run's timeout so the server stops a long query too. The
 * password is never part of a message: errors are stripped of it, and the source is described
 * by host, port and database only.
 */
export const openPostgresSource: SourceOpener<PostgresSource> = async (source, context) => {
  const url = new URL(source.url);
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || '(default database)';
  const what = `postgres ${url.hostname}:${url.port || 5432}/${database} (${source.table ? `table ${source.table}` : 'query'})`;
  const secrets = [source.password, decodeURIComponent(url.password)].filter((s): s is string => !!s);
  const scrub = (text: string) => secrets.reduce((t, s) => t.replaceAll(s, '[redacted]'), text);
  const timeoutMs = Math.max(1, Math.round(context.timeoutMs));

  const client = new pg.Client({
    connectionString: source.url,
    ...(source.password !== undefined ? { password: source.password } : {}),
    application_name: 'ecotone-quality',
    statement_timeout: timeoutMs,
    connectionTimeoutMillis: timeoutMs,
  });
  client.on('error', () => {});
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    context.signal.removeEventListener('abort', onAbort);
    await client.end().catch(() => {});
  };
  const aborted = new Promise<never>((_, reject) => {
    context.signal.addEventListener(
      'abort',
      () => reject(new SourceError(`${what}: ${abortReason(context.signal)}`)),
      {
        once: true,
      },
    );
  });
  aborted.catch(() => {});
  const onAbort = () => {
    void close();
  };
  context.signal.addEventListener('abort', onAbort, { once: true });

  const run = async <T>(work: () => Promise<T>): Promise<T> => {
    if (context.signal.aborted) throw new SourceError(`${what}: ${abortReason(context.signal)}`);
    try {
      return await Promise.race([work(), aborted]);
    } catch (error) {
      if (error instanceof SourceError) throw error;
      if (context.signal.aborted)
        throw new SourceError(`${what}: ${abortReason(context.signal)}`, { cause: error });
      const e = error as { code?: string; message?: string; errors?: { message?: string }[] };
      const message =
        e.message || e.errors?.map((x) => x.message).join('; ') || e.code || 'connection failed';
      throw new SourceError(`${what}: ${scrub(message)}`);
    }
  };
  const from = relation(source);

  await run(async () => {
    await client.connect();
    await client.query('BEGIN READ ONLY');
  }).catch(async (error) => {
    await close();
    throw error;
  });

  return {
    describe: () => what,
    columns: () =>
      run(async () => {
        const result = await client.query({ text: `SELECT * FROM ${from} LIMIT 0`, rowMode: 'array' });
        return result.fields.map(
          (f): ObservedColumn => ({ name: f.name, ...postgresColumnType(f.dataTypeID) }),
        );
      }),
    aggregate: (aggregates: Aggregate[]) =>
      run(async () => {
        const out: unknown[] = new Array(aggregates.length);
        const { scan, duplicates } = splitAggregates(aggregates);
        if (scan.length > 0) {
          const statement = aggregateStatement(
            scan.map((s) => s.aggregate),
            from,
            POSTGRES_DIALECT,
          );
          const result = await client.query({
            text: statement.sql,
            values: statement.params,
            rowMode: 'array',
          });
          const row = result.rows[0] as unknown[];
          scan.forEach((s, i) => {
            const value = row[i];
            // COUNT and SUM come back as text (bigint, numeric): numbers here.
            out[s.index] = typeof value === 'string' && s.aggregate.kind !== 'newest' ? Number(value) : value;
          });
        }
        for (const d of duplicates) {
          const statement = duplicatesStatement(d.key, from);
          const result = await client.query({ text: statement.sql, rowMode: 'array' });
          out[d.index] = Number((result.rows[0] as unknown[])[0]);
        }
        return out;
      }),
    async *keys(columns: string[]) {
      const statement = keysStatement(columns, from, POSTGRES_DIALECT);
      await run(() => client.query(`DECLARE ecotone_keys NO SCROLL CURSOR FOR ${statement.sql}`));
      let read = 0;
      try {
        for (;;) {
          const result = await run(() =>
            client.query({ text: `FETCH ${KEY_BATCH} FROM ecotone_keys`, rowMode: 'array' }),
          );
          const batch = result.rows.map((r) => String((r as unknown[])[0]));
          if (batch.length === 0) return;
          read += batch.length;
          if (read > context.maxRows)
            throw new SourceError(
              `${what}: more than ${context.maxRows} distinct keys (settings.quality.maxRows)`,
            );
          yield batch;
          if (batch.length < KEY_BATCH) return;
        }
      } finally {
        if (!closed) await client.query('CLOSE ecotone_keys').catch(() => {});
      }
    },
    close,
  };
};
