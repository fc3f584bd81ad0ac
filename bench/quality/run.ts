/**
 * Times the data-quality checks over a 5-million-row SQLite table: rows/s per check kind (each
 * alone, then all together in one shared pass), with the peak RSS of the service process and of
 * the SQLite reader process. The checks aggregate in SQL or stream keys in batches, so neither
 * process should grow with the table.
 *
 *   node bench/quality/run.ts [--rows 5000000]
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { runDatasetChecks } from '../../collector/quality/index.ts';
import { parseConfig } from '../../src/config/index.ts';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '5000000' } } });
const ROWS = Number(values.rows);
const MB = 1024 * 1024;

/** Peak resident memory of this process's children (the SQLite reader), sampled every 20 ms. */
function watchChildren() {
  let peak = 0;
  const read = () => {
    try {
      const children = readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8')
        .trim()
        .split(/\s+/);
      for (const pid of children.filter(Boolean)) {
        const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        if (match) peak = Math.max(peak, Number(match[1]) * 1024);
      }
    } catch {
      // a child that just exited
    }
  };
  const timer = setInterval(read, 20);
  return {
    take() {
      const value = peak;
      peak = 0;
      return value;
    },
    stop: () => clearInterval(timer),
  };
}

const dir = await mkdtemp(join(tmpdir(), 'ecotone-bench-quality-'));
try {
  const file = join(dir, 'bench.db');
  const started = performance.now();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  for (const table of ['customers', 'copy'])
    db.exec(`CREATE TABLE ${table} (id INTEGER, email TEXT, status TEXT, amount REAL, updated_at TEXT)`);
  const insert = db.prepare('INSERT INTO customers VALUES (?, ?, ?, ?, ?)');
  const base = Date.parse('2026-03-01T00:00:00Z');
  const fill = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++)
      insert.run(
        i % 1000 === 0 ? i - 1 : i,
        i % 97 === 0 ? null : `customer${i}@example.com`,
        ['active', 'inactive', 'churned'][i % 3],
        (i % 10_000) / 10,
        new Date(base + i * 1000).toISOString(),
      );
  });
  for (let i = 0; i < ROWS; i += 500_000) fill(i, Math.min(ROWS, i + 500_000));
  db.exec('INSERT INTO copy SELECT * FROM customers WHERE id % 500 <> 0');
  db.close();
  console.log(
    `built ${ROWS.toLocaleString('en')} rows (and a copy) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  const CHECKS: [string, string][] = [
    ['freshness', '{ type: freshness, column: updated_at, warn: 1h }'],
    ['row_count', '{ type: row_count, min: { fail: 1 } }'],
    ['missing', '{ type: missing, column: email, warn: 1% }'],
    ['duplicates', '{ type: duplicates, key: [id], warn: 0 }'],
    ['invalid (values)', '{ type: invalid, column: status, values: [active, inactive], warn: 1% }'],
    ['invalid (range)', '{ type: invalid, column: amount, min: 0, max: 500, warn: 1% }'],
    ['invalid (pattern)', '{ type: invalid, column: email, pattern: "^[^@]+@[^@]+$", warn: 1% }'],
    ['schema', '{ type: schema, columns: { id: integer, email: string } }'],
    ['consistency (count)', '{ type: consistency, reference: copy, measure: count, warn: 1% }'],
    [
      'consistency (sum)',
      '{ type: consistency, name: sum, reference: copy, measure: sum, column: amount, warn: 1% }',
    ],
    ['consistency (keys)', '{ type: consistency, reference: copy, measure: keys, key: [id], warn: 1% }'],
    ['anomaly (row_count)', '{ type: anomaly, metric: row_count }'],
  ];
  const all = CHECKS.filter(([n]) => n !== 'consistency (keys)' && n !== 'invalid (pattern)').map(
    ([, c]) => c,
  );
  const configFor = (checks: string[]) =>
    parseConfig(
      `settings:
  quality: { timeout: 10m, maxRows: 10000000 }
participants: [{ id: acme, role: orchestrator, country: DE }]
systems: [{ id: crm, participant: acme }]
datasets:
  - id: customers
    system: crm
    source: { type: sqlite, path: ${file}, table: customers }
    checks:
${checks.map((c) => `      - ${c}`).join('\n')}
  - id: copy
    system: crm
    source: { type: sqlite, path: ${file}, table: copy }
`,
      join(dir, 'ecosystem.yaml'),
      { env: {} },
    );
  const history = { observed: async () => [], lastColumns: async () => undefined };
  const children = watchChildren();
  const rows: string[][] = [];
  const runCase = async (name: string, checks: string[]) => {
    const config = configFor(checks);
    const datasets = new Map(config.datasets.map((d) => [d.id, d]));
    const before = process.memoryUsage().rss;
    const run = await runDatasetChecks({
      dataset: datasets.get('customers') as (typeof config.datasets)[number],
      datasets,
      history,
      limits: { timeoutMs: 600_000, maxRows: 10_000_000, maxBody: 16 * MB },
      baseDir: dir,
    });
    const errors = run.results.filter((r) => r.outcome === 'error');
    if (errors.length > 0) throw new Error(`${name}: ${errors.map((e) => e.message).join('; ')}`);
    rows.push([
      name,
      (run.durationMs / 1000).toFixed(2),
      Math.round(ROWS / (run.durationMs / 1000)).toLocaleString('en'),
      (Math.max(before, process.memoryUsage().rss) / MB).toFixed(0),
      (children.take() / MB).toFixed(0),
    ]);
  };
  for (const [name, check] of CHECKS) await runCase(name, [check]);
  await runCase('all but keys and pattern, one pass', all);
  children.stop();

  const header = ['check', 'seconds', 'rows/s', 'service RSS MiB', 'reader RSS MiB'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  console.log(
    `\n${ROWS.toLocaleString('en')} rows, Node ${process.version}, peak service RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB\n`,
  );
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
} finally {
  await rm(dir, { recursive: true, force: true });
}
