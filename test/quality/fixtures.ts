import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { pino } from 'pino';
import { parseConfig } from '../../src/config/index.ts';
import { startQuality } from '../../src/quality/index.ts';
import { openQualityStore } from '../../src/quality/store.ts';

/** The fixed clock of the scenarios: 2026-03-01T12:00:00Z. */
export const NOW = Date.parse('2026-03-01T12:00:00Z');
const HOUR = 3_600_000;

export interface Customer {
  id: number;
  email: string | null;
  status: string;
  amount: number;
  updated_at: string;
}

/**
 * Ten CRM customers with known faults: two missing emails (one NULL, one empty), one status
 * outside the allowed values, id 9 twice, newest update two hours before NOW.
 */
export const CRM: Customer[] = Array.from({ length: 10 }, (_, i) => {
  const id = i === 9 ? 9 : i + 1;
  return {
    id,
    email: i === 2 ? null : i === 6 ? '' : `c${id}@example.com`,
    status: i === 4 ? 'bogus' : i % 2 === 0 ? 'active' : 'inactive',
    amount: 10.5 * (i + 1),
    updated_at: new Date(NOW - (2 + i) * HOUR).toISOString(),
  };
});

/** Nine analytics customers: ids 1-8 and 11, so 8 keys in common with the CRM, one each side only. */
export const ANALYTICS: Customer[] = [1, 2, 3, 4, 5, 6, 7, 8, 11].map((id) => ({
  id,
  email: `c${id}@example.com`,
  status: 'active',
  amount: 1,
  updated_at: new Date(NOW - HOUR).toISOString(),
}));

const COLUMNS = ['id', 'email', 'status', 'amount', 'updated_at'] as const;

export function writeSqlite(file: string, table: string, rows: Customer[]): void {
  const db = new Database(file);
  db.exec(`CREATE TABLE ${table} (id INTEGER, email TEXT, status TEXT, amount REAL, updated_at TIMESTAMP)`);
  const insert = db.prepare(`INSERT INTO ${table} VALUES (?, ?, ?, ?, ?)`);
  for (const r of rows) insert.run(r.id, r.email, r.status, r.amount, r.updated_at);
  db.close();
}

const csvField = (value: unknown) => {
  const text = value === null ? '' : String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

export async function writeCsv(file: string, rows: Customer[]): Promise<void> {
  const lines = [COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => csvField(r[c])).join(','))];
  await writeFile(file, `${lines.join('\r\n')}\r\n`);
}

export async function writePostgres(url: string, table: string, rows: Customer[]): Promise<void> {
  const client = new pg.Client(url);
  await client.connect();
  await client.query(`DROP TABLE IF EXISTS ${table}`);
  await client.query(
    `CREATE TABLE ${table} (id integer, email text, status text, amount double precision, updated_at timestamptz)`,
  );
  for (const r of rows)
    await client.query(`INSERT INTO ${table} VALUES ($1, $2, $3, $4, $5)`, [
      r.id,
      r.email,
      r.status,
      r.amount,
      r.updated_at,
    ]);
  await client.end();
}

/** A loopback server answering JSON per path; `routes` can be changed while it runs. */
export async function startJsonServer(
  routes: Record<string, (res: import('node:http').ServerResponse) => void>,
): Promise<{
  url: string;
  close: () => Promise<void>;
}> {
  const server: Server = createServer((req, res) => {
    const route = routes[req.url ?? ''];
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    route(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const json = (body: unknown) => (res: import('node:http').ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};

/** A config with one system and the given datasets (YAML), its store and files in `dir`. */
export function datasetsConfig(dir: string, datasetsYaml: string, settingsYaml = '') {
  const yaml = `settings:
  storage: { path: ${join(dir, 'ecotone.db')} }
${settingsYaml}
participants:
  - { id: acme, role: orchestrator, country: DE }
systems:
  - { id: crm, participant: acme }
  - { id: warehouse, participant: acme }
datasets:
${datasetsYaml}`;
  return parseConfig(yaml, join(dir, 'ecosystem.yaml'), { env: {} });
}

/** The quality collector over a real store file, as the service wires it. */
export async function qualityFor(config: ReturnType<typeof datasetsConfig>) {
  const store = openQualityStore({ path: config.settings.storage.path });
  const quality = await startQuality({ config, store, logger: pino({ level: 'silent' }), now: () => NOW });
  return {
    store,
    quality,
    async run(id: string) {
      const run = await quality.run(id);
      if (!run) throw new Error(`no dataset ${id}`);
      return Object.fromEntries(run.results.map((r) => [r.check, r]));
    },
    close: () => store.close(),
  };
}
