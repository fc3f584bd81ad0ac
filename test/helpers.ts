import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { initialState } from '../collector/status/hysteresis.ts';
import { openStore, ROLLUP_DURATION_BUCKETS_SECONDS, type StatusState, type Store } from '../db/index.ts';
import { createKpiCatalog } from '../jobs/kpi/index.ts';
import { applyCatalog } from '../src/catalog/index.ts';
import { type Config, loadConfig, parseConfig } from '../src/config/index.ts';
import { type Ingest, startIngest } from '../src/ingest/index.ts';
import { startKpis } from '../src/kpis/index.ts';
import {
  createIntegrationLabelCache,
  createJobMetrics,
  DURATION_BUCKETS_SECONDS,
  PROBE_DURATION_BUCKETS_SECONDS,
  type ProbeMetricsSource,
  registerCatalogMetrics,
  registerProbeMetrics,
} from '../src/metrics/index.ts';
import { registerQualityMetrics } from '../src/metrics/quality-metrics.ts';
import { authOptions, createApp } from '../src/server/index.ts';
import { startTelemetry, type Telemetry } from '../src/telemetry/index.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const EXAMPLE_CONFIG = join(ROOT, 'examples', 'ecosystem.yaml');
export const CLI = join(ROOT, 'src', 'cli', 'main.ts');
export const silentLogger = pino({ level: 'silent' });

/** A fresh temporary folder, removed by the returned function. */
export async function tempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ecotone-test-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * The bundled example, with its store moved into `dir`. Auth is off unless asked for, so tests
 * of other things need no tokens.
 */
export async function exampleConfig(dir: string, options: { auth?: boolean } = {}): Promise<Config> {
  const config = await loadConfig(EXAMPLE_CONFIG, { env: {} });
  config.settings.storage.path = join(dir, 'ecotone.db');
  config.settings.auth.enabled = options.auth ?? false;
  return config;
}

/** A config from YAML text (env empty), its store in `dir`; auth off unless the YAML turns it on. */
export function configFrom(yaml: string, dir: string): Config {
  const config = parseConfig(yaml, join(dir, 'ecosystem.yaml'), { env: {} });
  config.settings.storage.path = join(dir, 'ecotone.db');
  if (!/\bauth:/.test(yaml)) config.settings.auth.enabled = false;
  return config;
}

export interface TestApp {
  app: ReturnType<typeof createApp>;
  store: Store;
  telemetry: Telemetry;
  schedulerRunning: { value: boolean };
  jobMetrics: ReturnType<typeof createJobMetrics>;
  ingest: Ingest;
  /** What the probe metrics read; tests fill it. */
  probes: {
    aggregates: Map<
      string,
      ReturnType<ProbeMetricsSource['aggregates']> extends ReadonlyMap<string, infer A> ? A : never
    >;
    statuses: Map<string, StatusState>;
    availability: Map<string, Record<string, number>>;
  };
  close: () => Promise<void>;
}

/** The HTTP app over a real SQLite file with the config's catalog applied and real telemetry. */
export async function startTestApp(config: Config): Promise<TestApp> {
  const store = openStore({ path: config.settings.storage.path });
  await applyCatalog(store, config, { source: config.file });
  const telemetry = startTelemetry({
    serviceVersion: 'test',
    cardinalityLimit: config.settings.limits.metricLabelSets,
  });
  const labels = createIntegrationLabelCache(store);
  registerCatalogMetrics(telemetry.gauges, store, labels);
  const jobMetrics = createJobMetrics(telemetry.meter);
  const probes: TestApp['probes'] = { aggregates: new Map(), statuses: new Map(), availability: new Map() };
  registerProbeMetrics(
    telemetry.gauges,
    {
      aggregates: () => probes.aggregates,
      statuses: () => probes.statuses,
      isProbed: () => true,
      availability: () => probes.availability,
    },
    labels,
    PROBE_DURATION_BUCKETS_SECONDS,
  );
  const { settings } = config;
  const ingest = await startIngest({
    store,
    settings,
    gauges: telemetry.gauges,
    labels,
    logger: silentLogger,
  });
  registerQualityMetrics(telemetry.gauges, {
    datasets: () => new Map(),
    latest: () => new Map(),
    schemaChanges: () => new Map(),
  });
  const kpis = startKpis({ store, settings, gauges: telemetry.gauges });
  const schedulerRunning = { value: true };
  const app = createApp({
    config,
    store,
    telemetry,
    logger: silentLogger,
    schedulerRunning: () => schedulerRunning.value,
    version: 'test',
    auth: authOptions(store, settings.auth, { tokenCacheMs: 0 }),
    ingest: ingest.routes,
    edges: { onCatalogChanged: ingest.catalogChanged },
    kpis: { state: kpis.state, catalog: createKpiCatalog(store) },
  });
  return {
    app,
    store,
    telemetry,
    schedulerRunning,
    jobMetrics,
    ingest,
    probes,
    close: async () => {
      await ingest.stop();
      await telemetry.shutdown();
      await store.close();
    },
  };
}

