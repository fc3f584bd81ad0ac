import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers.ts';
import { type EventPeek, ingestContract } from '../ingest.contract.ts';
import { type ProbeRollup, ROLLUP_FAILURE_CLASSES } from '../rollups.ts';
import { type StorePeek, sampleSnapshot, storeContract } from '../store.contract.ts';
import type { StoredOutboxEntry } from '../store.ts';
import { expectedMigrations, openSqlite } from './open.ts';
import { createSqliteStore } from './sqlite-store.ts';

/** Reads the rows the Store interface has no reader for, over a second read-only connection. */
function sqlitePeek(path: string): StorePeek {
  const read = <T>(query: string, map: (row: Record<string, unknown>) => T): T[] => {
    const raw = new Database(path, { readonly: true });
    try {
      return (raw.prepare(query).all() as Record<string, unknown>[]).map(map);
    } finally {
      raw.close();
    }
  };
  return {
    async rollups() {
      return read(
        'SELECT * FROM probe_rollups ORDER BY resolution, integration_id, bucket_start',
        (row): ProbeRollup => ({
          resolution: row.resolution as ProbeRollup['resolution'],
          integrationId: row.integration_id as string,
          bucketStart: row.bucket_start as number,
          runs: row.runs as number,
          successes: row.successes as number,
          failures: Object.fromEntries(
            ROLLUP_FAILURE_CLASSES.map((c) => [c, row[`failures_${c}`] as number]),
          ) as ProbeRollup['failures'],
          durationSumMs: row.duration_sum_ms as number,
          durationBuckets: JSON.parse(row.duration_buckets as string) as number[],
        }),
      );
    },
    async outbox() {
      return read(
        'SELECT * FROM notification_outbox ORDER BY id',
        (row): StoredOutboxEntry => ({
          id: row.id as number,
          key: row.key as string,
          channelId: row.channel_id as string,
          integrationId: row.integration_id as string,
          payload: JSON.parse(row.payload as string),
          createdAt: row.created_at as number,
          attempts: row.attempts as number,
          nextAttemptAt: row.next_attempt_at as number,
          deliveredAt: row.delivered_at as number | null,
          abandonedAt: row.abandoned_at as number | null,
          lastError: row.last_error as string | null,
        }),
      );
    },
  };
}

ingestContract('sqlite', async () => {
  const { dir, remove } = await tempDir();
  const path = join(dir, 'ecotone.db');
  const peek: EventPeek = {
    async events() {
      const raw = new Database(path, { readonly: true });
      try {
        return raw
          .prepare('SELECT id, hash, type, received_at AS receivedAt FROM events ORDER BY seq')
          .all() as never;
      } finally {
        raw.close();
      }
    },
  };
  return { store: createSqliteStore({ path }), peek, cleanup: remove };
});

storeContract('sqlite', async () => {
  const { dir, remove } = await tempDir();
  const path = join(dir, 'ecotone.db');
  return { store: createSqliteStore({ path }), peek: sqlitePeek(path), cleanup: remove };
});

describe('sqlite store', () => {
  it('uses WAL with full sync and keeps data across reopen', async () => {
    const { dir, remove } = await tempDir();
    const path = join(dir, 'nested', 'ecotone.db');
    try {
      const store = createSqliteStore({ path });
      await store.applyCatalog(sampleSnapshot(), { source: 'test', now: 1 });
      await store.close();

      const raw = new Database(path, { readonly: true });
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      const migrations = raw.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number };
      expect(migrations.n).toBeGreaterThan(0);
      raw.close();

      const reopened = createSqliteStore({ path });
      expect((await reopened.list('integrations', { limit: 10 })).total).toBe(2);
      expect((await reopened.applyCatalog(sampleSnapshot(), { source: 'test', now: 2 })).changed).toBe(false);
      await reopened.close();
    } finally {
      await remove();
    }
  });

  it('sizes the page cache of a connection when asked (the KPI worker asks for 64 MiB)', async () => {
    const { dir, remove } = await tempDir();
    try {
      const sized = openSqlite({ path: join(dir, 'a.db'), cacheSize: 64 * 1_048_576 });
      expect(sized.$client.pragma('cache_size', { simple: true })).toBe(-65_536);
      // Without the option a connection keeps the library's default.
      const plain = openSqlite({ path: join(dir, 'b.db') });
      const fresh = new Database(':memory:');
      expect(plain.$client.pragma('cache_size', { simple: true })).toBe(
        fresh.pragma('cache_size', { simple: true }),
      );
      fresh.close();
      sized.$client.close();
      plain.$client.close();
    } finally {
      await remove();
    }
  });

  it('reports unhealthy while a migration is missing', async () => {
    const { dir, remove } = await tempDir();
    const path = join(dir, 'x.db');
    const store = createSqliteStore({ path });
    const raw = new Database(path);
    raw.prepare('DELETE FROM __drizzle_migrations').run();
    raw.close();
    expect(await store.health()).toEqual({
      ok: false,
      detail: `0 of ${expectedMigrations()} migrations applied`,
    });
    await store.close();
    await remove();
  });

  it('reports unhealthy once closed', async () => {
    const { dir, remove } = await tempDir();
    const store = createSqliteStore({ path: join(dir, 'x.db') });
    await store.close();
    expect((await store.health()).ok).toBe(false);
    await remove();
  });

  it('rolls back a whole apply when one entry cannot be written', async () => {
    const { dir, remove } = await tempDir();
    const store = createSqliteStore({ path: join(dir, 'x.db') });
    const bad = sampleSnapshot();
    (bad.integrations[1] as { tier: unknown }).tier = null;
    await expect(store.applyCatalog(bad, { source: 'test', now: 1 })).rejects.toThrow(/NOT NULL/);
    expect((await store.list('participants', { limit: 10 })).total).toBe(0);
    await store.close();
    await remove();
  });
});
