import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { openStore, type Store } from '../db/index.ts';
import { applyCatalog } from '../src/catalog/index.ts';
import { type Config, loadConfig, parseConfig } from '../src/config/index.ts';
import {
  createIntegrationLabelCache,
  createJobMetrics,
  registerCatalogMetrics,
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
  registerCatalogMetrics(telemetry.gauges, store, createIntegrationLabelCache(store));
  const jobMetrics = createJobMetrics(telemetry.meter);
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
    return await (await t.app.request('/metrics')).text();
  } finally {
    await t.close();
    await remove();
  }
}
