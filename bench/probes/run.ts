/**
 * The probe bench: for each size, Ecotone's prober (in its own process, see `ecotone.ts`) and then
 * Debian's blackbox_exporter with a Prometheus scraping it (see `blackbox.ts`) probe the same
 * loopback URLs every 30 s, one after the other, against one target server in its own process.
 * Prints probes/s, CPU seconds per 1,000 probes, RSS, Ecotone's start-time jitter, failures, and
 * Ecotone's CPU per probe against blackbox's. It only reports: slow results never fail it.
 *
 * Run: `node bench/probes/run.ts`, or `node bench/probes/run.ts --sizes 2000,10000 --seconds 60`.
 * A size takes about 2 × (30 s warm-up + the window) plus start-up.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { type BlackboxBenchResult, benchBlackbox, findBlackboxExporter } from './blackbox.ts';
import type { EcotoneBenchResult } from './ecotone.ts';
import { sleep, spawnTracked } from './processes.ts';
import { spawnTargetServer } from './target-server.ts';
import { PROBE_INTERVAL_MS, PROBE_TIMEOUT_MS } from './workload.ts';

const GOAL_INTEGRATIONS = 10_000;
const GOAL_JITTER_P99_MS = 1_000;
const MiB = 1024 * 1024;

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '2000,10000' },
    seconds: { type: 'string', default: '60' },
  },
});
const sizes = values.sizes.split(',').map((s) => Number(s.trim()));
const seconds = Number(values.seconds);
if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 100_000) || !(seconds > 0 && seconds <= 3_600)) {
  console.error('usage: node bench/probes/run.ts [--sizes 2000,10000] [--seconds 60]');
  process.exit(2);
}

/** Runs `ecotone.ts` in a fresh Node process, so each size starts from a clean heap and its own RSS. */
function runEcotone(integrations: number, targetPort: number): Promise<EcotoneBenchResult> {
  const script = new URL('./ecotone.ts', import.meta.url).pathname;
  const args = [script, '--integrations', String(integrations), '--seconds', String(seconds)];
  const child = spawnTracked(process.execPath, [...args, '--port', String(targetPort), '--json'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    out += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) reject(new Error(`ecotone bench exited with ${code}`));
      else resolve(JSON.parse(last) as EcotoneBenchResult);
    });
  });
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
  return [header, ...rows]
    .map((row) => row.map((cell, i) => cell.padStart(widths[i] ?? 0)).join('  '))
    .join('\n');
}

const n = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '-');
const count = (value: number) => value.toLocaleString('en-US');
const progress = (text: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${text}`);

const cpu = cpus();
const exporter = findBlackboxExporter();
const approxSeconds = Math.round(PROBE_INTERVAL_MS / 1000 + seconds + 10);
const target = await spawnTargetServer();
const results: { size: number; ecotone?: EcotoneBenchResult; blackbox?: BlackboxBenchResult }[] = [];
try {
  for (const size of sizes) {
    const row: (typeof results)[number] = { size };
    results.push(row);
    progress(`Ecotone, ${count(size)} integrations (about ${approxSeconds} s)`);
    try {
      row.ecotone = await runEcotone(size, target.port);
    } catch (error) {
      console.error(`Ecotone at ${count(size)}: ${(error as Error).message}`);
    }
    if (!exporter) continue;
    // Let the loopback connections of the previous run leave TIME_WAIT before the next one.
    await sleep(2_000);
    progress(`blackbox_exporter + Prometheus, ${count(size)} integrations (about ${approxSeconds + 5} s)`);
    try {
      row.blackbox = await benchBlackbox({ integrations: size, seconds, targetPort: target.port, exporter });
    } catch (error) {
      console.error(`blackbox at ${count(size)}: ${(error as Error).message}`);
    }
    await sleep(2_000);
  }
} finally {
  await target.stop();
}

const versions = results.find((r) => r.blackbox)?.blackbox;
console.log(
  `\nmachine: ${cpu[0]?.model ?? 'unknown cpu'}, ${cpu.length} cores, Node ${process.version}` +
    (versions
      ? `; blackbox_exporter ${versions.exporterVersion}, prometheus ${versions.prometheusVersion}`
      : ''),
);
console.log(
  `workload: N HTTP GETs of loopback URLs every ${PROBE_INTERVAL_MS / 1000} s (timeout ${PROBE_TIMEOUT_MS / 1000} s); ` +
    `warm-up ${PROBE_INTERVAL_MS / 1000} s, then a ${seconds} s window`,
);
console.log(
  `goal: ${count(GOAL_INTEGRATIONS)} integrations with p99 jitter < ${count(GOAL_JITTER_P99_MS)} ms ` +
    `and CPU per probe no worse than blackbox_exporter's\n`,
);

