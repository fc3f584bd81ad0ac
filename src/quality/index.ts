import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { type DatasetRun, runDatasetChecks, worst } from '../../collector/quality/index.ts';
import type { QualityMethods, StoredQualityOutcome, StoredQualityResult } from '../../db/quality.ts';
import { qualityJobs } from '../../jobs/quality.ts';
import type { Job } from '../../jobs/scheduler.ts';
import type { Config, Dataset } from '../config/index.ts';
import { registerQualityMetrics } from '../metrics/quality-metrics.ts';
import type { SnapshotGauges } from '../telemetry/index.ts';

export interface QualityOptions {
  /** The loaded config: its datasets, `settings.quality`, and its file (relative source paths). */
  config: Pick<Config, 'datasets' | 'settings' | 'file'>;
  store: QualityMethods;
  logger: Logger;
  /** Where the quality metrics are registered; leave out to publish none (the CLI). */
  gauges?: SnapshotGauges;
  /** Clock, Unix ms (default Date.now). */
  now?: () => number;
}

/** The running data-quality collector, as the scheduler, the API and the CLI see it. */
export interface Quality {
  /** One job per dataset with a schedule (none when `settings.quality.enabled` is false); add them to the scheduler. */
  jobs: Job[];
  /**
   * Runs one dataset's checks now, stores and publishes the results. Bounded by
   * `settings.quality.concurrency` with the scheduled runs. Undefined for an unknown dataset.
   */
  run(datasetId: string, signal?: AbortSignal): Promise<DatasetRun | undefined>;
  /** The latest result of each check, per dataset. */
  latest(): ReadonlyMap<string, ReadonlyMap<string, StoredQualityResult>>;
  /**
   * The worst latest outcome per dataset, and per system over its datasets: what the health score
   * of the integrations and systems the data belongs to takes from data quality.
   */
  health(): { datasets: Map<string, StoredQualityOutcome>; systems: Map<string, StoredQualityOutcome> };
  /** Aborts runs in flight and waits for them (bounded by their own timeouts). */
  stop(): Promise<void>;
}

/** A counting semaphore: at most `limit` holders at once, the rest wait in order. */
function semaphore(limit: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await work();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/**
 * Wires the data-quality collector: the runner over each dataset's source, history and storage
 * through the store, the latest results in memory (restored from the store at start, so metrics
 * survive restarts), the metrics, and one scheduled job per dataset.
 *
 * @example
 * const quality = await startQuality({ config, store, logger, gauges: telemetry.gauges });
 * for (const job of quality.jobs) scheduler.add(job);
 */
export async function startQuality(options: QualityOptions): Promise<Quality> {
  const { config, store, logger } = options;
  const settings = config.settings.quality;
  const now = options.now ?? Date.now;
  const datasets = new Map<string, Dataset>(config.datasets.map((d) => [d.id, d]));
  const checked = new Map(
    [...datasets.values()].filter((d) => d.checks.length > 0).map((d) => [d.id, { system: d.system }]),
  );
  const latest = new Map<string, Map<string, StoredQualityResult>>();
  for (const result of await store.latestQualityResults()) {
    if (!datasets.has(result.datasetId)) continue;
    const byCheck = latest.get(result.datasetId) ?? new Map<string, StoredQualityResult>();
    byCheck.set(result.check, result);
    latest.set(result.datasetId, byCheck);
  }
  const schemaChanges = new Map((await store.countSchemaChanges()).map((c) => [c.datasetId, c.changes]));
  const limit = semaphore(settings.concurrency);
  const stopping = new AbortController();
  const inFlight = new Set<Promise<unknown>>();
  const history = {
    observed: (datasetId: string, check: string, n: number) =>
      store.qualityObservations({ datasetId, check, limit: n }),
    lastColumns: async (datasetId: string) => (await store.lastDatasetSchema(datasetId))?.columns as never,
  };

  async function runOnce(dataset: Dataset, signal: AbortSignal): Promise<DatasetRun> {
    const run = await runDatasetChecks({
      dataset,
      datasets,
      history,
      limits: { timeoutMs: settings.timeout, maxRows: settings.maxRows, maxBody: settings.maxBody },
      baseDir: dirname(config.file),
      signal,
      now,
    });
    await store.recordQualityRun(run);
    const byCheck = new Map<string, StoredQualityResult>();
    for (const result of run.results)
      byCheck.set(result.check, {
        ...result,
        id: 0,
        datasetId: dataset.id,
        runAt: run.startedAt,
        durationMs: run.durationMs,
      });
    latest.set(dataset.id, byCheck);
    if (run.schemaChanges && run.schemaChanges.length > 0)
      schemaChanges.set(dataset.id, (schemaChanges.get(dataset.id) ?? 0) + 1);
    const counts: Record<string, number> = {};
    for (const r of run.results) counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
    const log = logger.child({ dataset: dataset.id });
    log.info({ durationMs: Math.round(run.durationMs), ...counts }, 'quality checks ran');
    for (const r of run.results)
      if (r.outcome === 'error' || r.outcome === 'fail')
        log.warn({ check: r.check, outcome: r.outcome }, r.message);
    return run;
  }

  if (options.gauges)
    registerQualityMetrics(options.gauges, {
      datasets: () => checked,
      latest: () => latest,
      schemaChanges: () => schemaChanges,
      now,
    });

  const run: Quality['run'] = async (datasetId, signal) => {
    const dataset = datasets.get(datasetId);
    if (!dataset) return undefined;
    const combined = signal ? AbortSignal.any([signal, stopping.signal]) : stopping.signal;
    const work = limit(() => runOnce(dataset, combined));
    inFlight.add(work);
    try {
      return await work;
    } finally {
      inFlight.delete(work);
    }
  };

  const scheduled = settings.enabled
    ? [...datasets.values()].flatMap((d) =>
        d.schedule !== undefined && d.checks.length > 0 ? [{ id: d.id, schedule: d.schedule }] : [],
      )
    : [];

  return {
    jobs: qualityJobs({ datasets: scheduled, run }),
    run,
    latest: () => latest,
    health() {
      const byDataset = new Map<string, StoredQualityOutcome>();
      const bySystem = new Map<string, StoredQualityOutcome>();
      for (const [id, results] of latest) {
        const dataset = datasets.get(id);
        if (!dataset) continue;
        const outcome = [...results.values()].reduce<StoredQualityOutcome>(
          (w, r) => worst(w, r.outcome),
          'pass',
        );
        byDataset.set(id, outcome);
        bySystem.set(dataset.system, worst(bySystem.get(dataset.system) ?? 'pass', outcome));
      }
      return { datasets: byDataset, systems: bySystem };
    },
    async stop() {
      stopping.abort(new Error('the service is stopping'));
      await Promise.allSettled([...inFlight]);
    },
  };
}
