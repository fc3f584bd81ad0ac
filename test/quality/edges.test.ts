import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.ts';
import {
  CRM,
  datasetsConfig,
  json,
  NOW,
  qualityFor,
  startJsonServer,
  writeCsv,
  writeSqlite,
} from './fixtures.ts';

let dir: string;
let remove: () => Promise<void>;
const cleanups: (() => Promise<void>)[] = [];
beforeEach(async () => {
  ({ dir, remove } = await tempDir());
});
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  await remove();
});

/** A loopback port nothing listens on. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs one dataset `d` declared by YAML and returns its results by check name. */
async function runOne(datasetYaml: string, settingsYaml = '') {
  const q = await qualityFor(datasetsConfig(dir, datasetYaml, settingsYaml));
  cleanups.push(q.close);
  return q.run('d');
}

/** A table with one row whose timestamp is `ageMs` before NOW. */
function tableAged(ageMs: number) {
  const db = new Database(join(dir, 't.db'));
  db.exec('CREATE TABLE t (id INTEGER, at TEXT)');
  db.prepare('INSERT INTO t VALUES (1, ?)').run(new Date(NOW - ageMs).toISOString());
  db.close();
}

describe('threshold edges', () => {
  const freshness = `  - id: d
    system: crm
    source: { type: sqlite, path: t.db, table: t }
    checks:
      - { type: freshness, column: at, warn: 1h, fail: 2h }
`;
  it.each([
    ['exactly at warn passes', 3_600_000, 'pass'],
    ['1 ms past warn warns', 3_600_001, 'warn'],
    ['exactly at fail warns', 7_200_000, 'warn'],
    ['just over fail fails', 7_201_000, 'fail'],
  ])('freshness: %s', async (_name, age, outcome) => {
    tableAged(age);
    const r = await runOne(freshness);
    expect(r.freshness?.outcome).toBe(outcome);
    expect(r.freshness?.value).toBe(age / 1000);
    expect(r.freshness?.threshold).toEqual({ warn: '> 1h', fail: '> 2h' });
  });

  it('missing by percent: exactly at the warn percent passes, one more row warns', async () => {
    const rows = CRM.map((c) => ({ ...c, email: 'x@example.com' }));
    writeSqlite(
      join(dir, 'a.db'),
      't',
      rows.map((c, i) => ({ ...c, email: i < 1 ? null : c.email })),
    );
    writeSqlite(
      join(dir, 'b.db'),
      't',
      rows.map((c, i) => ({ ...c, email: i < 2 ? null : c.email })),
    );
    const yaml = (file: string) => `  - id: d
    system: crm
    source: { type: sqlite, path: ${file}, table: t }
    checks:
      - { type: missing, column: email, warn: 10%, fail: 50% }
`;
    expect((await runOne(yaml('a.db')))['missing.email']).toMatchObject({
      outcome: 'pass',
      value: 10,
      unit: 'percent',
    });
    expect((await runOne(yaml('b.db')))['missing.email']).toMatchObject({
      outcome: 'warn',
      value: 20,
      unit: 'percent',
    });
  });

  it('an empty table fails freshness: there is no fresh data', async () => {
    new Database(join(dir, 't.db')).exec('CREATE TABLE t (id INTEGER, at TEXT)');
    const r = await runOne(freshness);
    expect(r.freshness).toMatchObject({
      outcome: 'fail',
      value: null,
      message: 'no timestamp in column at: no data',
    });
  });
});

describe('history', () => {
  it('row_count change is judged against the previous run, not before one exists', async () => {
    const file = join(dir, 't.db');
    const db = new Database(file);
    db.exec('CREATE TABLE t (id INTEGER)');
    const add = (n: number) => {
      const insert = db.prepare('INSERT INTO t VALUES (?)');
      for (let i = 0; i < n; i++) insert.run(i);
    };
    add(100);
    const config = datasetsConfig(
      dir,
      `  - id: d
    system: crm
    source: { type: sqlite, path: t.db, table: t }
    checks:
      - { type: row_count, change: { warn: 10%, fail: 50% } }
`,
    );
    const q = await qualityFor(config);
    cleanups.push(q.close);
    expect((await q.run('d')).row_count).toMatchObject({
      outcome: 'pass',
      message: '100 rows, no previous run to compare with',
    });
    add(10);
    expect((await q.run('d')).row_count).toMatchObject({
      outcome: 'pass',
      message: '110 rows, +10% since the previous run (100)',
    });
    add(100);
    expect((await q.run('d')).row_count).toMatchObject({
      outcome: 'fail',
      message: '210 rows, +90.9091% since the previous run (110)',
    });
    db.close();
  });

  it('anomaly learns until minHistory runs, then flags a jump in volume', async () => {
    const file = join(dir, 't.db');
    const db = new Database(file);
    db.exec('CREATE TABLE t (id INTEGER)');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    const config = datasetsConfig(
      dir,
      `  - id: d
    system: crm
    source: { type: sqlite, path: t.db, table: t }
    checks:
      - { type: anomaly, metric: row_count, window: 5, minHistory: 3 }
`,
    );
    const q = await qualityFor(config);
    cleanups.push(q.close);
    const outcomes: string[] = [];
    for (const n of [100, 102, 98]) {
      db.exec('DELETE FROM t');
      for (let i = 0; i < n; i++) insert.run(i);
      const r = (await q.run('d'))['anomaly.row_count'];
      outcomes.push(`${r?.outcome} ${r?.message}`);
    }
    expect(outcomes).toEqual([
      'pass learning: 0 of 3 runs of history (100 rows now)',
      'pass learning: 1 of 3 runs of history (102 rows now)',
      'pass learning: 2 of 3 runs of history (98 rows now)',
    ]);
    for (let i = 0; i < 2; i++) insert.run(i); // 100: right on the mean
    expect((await q.run('d'))['anomaly.row_count']).toMatchObject({ outcome: 'pass', value: 0 });
    for (let i = 0; i < 10; i++) insert.run(i); // 110 against 100 ± 1.63 (spread floor 1% of 100 = 1)
    const jump = (await q.run('d'))['anomaly.row_count'];
    expect(jump?.outcome).toBe('fail');
    expect(jump?.message).toMatch(/^110 rows against a mean of 100 ± 1\.4142 over 4 runs: z = 7\.0711$/);
    db.close();
  });
});

