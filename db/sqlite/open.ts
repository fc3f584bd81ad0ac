import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from '../schema.ts';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../migrations', import.meta.url));

/** How many migrations the committed journal holds: the count a fully migrated file has applied. */
export function expectedMigrations(): number {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as {
    entries: unknown[];
  };
  return journal.entries.length;
}

export type SqliteDb = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export interface SqliteOptions {
  /** Database file, or `:memory:`. Parent folders are created. */
  path: string;
  /** Milliseconds a statement waits for a lock held by another connection (default 5000). */
  busyTimeout?: number;
  /**
   * `full` (default) syncs the WAL on every commit, so a write that was acknowledged survives a
   * power loss or OS crash; `normal` syncs only at checkpoints: faster, still safe against a
   * process crash, but the last commits can be lost with the machine.
   */
  synchronous?: 'full' | 'normal';
  /**
   * Page cache of this connection in bytes (default better-sqlite3's 16 MB). A connection that rewrites
   * large rollups (the KPI worker) spends much of its time re-reading pages a small cache let go.
   */
  cacheSize?: number;
}

/**
 * Opens the SQLite file in WAL mode (readers never block the writer), sets the pragmas and
 * applies the committed migrations.
 */
export function openSqlite(options: SqliteOptions): SqliteDb {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const client = new Database(options.path);
  client.pragma('journal_mode = WAL');
  client.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
  client.pragma(`busy_timeout = ${Math.max(0, Math.round(options.busyTimeout ?? 5_000))}`);
  client.pragma('foreign_keys = ON');
  client.pragma('temp_store = MEMORY');
  // Keep the WAL from growing without bound between checkpoints (64 MiB).
  client.pragma('journal_size_limit = 67108864');
  if (options.cacheSize !== undefined)
    client.pragma(`cache_size = -${Math.max(64, Math.floor(options.cacheSize / 1024))}`);
  const db = drizzle({ client, schema });
  migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  return db;
}