console.log('Ecotone: scheduler + runner + recorder (SQLite) in one process');
console.log(
  table(
    [
      'integrations',
      'probes',
      'probes/s',
      'CPU s/1k probes',
      'CPU % of a core',
      'peak RSS MiB',
      'jitter p50 ms',
      'p99 ms',
      'max ms',
      'failures',
    ],
    results.map(({ size, ecotone: e }) =>
      e
        ? [
            count(size),
            count(e.probes),
            n(e.probesPerSecond, 1),
            n(e.cpuSecondsPer1000, 3),
            n((e.cpuSeconds / e.windowSeconds) * 100, 1),
            n(e.peakRssBytes / MiB),
            n(e.jitterMs.p50),
            n(e.jitterMs.p99),
            n(e.jitterMs.max),
            count(e.failures),
          ]
        : [count(size), 'failed to run', '', '', '', '', '', '', '', ''],
    ),
  ),
);
for (const { size, ecotone: e } of results) {
  if (!e) continue;
  const notes = [
    `RSS before probing ${n(e.baselineRssBytes / MiB)} MiB`,
    `peak V8 heap used ${n(e.peakHeapUsedBytes / MiB)} MiB`,
    `event-loop delay p99 ${n(e.loopDelayMs.p99, 1)} ms, max ${n(e.loopDelayMs.max, 1)} ms`,
    `target counted ${e.targetRequests === undefined ? '?' : count(e.targetRequests)}`,
  ];
  console.log(`  ${count(size)}: ${notes.join('; ')}`);
  for (const [reason, times] of Object.entries(e.failureReasons))
    console.log(`    failed ${times}x: ${reason}`);
}

if (!exporter) {
  console.log(
    '\nprometheus-blackbox-exporter is not installed (apt-get install -y prometheus-blackbox-exporter):',
  );
  console.log('no blackbox comparison.');
  process.exit(0);
}

console.log('\nblackbox_exporter probing, Prometheus scheduling (scrapes of /probe)');
console.log(
  table(
    [
      'integrations',
      'probes',
      'probes/s',
      'exporter CPU s/1k',
      'with Prometheus s/1k',
      'exporter RSS MiB',
      'Prometheus RSS MiB',
      'failures',
    ],
    results.map(({ size, blackbox: b }) =>
      b
        ? [
            count(size),
            count(b.probes),
            n(b.probesPerSecond, 1),
            n(b.exporterCpuSecondsPer1000, 3),
            n(b.totalCpuSecondsPer1000, 3),
            n(b.exporterPeakRssBytes / MiB),
            n(b.prometheusPeakRssBytes / MiB),
            count(b.failures),
          ]
        : [count(size), 'failed to run', '', '', '', '', '', ''],
    ),
  ),
);
for (const { size, blackbox: b } of results) {
  if (!b) continue;
  const interval = b.scrapeIntervalSeconds;
  const notes = [
    interval
      ? `Prometheus scrape interval p1 ${n(interval.p1, 3)} s, p50 ${n(interval.p50, 3)} s, p99 ${n(interval.p99, 3)} s`
      : 'scrape interval not reported',
    `target counted ${b.targetRequests === undefined ? '?' : count(b.targetRequests)}`,
  ];
  console.log(`  ${count(size)}: ${notes.join('; ')}`);
}

console.log('\nCPU seconds per 1,000 probes, side by side (ratio < 1: Ecotone uses less)');
console.log(
  table(
    ['integrations', 'Ecotone', 'blackbox', 'Ecotone / blackbox', 'blackbox + Prometheus', 'Ecotone / both'],
    results.map(({ size, ecotone: e, blackbox: b }) => [
      count(size),
      e ? n(e.cpuSecondsPer1000, 3) : '-',
      b ? n(b.exporterCpuSecondsPer1000, 3) : '-',
      e && b ? n(e.cpuSecondsPer1000 / b.exporterCpuSecondsPer1000, 2) : '-',
      b ? n(b.totalCpuSecondsPer1000, 3) : '-',
      e && b ? n(e.cpuSecondsPer1000 / b.totalCpuSecondsPer1000, 2) : '-',
    ]),
  ),
);
