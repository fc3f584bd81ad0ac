import { createSqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './store.ts';

export * from './kpi.ts';
export * from './quality.ts';
export { ROLLUP_DURATION_BUCKETS_SECONDS } from './rollup-buckets.ts';
export {
  addBucketCounts,
  bucketStart,
  type ProbeRollup,
  ROLLUP_FAILURE_CLASSES,
  type RollupFailureClass,
} from './rollups.ts';
export { createSqliteStore } from './sqlite/sqlite-store.ts';
export * from './store.ts';

export interface StoreOptions {
  /** SQLite file path, or `:memory:`. */
  path: string;
  /** Milliseconds a write waits for a lock (default 5000). */
  busyTimeout?: number;
  /** SQLite `synchronous` level (default `full`); see `SqliteOptions`. */
  synchronous?: 'full' | 'normal';
  /** Page cache of the connection in bytes (default better-sqlite3's 16 MB); see `SqliteOptions`. */
  cacheSize?: number;
}

/**
 * Opens the configured store and applies pending migrations. SQLite is the only backend today;
 * a Postgres store would be chosen here from the same options.
 *
 * @example
 * const store = openStore({ path: 'data/ecotone.db' });
 */
export function openStore(options: StoreOptions): Store {
  return createSqliteStore(options);
}
