import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initialState } from '../collector/status/hysteresis.ts';
import { openStore, type StatusState } from '../db/index.ts';
import { applyCatalog } from '../src/catalog/index.ts';
import {
  INTEGRATION_KINDS,
  PARTICIPANT_ROLES,
  PARTICIPANT_STAGES,
  parseConfig,
  SYSTEM_KINDS,
  TIERS,
} from '../src/config/index.ts';
import { createLogger } from '../src/logger.ts';
import {
  createIntegrationLabelCache,
  createJobMetrics,
  PROBE_DURATION_BUCKETS_SECONDS,
  registerCatalogMetrics,
  registerProbeMetrics,
} from '../src/metrics/index.ts';
import type { ProbeAggregate } from '../src/probing/recorder.ts';
import { createApp } from '../src/server/index.ts';
import { startTelemetry } from '../src/telemetry/index.ts';
import { VERSION } from '../src/version.ts';

const COUNTRIES = ['DE', 'NL', 'GB', 'PL', 'US', 'FR', 'SE', 'IT', 'ES', 'CH', 'AT', 'DK'];

export interface MetricsRenderResult {
  integrations: number;
  applyMs: number;
  runs: number;
  minMs: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  /** Size of the `/metrics` body in bytes (UTF-8). */
  bytes: number;
  /** Sample lines in the body (lines that are neither empty nor `#` comments). */
  series: number;
}

/**
 * A valid config text (JSON, which is YAML) with `n` integrations, about n/5 systems and n/20
 * participants, with roles, stages, countries, system kinds, integration kinds and tiers spread.
 */
export function syntheticConfig(n: number, storagePath: string): string {
  const participantCount = Math.max(2, Math.ceil(n / 20));
  const systemCount = Math.max(2, Math.ceil(n / 5));
  const participants = Array.from({ length: participantCount }, (_, i) => ({
    id: `p-${i}`,
    name: `Participant ${i}`,
    // The first is the company itself; the rest cycle through every role.
    role: i === 0 ? 'orchestrator' : PARTICIPANT_ROLES[i % PARTICIPANT_ROLES.length],
    stage: PARTICIPANT_STAGES[i % PARTICIPANT_STAGES.length],
    country: COUNTRIES[i % COUNTRIES.length],
  }));
  const systems = Array.from({ length: systemCount }, (_, i) => ({
    id: `sys-${i}`,
    participant: `p-${i % participantCount}`,
    kind: SYSTEM_KINDS[i % SYSTEM_KINDS.length],
  }));
  const integrations = Array.from({ length: n }, (_, i) => {
    const from = i % systemCount;
    // A stride that is never a multiple of systemCount, so `to` always differs from `from`.
    const to = (from + 1 + (Math.floor(i / systemCount) % (systemCount - 1))) % systemCount;
    return {
      id: `int-${i}`,
      from: `sys-${from}`,
      to: `sys-${to}`,
      kind: INTEGRATION_KINDS[i % INTEGRATION_KINDS.length],
      tier: TIERS[(i * 7) % TIERS.length],
    };
  });
  return JSON.stringify({
    settings: { storage: { path: storagePath }, log: { level: 'silent' } },
    participants,
    systems,
    integrations,
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/**
 * Measures `GET /metrics` with `integrations` synthetic integrations in the catalog, wired like
 * `src/service.ts` (SQLite store in a fresh temp dir, catalog applied, telemetry with catalog and
 * job metrics, the real app). Times the catalog apply once, then `runs` scrapes after 3 warm-ups,
 * each reading the whole body.
 */
export async function benchMetricsRender(options: {
  integrations: number;
  runs?: number;
}): Promise<MetricsRenderResult> {
  const runs = options.runs ?? 30;
  const dir = await mkdtemp(join(tmpdir(), 'ecotone-bench-'));
  const file = join(dir, 'ecosystem.json');
  const config = parseConfig(syntheticConfig(options.integrations, join(dir, 'ecotone.db')), file);
  const { settings } = config;
  const logger = createLogger({ level: 'silent' });
  const store = openStore({
    path: settings.storage.path,
    busyTimeout: settings.storage.busyTimeout,
    synchronous: settings.storage.synchronous,
  });
  let telemetry: ReturnType<typeof startTelemetry> | undefined;
  try {
    const applyStart = performance.now();
    await applyCatalog(store, config, { source: file });
    const applyMs = performance.now() - applyStart;

    telemetry = startTelemetry({
      serviceVersion: VERSION,
      cardinalityLimit: settings.limits.metricLabelSets,
    });
    const labels = createIntegrationLabelCache(store);
    registerCatalogMetrics(telemetry.gauges, store, labels);
    // Every integration probed, as in a service that has run a while: status, availability per
    // window, two outcomes and a filled duration histogram each.
    const aggregates = new Map<string, ProbeAggregate>();
    const statuses = new Map<string, StatusState>();
    const availability = new Map<string, Record<string, number>>();
    for (const integration of config.integrations) {
      const id = integration.id;
      aggregates.set(id, {
        lastSuccess: true,
        lastDurationMs: 42,
        outcomes: new Map([
          ['success', 2_870],
          ['timeout', 3],
        ]),
        bucketCounts: [...PROBE_DURATION_BUCKETS_SECONDS, Infinity].map((_, i) => (i < 6 ? 500 - i : 0)),
        durationSumMs: 120_000,
        runs: 2_873,
      });
      statuses.set(id, { ...initialState(id, Date.now()), status: 'healthy' });
      availability.set(id, { '1h': 1, '24h': 0.999, '30d': 0.9995 });
    }
    registerProbeMetrics(
      telemetry.gauges,
      {
        aggregates: () => aggregates,
        statuses: () => statuses,
        isProbed: () => true,
        availability: () => availability,
      },
      labels,
      PROBE_DURATION_BUCKETS_SECONDS,
    );
    const jobMetrics = createJobMetrics(telemetry.meter);
    jobMetrics.register('retention');
    // One recorded run, so the job histogram exports its buckets as in a service that has run a while.
    jobMetrics.record({ job: 'retention', startedAt: Date.now(), durationMs: 12, outcome: 'success' });
    const app = createApp({
      config,
      store,
      telemetry,
      logger,
      schedulerRunning: () => true,
      version: VERSION,
    });

    const scrape = async () => {
      const res = await app.request('/metrics');
      if (res.status !== 200) throw new Error(`GET /metrics answered ${res.status}`);
      return res.text();
    };
    for (let i = 0; i < 3; i++) await scrape();
    const times: number[] = [];
    let body = '';
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      body = await scrape();
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return {
      integrations: options.integrations,
      applyMs,
      runs,
      minMs: times[0] ?? Number.NaN,
      medianMs: percentile(times, 50),
      p95Ms: percentile(times, 95),
      maxMs: times.at(-1) ?? Number.NaN,
      bytes: Buffer.byteLength(body),
      series: body.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length,
    };
  } finally {
    await telemetry?.shutdown();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}
