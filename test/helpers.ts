import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { initialState } from '../collector/status/hysteresis.ts';
import { openStore, type StatusState, type Store } from '../db/index.ts';
import { applyCatalog } from '../src/catalog/index.ts';
import { type Config, loadConfig, parseConfig } from '../src/config/index.ts';
import {
  createIntegrationLabelCache,
  createJobMetrics,
  PROBE_DURATION_BUCKETS_SECONDS,
  type ProbeMetricsSource,
  registerCatalogMetrics,
  registerProbeMetrics,
} from '../src/metrics/index.ts';
import { createApp } from '../src/server/index.ts';
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

/** The bundled example, with its store moved into `dir`. */
export async function exampleConfig(dir: string): Promise<Config> {
  const config = await loadConfig(EXAMPLE_CONFIG, { env: {} });
  config.settings.storage.path = join(dir, 'ecotone.db');
  return config;
}

/** A config from YAML text (env empty), its store in `dir`. */
export function configFrom(yaml: string, dir: string): Config {
  const config = parseConfig(yaml, join(dir, 'ecosystem.yaml'), { env: {} });
  config.settings.storage.path = join(dir, 'ecotone.db');
  return config;
}

export interface TestApp {
  app: ReturnType<typeof createApp>;
  store: Store;
  telemetry: Telemetry;
  schedulerRunning: { value: boolean };
  jobMetrics: ReturnType<typeof createJobMetrics>;
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
  const schedulerRunning = { value: true };
  const app = createApp({
    config,
    store,
    telemetry,
    logger: silentLogger,
    schedulerRunning: () => schedulerRunning.value,
    version: 'test',
  });
  return {
    app,
    store,
    telemetry,
    schedulerRunning,
    jobMetrics,
    probes,
    close: async () => {
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
    await t.app.request('/metrics');
    // The second scrape also carries the scrape metrics of the first.
    return await (await t.app.request('/metrics')).text();
  } finally {
    await t.close();
    await remove();
  }
}