describe('sources that cannot be read are errors, not failures', () => {
  it('an unreachable HTTP endpoint', async () => {
    const closedPort = await freePort();
    const r = await runOne(`  - id: d
    system: crm
    source: { type: http-json, url: "http://127.0.0.1:${closedPort}/customers?token=secret", records: $.items }
    checks:
      - { type: row_count, min: { fail: 1 } }
      - { type: missing, column: email, fail: 0 }
`);
    for (const result of Object.values(r)) {
      expect(result.outcome).toBe('error');
      expect(result.message).toBe(`http-json http://127.0.0.1:${closedPort}/customers: ECONNREFUSED`);
    }
  });

  it('an HTTP error status, a body over the bound, and JSON that is not there', async () => {
    const server = await startJsonServer({
      '/500': (res) => res.writeHead(500).end('oops'),
      '/big': json({ items: Array.from({ length: 1000 }, (_, i) => ({ id: i, pad: 'x'.repeat(100) })) }),
      '/shape': json({ data: {} }),
    });
    cleanups.push(server.close);
    const yaml = (path: string) => `  - id: d
    system: crm
    source: { type: http-json, url: "${server.url}${path}", records: $.items, maxBody: 64KiB }
    checks:
      - { type: row_count, min: { fail: 1 } }
`;
    expect((await runOne(yaml('/500'))).row_count?.message).toBe(`http-json ${server.url}/500: HTTP 500`);
    expect((await runOne(yaml('/big'))).row_count?.message).toBe(
      `http-json ${server.url}/big: response larger than 65536 bytes`,
    );
    expect((await runOne(yaml('/shape'))).row_count?.message).toBe(
      `http-json ${server.url}/shape: nothing at $.items`,
    );
  });

  it('a missing SQLite file and an unknown column', async () => {
    expect(
      (
        await runOne(`  - id: d
    system: crm
    source: { type: sqlite, path: nope.db, table: t }
    checks:
      - { type: row_count, min: { fail: 1 } }
`)
      ).row_count,
    ).toMatchObject({
      outcome: 'error',
      message: expect.stringMatching(/^sqlite nope\.db \(table t\): unable to open database file/),
    });
    writeSqlite(join(dir, 'crm.db'), 'customers', CRM);
    const r = await runOne(`  - id: d
    system: crm
    source: { type: sqlite, path: crm.db, table: customers }
    checks:
      - { type: missing, column: mail, fail: 0 }
      - { type: row_count, min: { fail: 1 } }
`);
    expect(r['missing.mail']).toMatchObject({
      outcome: 'error',
      message:
        'sqlite crm.db (table customers): no column "mail" (columns: id, email, status, amount, updated_at)',
    });
    expect(r.row_count?.outcome).toBe('pass');
  });

  it('a query that runs past the timeout is stopped, and every check is an error', async () => {
    new Database(join(dir, 'slow.db')).exec('CREATE TABLE x (a INTEGER)');
    const started = performance.now();
    const r = await runOne(`  - id: d
    system: crm
    source:
      type: sqlite
      path: slow.db
      query: "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 1000000000) SELECT x FROM c"
      timeout: 300ms
    checks:
      - { type: row_count, min: { fail: 1 } }
`);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(r.row_count).toMatchObject({
      outcome: 'error',
      message: 'sqlite slow.db (query): timed out after 300ms',
    });
  });

  it('PostgreSQL that does not answer: an error without the password', async () => {
    const r = await runOne(`  - id: d
    system: crm
    source: { type: postgres, url: "postgres://app:s3cret@127.0.0.1:1/crm", table: customers }
    checks:
      - { type: row_count, min: { fail: 1 } }
`);
    expect(r.row_count?.outcome).toBe('error');
    expect(r.row_count?.message).toMatch(/^postgres 127\.0\.0\.1:1\/crm \(table customers\): .*ECONNREFUSED/);
    expect(r.row_count?.message).not.toContain('s3cret');
  });
});

