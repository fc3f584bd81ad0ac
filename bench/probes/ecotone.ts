/**
 * Ecotone's half of the probe bench: N integrations, each with an HTTP probe of
 * `http://127.0.0.1:PORT/i/<n>` every 30 s (timeout 5 s, condition `status == 200`), run in this
 * process the way the service runs them: config parsed and applied to a SQLite store in a temp dir,
 * targets read through the probe catalog, the scheduler with the configured concurrency, the real
 * runner (conditions, a no-op tracer's spans) and the recorder (hysteresis, batched SQLite writes).
 * After a warm-up of one interval it measures a window: probes completed, process CPU, RSS,
 * start-time jitter (`startedAt - scheduledAt`) and event-loop delay.
 *
 * Run alone: `node bench/probes/ecotone.ts --integrations 2000 --seconds 60` (starts its own
 * target server unless `--port` names one); `--json` prints the result as one JSON line.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pino } from 'pino';
import type { ScheduledRun } from '../../collector/probes/scheduler.ts';
import { openStore } from '../../db/index.ts';
import { applyCatalog } from '../../src/catalog/index.ts';
import { parseConfig } from '../../src/config/index.ts';
import { createLogger } from '../../src/logger.ts';
import { createIntegrationLabelCache } from '../../src/metrics/index.ts';
import { startProbing } from '../../src/probing/index.ts';
import { startTelemetry, type Telemetry } from '../../src/telemetry/index.ts';
import { VERSION } from '../../src/version.ts';
import { syntheticConfig } from '../metrics-render.ts';
import { percentile, removeOnExit, sleep } from './processes.ts';
import { readTargetStats, spawnTargetServer, type TargetStats } from './target-server.ts';
import { halfArgs, PROBE_INTERVAL_MS, PROBE_TIMEOUT_MS, targetUrl } from './workload.ts';

export interface EcotoneBenchOptions {
  integrations: number;
  /** Length of the measured window, in s. */
  seconds: number;
  /** Port of a running target server on 127.0.0.1. */
  targetPort: number;
  /** Wait before the window, in ms (default one probe interval: every target has run once). */
  warmupMs?: number;
}

export interface Quantiles {
  p50: number;
  p99: number;
  max: number;
}

export interface EcotoneBenchResult {
  integrations: number;
  concurrency: number;
  /** Measured window, in s (wall clock). */
  windowSeconds: number;
  /** Runs whose result reached the recorder during the window. */
  probes: number;
  probesPerSecond: number;
  /** This process's user + system CPU over the window (all threads: main, libuv pool, GC). */
  cpuSeconds: number;
  cpuSecondsPer1000: number;
  /** RSS with the catalog applied, just before probing starts (code, catalog, store). */
  baselineRssBytes: number;
  /** Highest RSS sampled once a second from the start of probing to the end of the window. */
  peakRssBytes: number;
  /** Highest V8 heap in use at the same samples (the rest of RSS is code, native memory, free heap). */
  peakHeapUsedBytes: number;
  /** `startedAt - scheduledAt` of the window's runs, in ms. */
  jitterMs: Quantiles;
  /** Event-loop delay over the window, in ms (10 ms resolution). */
  loopDelayMs: Quantiles;
  /** Failed runs over warm-up and window, and their classes and reasons. */
  failures: number;
  failureReasons: Record<string, number>;
  /** Requests the target server counted during the window (a cross-check of `probes`). */
  targetRequests?: number;
}

interface BenchConfigDocument {
  integrations: Record<string, unknown>[];
}

function benchConfig(options: EcotoneBenchOptions, dbPath: string): string {
  const document = JSON.parse(syntheticConfig(options.integrations, dbPath)) as BenchConfigDocument;
  document.integrations.forEach((integration, i) => {
    integration.probe = {
      type: 'http',
      url: targetUrl(options.targetPort, i),
      interval: `${PROBE_INTERVAL_MS}ms`,
      timeout: `${PROBE_TIMEOUT_MS}ms`,
      conditions: ['status == 200'],
    };
  });
  return JSON.stringify(document);
}

function quantilesOf(values: number[]): Quantiles {
  const sorted = Float64Array.from(values).sort();
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN };
}

const statsOrUndefined = (port: number): Promise<TargetStats | undefined> =>
  readTargetStats(port).catch(() => undefined);

