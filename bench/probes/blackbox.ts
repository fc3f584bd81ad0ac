/**
 * The reference half of the probe bench: Debian's `prometheus-blackbox-exporter` probing the same
 * N URLs as Ecotone's half (module `http_2xx`, timeout 5 s), with a Prometheus scraping it through
 * `/probe` every 30 s, as blackbox is meant to be run. Both run as child processes with their
 * configs and TSDB in a temp dir. After every target has been scraped once (the warm-up) it
 * measures a window: the CPU of each process from /proc/<pid>/stat, their RSS, and the probes done,
 * counted by Prometheus (samples of `up`: one per scrape, and a scrape is one probe) and by the
 * target server.
 *
 * Run alone: `node bench/probes/blackbox.ts --integrations 2000 --seconds 60` (starts its own
 * target server unless `--port` names one); `--json` prints the result as one JSON line.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import {
  freePort,
  hasCommand,
  readProc,
  removeOnExit,
  sleep,
  spawnTracked,
  stopChild,
  waitUntil,
} from './processes.ts';
import { readTargetStats, spawnTargetServer, type TargetStats } from './target-server.ts';
import { halfArgs, PROBE_INTERVAL_MS, PROBE_TIMEOUT_MS, targetUrl } from './workload.ts';

const PACKAGE = 'prometheus-blackbox-exporter';
const JOB = 'blackbox';

export interface BlackboxBenchOptions {
  integrations: number;
  /** Length of the measured window, in s. */
  seconds: number;
  /** Port of a running target server on 127.0.0.1. */
  targetPort: number;
  /** Path of the blackbox_exporter binary (default: {@link findBlackboxExporter}). */
  exporter?: string;
}

export interface BlackboxBenchResult {
  integrations: number;
  exporterVersion: string;
  prometheusVersion: string;
  /** Measured window, in s (wall clock). */
  windowSeconds: number;
  /** Scrapes of `/probe` in the window, from Prometheus (`count_over_time(up[window])`). */
  probes: number;
  probesPerSecond: number;
  /** Scrapes whose `probe_success` was not 1 (or that failed outright). */
  failures: number;
  /** Requests the target server counted during the window (a cross-check of `probes`). */
  targetRequests?: number;
  exporterCpuSeconds: number;
  prometheusCpuSeconds: number;
  exporterCpuSecondsPer1000: number;
  /** Exporter and Prometheus together: Prometheus does the scheduling in this setup. */
  totalCpuSecondsPer1000: number;
  exporterPeakRssBytes: number;
  prometheusPeakRssBytes: number;
  /**
   * Prometheus's own measure of its scrape timing: quantiles 0.01 / 0.5 / 0.99 of the time between
   * two scrapes of a target (`prometheus_target_interval_length_seconds`, interval 30s), in s.
   */
  scrapeIntervalSeconds?: { p1: number; p50: number; p99: number };
}

