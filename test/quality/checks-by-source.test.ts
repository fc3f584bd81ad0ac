import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.ts';
import {
  ANALYTICS,
  CRM,
  datasetsConfig,
  json,
  qualityFor,
  startJsonServer,
  writeCsv,
  writePostgres,
  writeSqlite,
} from './fixtures.ts';
import { postgresBin, startPostgres, type TestPostgres } from './postgres.ts';

/** The same checks, thresholds and expected verdicts for every source kind. */
const CHECKS = `
    checks:
      - { type: freshness, column: updated_at, warn: 1h, fail: 3h }
      - { type: row_count, min: { warn: 10, fail: 5 } }
      - { type: missing, column: email, warn: 1, fail: 2 }
      - { type: duplicates, key: [id], fail: 0 }
      - { type: invalid, column: status, values: [active, inactive], warn: 5%, fail: 20% }
      - { type: invalid, name: amount-range, column: amount, min: 0, max: 100, warn: 0 }
      - type: schema
        columns: { id: integer, email: string, status: string, amount: number, updated_at: timestamp }
      - { type: consistency, reference: analytics, measure: count, warn: 5%, fail: 15% }
      - { type: consistency, name: same-customers, reference: analytics, measure: keys, key: [id], warn: 10%, fail: 30% }
      - { type: anomaly, metric: row_count, minHistory: 3, window: 10 }`;

interface Backend {
  kind: string;
  setup(dir: string): Promise<{ crm: string; analytics: string; cleanup?: () => Promise<void> }>;
}

let pgServer: TestPostgres | undefined;
const PG_BIN = postgresBin();
if (!PG_BIN)
  console.warn(
    'SKIPPED: PostgreSQL quality checks: no /usr/lib/postgresql/*/bin/initdb (apt-get install postgresql)',
  );

const BACKENDS: Backend[] = [
  {
    kind: 'sqlite',
    async setup(dir) {
      writeSqlite(join(dir, 'crm.db'), 'customers', CRM);
      writeSqlite(join(dir, 'analytics.db'), 'dim_customers', ANALYTICS);
      return {
        crm: '{ type: sqlite, path: crm.db, table: customers }',
        analytics: '{ type: sqlite, path: analytics.db, query: "SELECT * FROM dim_customers" }',
      };
    },
  },
  {
    kind: 'csv',
    async setup(dir) {
      await writeCsv(join(dir, 'crm.csv'), CRM);
      await writeCsv(join(dir, 'analytics.csv'), ANALYTICS);
      return { crm: '{ type: csv, path: crm.csv }', analytics: '{ type: csv, path: analytics.csv }' };
    },
  },
  {
    kind: 'http-json',
    async setup() {
      const server = await startJsonServer({
        '/crm': json({ data: { items: CRM } }),
        '/analytics': json({ items: ANALYTICS }),
      });
      return {
        crm: `{ type: http-json, url: "${server.url}/crm", records: $.data.items }`,
        analytics: `{ type: http-json, url: "${server.url}/analytics", records: $.items }`,
        cleanup: server.close,
      };
    },
  },
  {
    kind: 'postgres',
    async setup() {
      if (!pgServer) throw new Error('postgres not started');
      await writePostgres(pgServer.url, 'customers', CRM);
      await writePostgres(pgServer.url, 'dim_customers', ANALYTICS);
      return {
        crm: `{ type: postgres, url: "${pgServer.url}", table: public.customers }`,
        analytics: `{ type: postgres, url: "${pgServer.url}", query: "SELECT * FROM dim_customers" }`,
      };
    },
  },
];

beforeAll(async () => {
  if (PG_BIN) pgServer = await startPostgres(PG_BIN);
}, 60_000);
afterAll(async () => {
  await pgServer?.stop();
});

describe.each(BACKENDS)('every check kind against a $kind source', (backend) => {
  const skip = backend.kind === 'postgres' && !PG_BIN;
  it.skipIf(skip)('measures and judges the known faults of the data', async () => {
    const { dir, remove } = await tempDir();
    const sources = await backend.setup(dir);
    const config = datasetsConfig(
      dir,
      `  - id: crm-customers
    system: crm
    source: ${sources.crm}${CHECKS}
  - id: analytics
    system: warehouse
    source: ${sources.analytics}
`,
    );
    const q = await qualityFor(config);
    try {
      const r = await q.run('crm-customers');
      const summary = Object.fromEntries(Object.entries(r).map(([name, x]) => [name, [x.outcome, x.value]]));
      expect(summary).toEqual({
        freshness: ['warn', 7200],
        row_count: ['pass', 10],
        'missing.email': ['warn', 2],
        'duplicates.id': ['fail', 1],
        'invalid.status': ['warn', 10],
        'amount-range': ['warn', 1],
        schema: ['pass', 0],
        'consistency.analytics': ['warn', 10],
        'same-customers': ['warn', 20],
        'anomaly.row_count': ['pass', null],
      });
      expect(r.freshness?.message).toBe('newest 2026-03-01T10:00:00.000Z, 2h old');
      expect(r['missing.email']?.message).toBe('2 of 10 rows missing email (20%)');
      expect(r['duplicates.id']?.message).toBe('1 duplicate rows over (id) in 10 (10%)');
      expect(r['invalid.status']?.message).toBe(
        '1 of 10 rows have status not one of "active", "inactive" (10%)',
      );
      expect(r['amount-range']?.message).toBe('1 of 10 rows have amount not a number in [0, 100] (10%)');
      expect(r['consistency.analytics']?.message).toBe('rows: 10 here, 9 in analytics (10% apart)');
      expect(r['same-customers']?.message).toBe(
        '1 keys only here, 1 only in analytics, 8 in both (20% differ)',
      );
      expect(r['same-customers']?.details).toMatchObject({
        samplesOnlyHere: [['9']],
        samplesOnlyInReference: [['11']],
      });
      expect(r['anomaly.row_count']?.message).toBe('learning: 0 of 3 runs of history (10 rows now)');
      expect(r.row_count?.threshold).toEqual({ 'min warn': '< 10', 'min fail': '< 5' });
    } finally {
      await q.close();
      await sources.cleanup?.();
      await remove();
    }
  });
});

describe.skipIf(!PG_BIN)('across systems', () => {
  it('compares a SQLite CRM with a PostgreSQL warehouse by keys and sums', async () => {
    const { dir, remove } = await tempDir();
    writeSqlite(join(dir, 'crm.db'), 'customers', CRM);
    await writePostgres((pgServer as TestPostgres).url, 'dim_customers', ANALYTICS);
    const config = datasetsConfig(
      dir,
      `  - id: crm-customers
    system: crm
    source: { type: sqlite, path: crm.db, table: customers }
    checks:
      - { type: consistency, reference: analytics, measure: keys, key: [id], warn: 10%, fail: 15% }
      - { type: consistency, name: amounts, reference: analytics, measure: sum, column: amount, fail: 50% }
  - id: analytics
    system: warehouse
    source: { type: postgres, url: "${(pgServer as TestPostgres).url}", table: dim_customers }
`,
    );
    const q = await qualityFor(config);
    try {
      const r = await q.run('crm-customers');
      expect([r['consistency.analytics']?.outcome, r['consistency.analytics']?.value]).toEqual(['fail', 20]);
      // 577.5 here against 9 there: (577.5 - 9) / 577.5.
      expect([r.amounts?.outcome, r.amounts?.value]).toEqual(['fail', 98.4416]);
    } finally {
      await q.close();
      await remove();
    }
  });
});
