import type { Store, StoreOptions } from '../../db/index.ts';
import {
  createKpiRunner,
  KPI_FAMILIES,
  type KpiRunner,
  kpiJobName,
  scheduleKpiRuns,
  startKpiWorker,
} from '../../jobs/kpi/index.ts';
import type { Job } from '../../jobs/scheduler.ts';
import type { Settings } from '../config/index.ts';
import type { Logger } from '../logger.ts';
import { registerKpiMetrics } from '../metrics/kpi-metrics.ts';
import type { SnapshotGauges } from '../telemetry/index.ts';
import { createKpiState, type KpiState } from './state.ts';

export { KPI_BY_NAME, KPI_DEFINITIONS, type KpiDefinition } from './definitions.ts';
export { createKpiState, type KpiState } from './state.ts';

export interface KpisOptions {
  store: Store;
  settings: Pick<Settings, 'kpis'>;
  /** Where the KPI metrics are registered; leave out to publish none. */
  gauges?: SnapshotGauges;
  /** Worst data-quality outcome per system, from the quality collector. */
  quality?: () => ReadonlyMap<string, string>;
  /**
   * Run the jobs' database work on a worker thread with its own connection to this file (the
   * service does); leave out to run it on this thread over `store` (tests, `:memory:`).
   */
  worker?: { store: StoreOptions; logger: Logger };
}

export interface Kpis {
  /** One job per KPI family (none when `settings.kpis.enabled` is false); add them to the scheduler. */
  jobs: Job[];
  /** Their names, to run once at start-up. */
  jobNames: string[];
  state: KpiState;
  /** Waits for a run in flight (up to `timeoutMs`) and ends the worker, if any. */
  stop(timeoutMs: number): Promise<void>;
}

/**
 * Wires the KPI engine: the jobs over the store, their latest results in memory, the metrics.
 *
 * @example
 * const kpis = startKpis({ store, settings, gauges: telemetry.gauges, quality: () => quality.health().systems });
 * for (const job of kpis.jobs) scheduler.add(job);
 */
export function startKpis(options: KpisOptions): Kpis {
  const settings = options.settings.kpis;
  const state = createKpiState();
  if (options.gauges) registerKpiMetrics(options.gauges, state);
  if (!settings.enabled) return { jobs: [], jobNames: [], state, stop: async () => {} };
  const runner = {
    lateness: settings.lateness,
    batchSize: settings.batchSize,
    snapshotInterval: settings.snapshotInterval,
    health: {
      weights: settings.weights,
      tierWeights: settings.tierWeights,
      satisfactionWeight: settings.satisfactionWeight,
    },
    quality: options.quality,
  };
  let run: KpiRunner;
  let stop: (timeoutMs: number) => Promise<void> = async () => {};
  if (options.worker) {
    const worker = startKpiWorker({ ...runner, ...options.worker });
    run = worker.run;
    stop = worker.stop;
  } else run = createKpiRunner({ ...runner, store: options.store });
  const jobs = scheduleKpiRuns({
    schedules: settings.schedules,
    publish: state.publish,
    run,
  });
  return { jobs, jobNames: KPI_FAMILIES.map(kpiJobName), state, stop };
}