describe('CSV drops', () => {
  it('a malformed row makes the drop unreadable, with its line', async () => {
    await writeFile(join(dir, 'bad.csv'), 'id,email,status\n1,a@x,active\n2,b@x\n');
    await writeFile(join(dir, 'quote.csv'), 'id,email\n1,"a@x\n');
    const yaml = (file: string) => `  - id: d
    system: crm
    source: { type: csv, path: ${file} }
    checks:
      - { type: row_count, min: { fail: 1 } }
      - { type: missing, column: email, fail: 0 }
`;
    const bad = await runOne(yaml('bad.csv'));
    expect(bad.row_count).toMatchObject({
      outcome: 'error',
      message: 'csv bad.csv: line 3: expected 3 fields, found 2',
    });
    expect(bad['missing.email']?.outcome).toBe('error');
    expect((await runOne(yaml('quote.csv'))).row_count?.message).toBe(
      'csv quote.csv: line 2: unterminated quoted field',
    );
  });

  it('reads the newest drop by modification time, and its age is the file time', async () => {
    await mkdir(join(dir, 'drops'));
    await writeCsv(join(dir, 'drops', 'stock-2.csv'), CRM.slice(0, 2));
    await writeCsv(join(dir, 'drops', 'stock-1.csv'), CRM.slice(0, 5));
    await writeFile(join(dir, 'drops', 'notes.txt'), 'not a drop');
    const old = new Date(NOW - 3 * 3_600_000);
    await utimes(join(dir, 'drops', 'stock-2.csv'), old, old);
    await utimes(join(dir, 'drops', 'stock-1.csv'), new Date(NOW - 600_000), new Date(NOW - 600_000));
    const yaml = (newest: string) => `  - id: d
    system: crm
    source: { type: csv, folder: drops, pattern: "^stock-.*\\\\.csv$", newest: ${newest} }
    checks:
      - { type: freshness, warn: 30m, fail: 1h }
      - { type: row_count, min: { fail: 1 } }
`;
    const byTime = await runOne(yaml('mtime'));
    expect([byTime.row_count?.value, byTime.freshness?.outcome, byTime.freshness?.value]).toEqual([
      5,
      'pass',
      600,
    ]);
    const byName = await runOne(yaml('name'));
    expect([byName.row_count?.value, byName.freshness?.outcome]).toEqual([2, 'fail']);
  });

  it('an empty folder is an error naming the pattern', async () => {
    await mkdir(join(dir, 'drops'));
    const r = await runOne(`  - id: d
    system: crm
    source: { type: csv, folder: drops }
    checks:
      - { type: freshness, warn: 30m }
`);
    expect(r.freshness?.message).toBe('csv folder drops: no file matches names ending in .csv');
  });

  it('more rows than settings.quality.maxRows is an error, not a partial answer', async () => {
    await writeCsv(join(dir, 'c.csv'), CRM);
    const r = await runOne(
      `  - id: d
    system: crm
    source: { type: csv, path: c.csv }
    checks:
      - { type: row_count, min: { fail: 1 } }
`,
      '  quality: { maxRows: 9 }',
    );
    expect(r.row_count?.message).toBe('csv c.csv: more than 9 rows (settings.quality.maxRows)');
  });
});

describe('schema drift', () => {
  it('records the first observation, then each change with its diff', async () => {
    const file = join(dir, 't.db');
    const db = new Database(file);
    db.exec('CREATE TABLE t (id INTEGER, price REAL)');
    const config = datasetsConfig(
      dir,
      `  - id: d
    system: crm
    source: { type: sqlite, path: t.db, table: t }
    checks:
      - { type: schema, warn: 0, fail: 2 }
`,
    );
    const q = await qualityFor(config);
    cleanups.push(q.close);
    expect((await q.run('d')).schema).toMatchObject({ outcome: 'pass', message: '2 columns, as before' });
    db.exec('ALTER TABLE t ADD COLUMN badge TEXT');
    expect((await q.run('d')).schema).toMatchObject({
      outcome: 'warn',
      value: 1,
      message: '1 difference from the previous run: +badge (string)',
    });
    expect((await q.run('d')).schema?.outcome).toBe('pass');
    db.close();
    expect(await q.store.countSchemaChanges()).toEqual([{ datasetId: 'd', changes: 1 }]);
    const [change] = await q.store.listSchemaChanges({ datasetId: 'd', limit: 10 });
    expect(change?.changes).toEqual([{ column: 'badge', change: 'added', to: 'string' }]);
  });
});