/** A promise and the function that resolves it, for holding work at a known point in a test. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** `/metrics` of the bundled example after one recorded retention run (so every family has a series). */
export async function exampleMetrics(): Promise<string> {
  const { dir, remove } = await tempDir();
  const t = await startTestApp(await exampleConfig(dir));
  try {
    t.jobMetrics.register('retention');
    t.jobMetrics.record({ job: 'retention', startedAt: Date.now(), durationMs: 12, outcome: 'success' });
    const id = (await exampleConfig(dir)).integrations[0]?.id as string;
    t.probes.aggregates.set(id, {
      lastSuccess: true,
      lastDurationMs: 42,
      tlsExpiresAt: Date.now() + 30 * 86_400_000,
      outcomes: new Map([
        ['success', 9],
        ['timeout', 1],
      ]),
      bucketCounts: [...PROBE_DURATION_BUCKETS_SECONDS, Infinity].map((_, i) => (i === 3 ? 10 : 0)),
      durationSumMs: 420,
      runs: 10,
    });
    t.probes.statuses.set(id, { ...initialState(id, Date.now()), status: 'healthy' });
    t.probes.availability.set(id, { '1h': 0.9, '24h': 0.95, '30d': 0.99 });
    const buckets = (i: number) =>
      [...ROLLUP_DURATION_BUCKETS_SECONDS, Infinity].map((_, j) => (j === i ? 1 : 0));
    const workflow = (await exampleConfig(dir)).workflows[0]?.id as string;
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const write = {
      receivedAt: Date.now(),
      requests: [
        {
          integrationId: id,
          minute,
          requests: { success: 1, client_error: 0, server_error: 1, error: 0 },
          durationSumSeconds: 0.3,
          durationBuckets: buckets(4),
        },
      ],
      workflows: [
        {
          workflowId: workflow,
          minute,
          started: 1,
          completed: 1,
          failed: 0,
          abandoned: 0,
          durationSumSeconds: 2,
          durationBuckets: buckets(8),
        },
      ],
      edges: [
        {
          caller: 'storefront',
          callee: 'recommendations',
          calls: 1,
          errors: 0,
          firstSeen: minute,
          lastSeen: minute,
        },
      ],
    };
    await t.store.recordIngest([write]);
    t.ingest.totals.addCommitted(write);
    t.ingest.totals.events.accepted += 1;
    t.ingest.totals.spans.accepted += 2;
    t.ingest.totals.reject('events', 'malformed');
    t.ingest.totals.addCommitDuration(0.004, DURATION_BUCKETS_SECONDS);
    await t.app.request('/metrics');
    // The second scrape also carries the scrape metrics of the first.
    return await (await t.app.request('/metrics')).text();
  } finally {
    await t.close();
    await remove();
  }
}

export interface Started {
  child: ChildProcess;
  url: Promise<string>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
}

/** Starts `ecotone serve` as a user would, on a free port, and resolves its URL from the start-up log. */
export function serve(args: string[]): Started {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = out.match(/"msg":"ecotone listening on (http:\/\/[^"]+)"/);
      if (match) resolve(match[1] as string);
    });
    child.once('exit', () => reject(new Error(`exited before listening:\n${out}`)));
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  url.catch(() => {});
  return { child, url, exit, output: () => out };
}
