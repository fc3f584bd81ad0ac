import type { Job } from '../scheduler.ts';
import type { HealthReport } from './health.ts';
import { createKpiRunner, type KpiRunner, type KpiRunnerOptions } from './runner.ts';
import { KPI_FAMILIES, type KpiFamily, type KpiValues } from './types.ts';

export { createKpiCatalog, type KpiCatalog } from './catalog.ts';
export { createKpiFold, type KpiFoldRun } from './fold.ts';
export type { HealthReport, HealthSettings, QualityBySystem } from './health.ts';
export type { HealthComponent, HealthExplanation } from './health-score.ts';
export { affectedIntegrations, type BlastRadius, blastRadius, revenueThrough } from './impact.ts';
export { createKpiRunner, type KpiRunner, type KpiRunnerOptions, type KpiRunResult } from './runner.ts';
export { KPI_FAMILIES, type KpiFamily, type KpiSample, type KpiStore, type KpiValues } from './types.ts';

/** The job name of a KPI family, e.g. `kpi:usage`. */
export const kpiJobName = (family: KpiFamily) => `kpi:${family}`;

export interface KpiJobsOptions extends KpiRunnerOptions {
  schedules: Record<KpiFamily, string>;
  /** Receives each family's values after each run (and the health report for `health`). */
  publish: KpiPublish;
}

export type KpiPublish = (family: KpiFamily, values: KpiValues, at: number, report?: HealthReport) => void;

/**
 * One scheduled job per KPI family, `kpi:participation`, `kpi:usage`, `kpi:value`,
 * `kpi:qualitative` and `kpi:health`, each running {@link createKpiRunner} over the store in this
 * thread and publishing what it computed.
 *
 * @example
 * for (const job of kpiJobs({ store, schedules, …, publish: state.publish })) scheduler.add(job);
 */
export function kpiJobs(options: KpiJobsOptions): Job[] {
  return scheduleKpiRuns({
    schedules: options.schedules,
    publish: options.publish,
    run: createKpiRunner(options),
  });
}

/**
 * The KPI jobs over any runner: in this thread ({@link kpiJobs}) or on a worker
 * ({@link startKpiWorker}). The scheduler times and records each run; a run that fails (a worker
 * crash included) is a failed job run.
 *
 * @example
 * const worker = startKpiWorker({ … });
 * for (const job of scheduleKpiRuns({ schedules, publish: state.publish, run: worker.run })) scheduler.add(job);
 */
export function scheduleKpiRuns(options: {
  schedules: Record<KpiFamily, string>;
  publish: KpiPublish;
  run: KpiRunner;
}): Job[] {
  return KPI_FAMILIES.map((family) => ({
    name: kpiJobName(family),
    schedule: options.schedules[family],
    async run({ now, signal, logger }) {
      const { values, report, folded } = await options.run(family, now, signal);
      if (folded.events > 0 || folded.minutes > 0) logger.debug(folded, 'kpi rollups folded');
      options.publish(family, values, now, report);
    },
  }));
}

export { KPI_FOLD_CHUNK, type KpiWorker, type KpiWorkerOptions, startKpiWorker } from './worker-client.ts';
