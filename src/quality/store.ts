import type { QualityMethods } from '../../db/quality.ts';
import { openSqlite, type SqliteOptions } from '../../db/sqlite/open.ts';
import { createQualityMethods } from '../../db/sqlite/quality-store.ts';

/**
 * The quality half of the store on its own, for the `check` command until the service's Store
 * carries the quality methods: the same SQLite file, migrated, with only these methods.
 */
export function openQualityStore(options: SqliteOptions): QualityMethods & { close(): Promise<void> } {
  const db = openSqlite(options);
  return {
    ...createQualityMethods(db),
    async close() {
      if (db.$client.open) db.$client.close();
    },
  };
}
