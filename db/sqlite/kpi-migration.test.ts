import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers.ts';
import { MIGRATIONS_FOLDER } from './open.ts';
import { createSqliteStore } from './sqlite-store.ts';

const DAY = 86_400_000;

describe('migrations 0006 (KPI state) and 0007 (customers WITHOUT ROWID)', () => {
  it('converts the per-route customer rollups and keeps every counted transaction', async () => {
    const dir = await tempDir();
    try {
      // A store as the previous release left it: migrations 0000–0005 only.
      const folder = join(dir.dir, 'migrations');
      await cp(MIGRATIONS_FOLDER, folder, { recursive: true });
      const journalPath = join(folder, 'meta', '_journal.json');
      const journal = JSON.parse(await readFile(journalPath, 'utf8')) as { entries: { idx: number }[] };
      journal.entries = journal.entries.filter((e) => e.idx < 6);
      await writeFile(journalPath, JSON.stringify(journal));
      const path = join(dir.dir, 'old.db');
      const old = new Database(path);
      migrate(drizzle({ client: old }), { migrationsFolder: folder });
      const d = (n: number) => 100 * DAY + n * DAY + 3_600_000;
      old.exec(`
        INSERT INTO kpi_watermarks (name, seq, minute, updated_at) VALUES ('kpi', 0, 0, ${d(30)});
        INSERT INTO kpi_users VALUES ('u1', ${d(29)});
        -- c1: direct (30 EUR, 5 USD) through web (day 1) and app (day 5) with acme;
        -- c2: ecosystem (100 EUR) through web with shopx (day 3) and acme (day 2).
        INSERT INTO kpi_customers VALUES ('c1', 'EUR', 30, 2, ${d(5)}, 0), ('c1', 'USD', 5, 1, ${d(1)}, 0),
          ('c2', 'EUR', 100, 2, ${d(3)}, 1);
        INSERT INTO kpi_customer_routes VALUES ('c1', 'web', 'acme', ${d(1)}), ('c1', 'app', 'acme', ${d(5)}),
          ('c2', 'web', 'shopx', ${d(3)}), ('c2', 'web', 'acme', ${d(2)});
      `);
      old.close();

      const store = createSqliteStore({ path });
      const raw = new Database(path, { readonly: true });
      // Days as UTC day numbers since 0007.
      expect(raw.prepare('SELECT * FROM kpi_customers ORDER BY customer_id').all()).toEqual([
        {
          customer_id: 'c1',
          ch1: 'app',
          ch1_day: 105,
          ch2: 'web',
          ch2_day: 101,
          p1: 'acme',
          p1_day: 105,
          p2: null,
          p2_day: 0,
          ecosystem: 0,
          currencies: '["EUR","USD"]',
          direct_revenue: '{"EUR":30.0,"USD":5.0}',
        },
        {
          customer_id: 'c2',
          ch1: 'web',
          ch1_day: 103,
          ch2: null,
          ch2_day: 0,
          p1: 'shopx',
          p1_day: 103,
          p2: 'acme',
          p2_day: 102,
          ecosystem: 1,
          currencies: '["EUR"]',
          direct_revenue: '{}',
        },
      ]);
      // The lifetime value reads the same figures as before the upgrade.
      expect(await store.customerValue()).toEqual([
        { segment: 'direct', currency: 'EUR', customers: 1, revenue: 30 },
        { segment: 'direct', currency: 'USD', customers: 1, revenue: 5 },
        { segment: 'ecosystem', currency: 'EUR', customers: 1, revenue: 100 },
      ]);
      expect(await store.crossSell(100 * DAY)).toEqual({ customers: 2, multi: 2 });
      // Each event fold starts from the old watermark; active users are rebuilt from the events.
      expect((await store.kpiWatermarks()).folds).toEqual({
        participation: 0,
        usage: 0,
        value: 0,
        qualitative: 0,
      });
      expect(
        raw
          .prepare("SELECT name FROM sqlite_master WHERE name IN ('kpi_users', 'kpi_customer_routes')")
          .all(),
      ).toEqual([]);
      // 0007 rebuilt the table as WITHOUT ROWID, rows and triggers kept.
      expect(raw.prepare("SELECT sql FROM sqlite_master WHERE name = 'kpi_customers'").pluck().get()).toMatch(
        /\) WITHOUT ROWID$/,
      );
      expect(
        raw
          .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'kpi_customers' ORDER BY 1",
          )
          .pluck()
          .all(),
      ).toEqual(['kpi_customers_insert', 'kpi_customers_update']);
      raw.close();
      await store.close();
    } finally {
      await dir.remove();
    }
  });
});
