/**
 * Benchmark of `GET /metrics`: how long one Prometheus scrape takes to render with N synthetic
 * integrations in the catalog (SQLite store on a temp file, real telemetry and app, no HTTP
 * socket). For each N it prints the catalog apply time, the render median / p95 / max, the body
 * size, the number of series, and the p95 against the 250 ms goal for a 10,000-integration scrape.
 * It only reports: slow results never fail it.
 *
 * Run: `npm run bench`, or `node bench/run.ts --sizes 1000,10000,20000 --runs 30`.
 * The probe bench (a few minutes, child processes) runs on its own: `node bench/probes/run.ts`.
 * Both are described, with measured figures, in docs/benchmarks.md.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { benchMetricsRender } from './metrics-render.ts';

const GOAL_MS = 250;

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000' },
    runs: { type: 'string', default: '30' },
  },
});
const sizes = values.sizes.split(',').map((s) => Number(s.trim()));
const runs = Number(values.runs);
if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(runs) || runs < 1) {
  console.error('usage: node bench/run.ts [--sizes 1000,10000] [--runs 30]');
  process.exit(2);
}

const cpu = cpus();
console.log(`machine: ${cpu[0]?.model ?? 'unknown cpu'}, ${cpu.length} cores, Node ${process.version}`);
console.log(`GET /metrics, ${runs} timed scrapes after 3 warm-ups; goal: p95 < ${GOAL_MS} ms at 10,000\n`);

const header = [
  'integrations',
  'apply ms',
  'median ms',
  'p95 ms',
  'max ms',
  'body KiB',
  'series',
  'p95 / goal',
];
const rows: string[][] = [];
for (const n of sizes) {
  const r = await benchMetricsRender({ integrations: n, runs });
  rows.push([
    n.toLocaleString('en-US'),
    r.applyMs.toFixed(0),
    r.medianMs.toFixed(1),
    r.p95Ms.toFixed(1),
    r.maxMs.toFixed(1),
    (r.bytes / 1024).toFixed(0),
    r.series.toLocaleString('en-US'),
    `${(r.p95Ms / GOAL_MS).toFixed(2)}x of goal`,
  ]);
}
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
for (const row of [header, ...rows])
  console.log(row.map((cell, i) => cell.padStart(widths[i] ?? 0)).join('  '));
