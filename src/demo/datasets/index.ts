import { mkdir, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type Logger, pino } from 'pino';
import { type DriftState, driftAt } from './drift.ts';

export { CYCLE_MS, type DriftState, driftAt } from './drift.ts';

export interface DemoDatasetsOptions {
  /** Folder the SQLite files and CSV drops are written to (the example reads `data/demo` by default). */
  dir: string;
  /** Loopback port of the PIM products endpoint (default 9483; 0 picks a free one). */
  port?: number;
  /** How often the data moves on, ms (default 15000). */
  tickMs?: number;
  /** Clock, Unix ms (default Date.now). */
  now?: () => number;
  logger?: Logger;
}

export interface DemoDatasets {
  /** The environment the example reads: ECOTONE_DEMO_DATA and PIM_PRODUCTS_URL. */
  env: Record<string, string>;
  /** Moves the data on now instead of waiting for the next tick. */
  tick(): Promise<DriftState>;
  stop(): Promise<void>;
}

const WAREHOUSES = ['pl-wro', 'de-ber', 'cz-prg'];
const KEEP_DROPS = 20;
const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');

/**
 * The example's four datasets, drifting so the data-quality checks show every outcome within a
 * 20-minute cycle: a CRM customers table (SQLite) and the analytics copy of it (SQLite) whose
 * counts diverge while analytics is paused; 3PL stock snapshots dropped as CSV files that stop
 * arriving for a while; CRM emails that start arriving empty; and a PIM products endpoint
 * (HTTP JSON) whose schema changes mid-run and back.
 *
 * @example
 * const datasets = await startDemoDatasets({ dir: 'data/demo' });
 * const config = await loadConfig('examples/ecosystem.yaml', { env: { ...process.env, ...datasets.env } });
 */
export async function startDemoDatasets(options: DemoDatasetsOptions): Promise<DemoDatasets> {
  const now = options.now ?? Date.now;
  const logger = options.logger ?? pino({ level: 'silent' });
  const started = now();
  const drops = join(options.dir, 'drops');
  await mkdir(drops, { recursive: true });

  const crm = new Database(join(options.dir, 'crm.db'));
  crm.pragma('journal_mode = WAL');
  crm.exec(`CREATE TABLE IF NOT EXISTS customers (
    id INTEGER PRIMARY KEY, email TEXT, segment TEXT, country TEXT, updated_at TIMESTAMP NOT NULL)`);
  const analytics = new Database(join(options.dir, 'analytics.db'));
  analytics.pragma('journal_mode = WAL');
  analytics.exec(`CREATE TABLE IF NOT EXISTS dim_customers (
    customer_id INTEGER PRIMARY KEY, email TEXT, segment TEXT, loaded_at TIMESTAMP NOT NULL)`);

  const addCustomer = crm.prepare(
    'INSERT INTO customers (email, segment, country, updated_at) VALUES (?, ?, ?, ?)',
  );
  const maxLoaded = analytics.prepare('SELECT coalesce(max(customer_id), 0) FROM dim_customers').pluck();
  const newCustomers = crm.prepare('SELECT id, email, segment FROM customers WHERE id > ? ORDER BY id');
  const load = analytics.prepare('INSERT OR REPLACE INTO dim_customers VALUES (?, ?, ?, ?)');
  const loadAll = analytics.transaction(
    (rows: { id: number; email: string; segment: string }[], at: string) => {
      for (const r of rows) load.run(r.id, r.email, r.segment, at);
    },
  );
  let sequence = 0;
  let state = driftAt(0);

  async function tick(): Promise<DriftState> {
    const at = now();
    const next = driftAt(at - started);
    if (JSON.stringify(next) !== JSON.stringify(state)) logger.info({ drift: next }, 'demo datasets drift');
    state = next;
    const iso = new Date(at).toISOString();
    for (let i = 0; i < 3; i++) {
      sequence++;
      addCustomer.run(
        state.emailsEmpty ? '' : `customer${sequence}@example.com`,
        ['retail', 'b2b', 'outlet'][sequence % 3],
        ['DE', 'PL', 'AT', 'CZ'][sequence % 4],
        iso,
      );
    }
    if (!state.analyticsPaused) loadAll(newCustomers.all(maxLoaded.get()) as never, iso);
    if (!state.dropsStale) {
      const lines = ['sku,warehouse,quantity,counted_at'];
      for (let i = 0; i < 40; i++)
        lines.push(`SKU-${1000 + i},${WAREHOUSES[i % 3]},${(i * 37 + sequence) % 500},${iso}`);
      const file = join(drops, `stock-${stamp(at)}.csv`);
      await writeFile(file, `${lines.join('\n')}\n`);
      // The drop's time is the demo clock's, so a test clock ages it too.
      await utimes(file, new Date(at), new Date(at));
      const files = (await readdir(drops)).filter((f) => f.startsWith('stock-')).sort();
      for (const old of files.slice(0, Math.max(0, files.length - KEEP_DROPS)))
        await rm(join(drops, old), { force: true });
    }
    return state;
  }

  const server = createServer((req, res) => {
    if (req.url !== '/products') {
      res.writeHead(404).end();
      return;
    }
    const items = Array.from({ length: 25 }, (_, i) => {
      const price = Math.round((19.9 + i * 3.5) * 100) / 100;
      return state.pimSchemaChanged
        ? {
            sku: `SKU-${1000 + i}`,
            name: `Trail product ${i}`,
            price: price.toFixed(2),
            badge: i % 5 === 0 ? 'new' : 'none',
          }
        : { sku: `SKU-${1000 + i}`, name: `Trail product ${i}`, price };
    });
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ items, total: items.length }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          `demo datasets: cannot listen on 127.0.0.1:${options.port ?? 9483}: ${error.code === 'EADDRINUSE' ? 'the port is in use' : error.message}`,
        ),
      ),
    );
    server.listen(options.port ?? 9483, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };

  await tick();
  const timer = setInterval(() => {
    tick().catch((error: unknown) => logger.warn({ err: error }, 'demo datasets: tick failed'));
  }, options.tickMs ?? 15_000);
  timer.unref();
  logger.info({ dir: options.dir, pim: `http://127.0.0.1:${port}/products` }, 'demo datasets started');

  let stopping: Promise<void> | undefined;
  return {
    env: { ECOTONE_DEMO_DATA: options.dir, PIM_PRODUCTS_URL: `http://127.0.0.1:${port}/products` },
    tick,
    stop() {
      stopping ??= (async () => {
        clearInterval(timer);
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        crm.close();
        analytics.close();
      })();
      return stopping;
    },
  };
}