/** Runs Ecotone's prober against the target for one warm-up and one window and measures it. */
export async function benchEcotone(options: EcotoneBenchOptions): Promise<EcotoneBenchResult> {
  const warmupMs = options.warmupMs ?? PROBE_INTERVAL_MS;
  const dir = await mkdtemp(join(tmpdir(), 'ecotone-probe-bench-'));
  const forgetDir = removeOnExit(dir);
  const file = join(dir, 'ecosystem.json');
  const config = parseConfig(benchConfig(options, join(dir, 'ecotone.db')), file);
  const { settings } = config;
  const logger = createLogger({ level: 'warn', destination: pino.destination({ fd: 2, sync: false }) });
  const store = openStore({
    path: settings.storage.path,
    busyTimeout: settings.storage.busyTimeout,
    synchronous: settings.storage.synchronous,
  });
  let rssTimer: NodeJS.Timeout | undefined;
  let stopProbing: (() => Promise<void>) | undefined;
  let telemetry: Telemetry | undefined;
  try {
    await applyCatalog(store, config, { source: file });
    let inWindow = false;
    let probes = 0;
    let failures = 0;
    const failureReasons: Record<string, number> = {};
    const jitter: number[] = [];
    const onRun = (run: ScheduledRun) => {
      if (!run.result.success) {
        failures += 1;
        const key = `${run.result.failure?.class ?? 'other'}: ${run.result.failure?.reason ?? ''}`;
        failureReasons[key] = (failureReasons[key] ?? 0) + 1;
      }
      if (!inWindow) return;
      probes += 1;
      jitter.push(run.startedAt - run.scheduledAt);
    };

    // The service's wiring, started paused so the memory baseline is taken before probing.
    telemetry = startTelemetry({
      serviceVersion: VERSION,
      cardinalityLimit: settings.limits.metricLabelSets,
    });
    const probing = await startProbing({
      store,
      settings: { ...settings, probes: { ...settings.probes, enabled: false } },
      telemetry,
      labels: createIntegrationLabelCache(store),
      logger,
      notifications: { channels: () => config.notifications.channels, maintenance: () => config.maintenance },
      onRun,
    });
    const { scheduler } = probing;
    stopProbing = () => probing.stop(PROBE_TIMEOUT_MS + 1_000);

    const baseline = process.memoryUsage();
    const baselineRssBytes = baseline.rss;
    let peakRssBytes = baseline.rss;
    let peakHeapUsedBytes = baseline.heapUsed;
    const sampleMemory = () => {
      const memory = process.memoryUsage();
      peakRssBytes = Math.max(peakRssBytes, memory.rss);
      peakHeapUsedBytes = Math.max(peakHeapUsedBytes, memory.heapUsed);
    };
    rssTimer = setInterval(sampleMemory, 1_000);
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });

    await scheduler.start();
    if (scheduler.size() !== options.integrations)
      throw new Error(`scheduler has ${scheduler.size()} targets, expected ${options.integrations}`);
    await sleep(warmupMs);

    const stats0 = await statsOrUndefined(options.targetPort);
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    inWindow = true;
    loopDelay.enable();
    await sleep(options.seconds * 1_000);
    inWindow = false;
    const cpu = process.cpuUsage(cpu0);
    const windowSeconds = (performance.now() - wall0) / 1_000;
    loopDelay.disable();
    sampleMemory();
    clearInterval(rssTimer);
    const stats1 = await statsOrUndefined(options.targetPort);

    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const ms = (ns: number) => ns / 1e6;
    return {
      integrations: options.integrations,
      concurrency: settings.probes.concurrency,
      windowSeconds,
      probes,
      probesPerSecond: probes / windowSeconds,
      cpuSeconds,
      cpuSecondsPer1000: probes > 0 ? (cpuSeconds / probes) * 1_000 : Number.NaN,
      baselineRssBytes,
      peakRssBytes,
      peakHeapUsedBytes,
      jitterMs: quantilesOf(jitter),
      loopDelayMs: {
        p50: ms(loopDelay.percentile(50)),
        p99: ms(loopDelay.percentile(99)),
        max: ms(loopDelay.max),
      },
      failures,
      failureReasons,
      ...(stats0 && stats1 && { targetRequests: stats1.requests - stats0.requests }),
    };
  } finally {
    clearInterval(rssTimer);
    await stopProbing?.();
    await telemetry?.shutdown();
    await store.close();
    await rm(dir, { recursive: true, force: true });
    forgetDir();
  }
}

const MiB = 1024 * 1024;

if (import.meta.main) {
  const { integrations, seconds, port, json } = halfArgs('bench/probes/ecotone.ts');
  const target = port === undefined ? await spawnTargetServer() : undefined;
  try {
    const r = await benchEcotone({ integrations, seconds, targetPort: port ?? target?.port ?? 0 });
    if (json) {
      console.log(JSON.stringify(r));
    } else {
      console.log(
        [
          `integrations ${r.integrations}, concurrency ${r.concurrency}, window ${r.windowSeconds.toFixed(1)} s`,
          `probes ${r.probes} (${r.probesPerSecond.toFixed(1)}/s; target counted ${r.targetRequests ?? '?'})`,
          `CPU ${r.cpuSeconds.toFixed(2)} s = ${r.cpuSecondsPer1000.toFixed(3)} s per 1,000 probes`,
          `peak RSS ${(r.peakRssBytes / MiB).toFixed(0)} MiB (${(r.baselineRssBytes / MiB).toFixed(0)} MiB before probing, heap used peak ${(r.peakHeapUsedBytes / MiB).toFixed(0)} MiB)`,
          `jitter p50 ${r.jitterMs.p50} ms, p99 ${r.jitterMs.p99} ms, max ${r.jitterMs.max} ms`,
          `event-loop delay p50 ${r.loopDelayMs.p50.toFixed(1)} ms, p99 ${r.loopDelayMs.p99.toFixed(1)} ms, max ${r.loopDelayMs.max.toFixed(1)} ms`,
          `failures ${r.failures}${r.failures > 0 ? ` ${JSON.stringify(r.failureReasons)}` : ''}`,
        ].join('\n'),
      );
    }
  } finally {
    await target?.stop();
  }
}