/** The blackbox_exporter binary the Debian package installed, or one on PATH; undefined if none. */
export function findBlackboxExporter(): string | undefined {
  try {
    const files = execFileSync('dpkg', ['-L', PACKAGE], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const binary = files
      .split('\n')
      .find((f) => /\/bin\/(prometheus-blackbox-exporter|blackbox_exporter)$/.test(f));
    if (binary) return binary;
  } catch {
    // Not installed as a Debian package; try PATH.
  }
  return ['prometheus-blackbox-exporter', 'blackbox_exporter'].find(hasCommand);
}

function versionOf(binary: string): string {
  try {
    const out = execFileSync(binary, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return /version (\S+)/.exec(out)?.[1] ?? 'unknown';
  } catch (error) {
    const text = String((error as { stderr?: unknown }).stderr ?? '');
    return /version (\S+)/.exec(text)?.[1] ?? 'unknown';
  }
}

function blackboxConfig(): string {
  return stringify({ modules: { http_2xx: { prober: 'http', timeout: `${PROBE_TIMEOUT_MS / 1000}s` } } });
}

/** The usual blackbox scrape job: targets become `?target=`, the scrape goes to the exporter. */
function prometheusConfig(options: BlackboxBenchOptions, exporterPort: number): string {
  return stringify({
    global: {
      scrape_interval: `${PROBE_INTERVAL_MS / 1000}s`,
      scrape_timeout: `${PROBE_TIMEOUT_MS / 1000}s`,
    },
    scrape_configs: [
      {
        job_name: JOB,
        metrics_path: '/probe',
        params: { module: ['http_2xx'] },
        static_configs: [
          {
            targets: Array.from({ length: options.integrations }, (_, i) => targetUrl(options.targetPort, i)),
          },
        ],
        relabel_configs: [
          { source_labels: ['__address__'], target_label: '__param_target' },
          { source_labels: ['__param_target'], target_label: 'instance' },
          { target_label: '__address__', replacement: `127.0.0.1:${exporterPort}` },
        ],
      },
    ],
  });
}

async function get(url: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
  return res.text();
}

/** One number from an instant PromQL query (the first series' value), NaN when there is none. */
async function queryNumber(prometheus: string, query: string, at?: number): Promise<number> {
  const params = new URLSearchParams({ query });
  if (at !== undefined) params.set('time', (at / 1000).toFixed(3));
  const body = JSON.parse(await get(`${prometheus}/api/v1/query?${params}`)) as {
    data?: { result?: { value?: [number, string] }[] };
  };
  return Number(body.data?.result?.[0]?.value?.[1] ?? Number.NaN);
}

async function scrapeIntervals(prometheus: string): Promise<BlackboxBenchResult['scrapeIntervalSeconds']> {
  const text = await get(`${prometheus}/metrics`).catch(() => '');
  const quantile = (q: string) => {
    const pattern = new RegExp(
      `^prometheus_target_interval_length_seconds\\{interval="${PROBE_INTERVAL_MS / 1000}s",quantile="${q}"\\} (\\S+)$`,
      'm',
    );
    return Number(pattern.exec(text)?.[1] ?? Number.NaN);
  };
  const result = { p1: quantile('0.01'), p50: quantile('0.5'), p99: quantile('0.99') };
  return Number.isNaN(result.p50) ? undefined : result;
}

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

const statsOrUndefined = (port: number): Promise<TargetStats | undefined> =>
  readTargetStats(port).catch(() => undefined);

/** Runs blackbox_exporter and Prometheus against the target for one warm-up and one window. */
export async function benchBlackbox(options: BlackboxBenchOptions): Promise<BlackboxBenchResult> {
  const exporterBinary = options.exporter ?? findBlackboxExporter();
  if (!exporterBinary) throw new Error(`${PACKAGE} is not installed`);
  const dir = await mkdtemp(join(tmpdir(), 'ecotone-blackbox-bench-'));
  const forgetDir = removeOnExit(dir);
  const [exporterPort, prometheusPort] = [await freePort(), await freePort()];
  const prometheus = `http://127.0.0.1:${prometheusPort}`;
  await writeFile(join(dir, 'blackbox.yml'), blackboxConfig());
  await writeFile(join(dir, 'prometheus.yml'), prometheusConfig(options, exporterPort));
  const exporterLog = join(dir, 'blackbox.log');
  const prometheusLog = join(dir, 'prometheus.log');

  const spawnLogged = (binary: string, args: string[], log: string) => {
    const fd = openSync(log, 'a');
    try {
      return spawnTracked(binary, args, { stdio: ['ignore', fd, fd] });
    } finally {
      closeSync(fd);
    }
  };
  const exporter = spawnLogged(
    exporterBinary,
    [
      `--config.file=${join(dir, 'blackbox.yml')}`,
      `--web.listen-address=127.0.0.1:${exporterPort}`,
      '--log.level=warn',
    ],
    exporterLog,
  );
  const server = spawnLogged(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${prometheusPort}`,
      '--storage.tsdb.retention.time=1d',
      '--log.level=warn',
    ],
    prometheusLog,
  );
  let rssTimer: NodeJS.Timeout | undefined;
  try {
    const exporterUp = await waitUntil(
      async () => (await get(`http://127.0.0.1:${exporterPort}/metrics`)) !== '',
      {
        timeoutMs: 15_000,
        everyMs: 250,
      },
    );
    if (!exporterUp) throw new Error(`blackbox_exporter did not start:\n${tail(exporterLog)}`);
    const prometheusUp = await waitUntil(async () => (await get(`${prometheus}/-/ready`)) !== '', {
      timeoutMs: 60_000,
      everyMs: 500,
    });
    if (!prometheusUp) throw new Error(`prometheus did not become ready:\n${tail(prometheusLog)}`);

    let exporterPeakRssBytes = 0;
    let prometheusPeakRssBytes = 0;
    const sampleRss = () => {
      exporterPeakRssBytes = Math.max(exporterPeakRssBytes, readProc(exporter.pid ?? 0).rssBytes);
      prometheusPeakRssBytes = Math.max(prometheusPeakRssBytes, readProc(server.pid ?? 0).rssBytes);
    };
    rssTimer = setInterval(() => {
      try {
        sampleRss();
      } catch {
        // A child that exited is reported below; sampling just stops counting it.
      }
    }, 1_000);

    // Warm-up: until every target has been scraped once (Prometheus spreads first scrapes over one interval).
    const scraped = await waitUntil(
      async () => (await queryNumber(prometheus, `count(up{job="${JOB}"})`)) >= options.integrations,
      { timeoutMs: PROBE_INTERVAL_MS + 60_000, everyMs: 2_000 },
    );
    if (!scraped)
      throw new Error(`prometheus did not scrape all ${options.integrations} targets within the warm-up`);

    const stats0 = await statsOrUndefined(options.targetPort);
    const exporter0 = readProc(exporter.pid ?? 0);
    const server0 = readProc(server.pid ?? 0);
    const wall0 = performance.now();
    await sleep(options.seconds * 1_000);
    const exporter1 = readProc(exporter.pid ?? 0);
    const server1 = readProc(server.pid ?? 0);
    const windowSeconds = (performance.now() - wall0) / 1_000;
    const end = Date.now();
    sampleRss();
    clearInterval(rssTimer);
    const stats1 = await statsOrUndefined(options.targetPort);
    // A scrape's samples (up, probe_success) are committed when it ends, at most one timeout after
    // its timestamp: wait for the window's last scrapes before counting them.
    await sleep(PROBE_TIMEOUT_MS + 1_000);

    const range = `[${Math.round(windowSeconds * 1000)}ms]`;
    const probes = await queryNumber(prometheus, `sum(count_over_time(up{job="${JOB}"}${range}))`, end);
    const successes = await queryNumber(
      prometheus,
      `sum(sum_over_time(probe_success{job="${JOB}"}${range}))`,
      end,
    );
    const exporterCpuSeconds = exporter1.cpuSeconds - exporter0.cpuSeconds;
    const prometheusCpuSeconds = server1.cpuSeconds - server0.cpuSeconds;
    const per1000 = (cpu: number) => (probes > 0 ? (cpu / probes) * 1_000 : Number.NaN);
    return {
      integrations: options.integrations,
      exporterVersion: versionOf(exporterBinary),
      prometheusVersion: versionOf('prometheus'),
      windowSeconds,
      probes,
      probesPerSecond: probes / windowSeconds,
      failures: probes - (Number.isNaN(successes) ? 0 : successes),
      ...(stats0 && stats1 && { targetRequests: stats1.requests - stats0.requests }),
      exporterCpuSeconds,
      prometheusCpuSeconds,
      exporterCpuSecondsPer1000: per1000(exporterCpuSeconds),
      totalCpuSecondsPer1000: per1000(exporterCpuSeconds + prometheusCpuSeconds),
      exporterPeakRssBytes,
      prometheusPeakRssBytes,
      scrapeIntervalSeconds: await scrapeIntervals(prometheus),
    };
  } finally {
    clearInterval(rssTimer);
    await Promise.all([stopChild(server), stopChild(exporter)]);
    await rm(dir, { recursive: true, force: true });
    forgetDir();
  }
}

const MiB = 1024 * 1024;

if (import.meta.main) {
  const { integrations, seconds, port, json } = halfArgs('bench/probes/blackbox.ts');
  if (!findBlackboxExporter()) {
    console.log(`${PACKAGE} is not installed (apt-get install -y ${PACKAGE}); nothing to measure`);
    process.exit(0);
  }
  const target = port === undefined ? await spawnTargetServer() : undefined;
  try {
    const r = await benchBlackbox({ integrations, seconds, targetPort: port ?? target?.port ?? 0 });
    if (json) {
      console.log(JSON.stringify(r));
    } else {
      const interval = r.scrapeIntervalSeconds;
      console.log(
        [
          `blackbox_exporter ${r.exporterVersion}, prometheus ${r.prometheusVersion}`,
          `integrations ${r.integrations}, window ${r.windowSeconds.toFixed(1)} s`,
          `probes ${r.probes} (${r.probesPerSecond.toFixed(1)}/s; target counted ${r.targetRequests ?? '?'})`,
          `CPU exporter ${r.exporterCpuSeconds.toFixed(2)} s = ${r.exporterCpuSecondsPer1000.toFixed(3)} s per 1,000 probes`,
          `CPU prometheus ${r.prometheusCpuSeconds.toFixed(2)} s; both ${r.totalCpuSecondsPer1000.toFixed(3)} s per 1,000 probes`,
          `peak RSS exporter ${(r.exporterPeakRssBytes / MiB).toFixed(0)} MiB, prometheus ${(r.prometheusPeakRssBytes / MiB).toFixed(0)} MiB`,
          interval
            ? `scrape interval p1 ${interval.p1.toFixed(3)} s, p50 ${interval.p50.toFixed(3)} s, p99 ${interval.p99.toFixed(3)} s`
            : 'scrape interval: not reported',
          `failures ${r.failures}`,
        ].join('\n'),
      );
    }
  } finally {
    await target?.stop();
  }
}
