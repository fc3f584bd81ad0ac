import type { Logger } from 'pino';
import type { Job, JobContext } from '../scheduler.ts';
import type { KpiFoldRun } from './fold.ts';
import type { HealthReport } from './health.ts';
import { createKpiRunner, type KpiRunner, type KpiRunnerOptions } from './runner.ts';
import { KPI_FAMILIES, type KpiFamily, type KpiTask, type KpiValues } from './types.ts';

export { createKpiCatalog, type KpiCatalog } from './catalog.ts';
export { createKpiFold, type KpiFoldRun } from './fold.ts';
export type { HealthReport, HealthSettings, QualityBySystem } from './health.ts';
export type { HealthComponent, HealthExplanation } from './health-score.ts';
export { affectedIntegrations, type BlastRadius, blastRadius, revenueThrough } from './impact.ts';
export { createKpiRunner, type KpiRunner, type KpiRunnerOptions, type KpiRunResult } from './runner.ts';
export {
  KPI_FAMILIES,
  type KpiFamily,
  type KpiSample,
  type KpiStore,
  type KpiTask,
  type KpiValues,
} from './types.ts';

/** The job name of a KPI family or task, e.g. `kpi:usage`, `kpi:fold`. */
export const kpiJobName = (task: KpiTask) => `kpi:${task}`;

export interface KpiJobsOptions extends KpiRunnerOptions {
  /** Per family, and for `fold`: the job that folds every family's new events between their runs. */
  schedules: Record<KpiTask, string>;
  /** Receives each family's values after each run (and the health report for `health`). */
  publish: KpiPublish;
}

export type KpiPublish = (family: KpiFamily, values: KpiValues, at: number, report?: HealthReport) => void;

/**
 * One scheduled job per KPI family, `kpi:participation`, `kpi:usage`, `kpi:value`,
 * `kpi:qualitative` and `kpi:health`, each running {@link createKpiRunner} over the store in this
 * thread and publishing what it computed, and `kpi:fold`, which folds every family's new events
 * between their runs (so a run finds only what arrived since the last fold).
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
  schedules: Record<KpiTask, string>;
  publish: KpiPublish;
  run: KpiRunner;
}): Job[] {
  const logFolded = (logger: Logger, folded: KpiFoldRun) => {
    if (folded.events > 0 || folded.minutes > 0) logger.debug(folded, 'kpi rollups folded');
  };
  return [
    ...KPI_FAMILIES.map((family) => ({
      name: kpiJobName(family),
      schedule: options.schedules[family],
      async run({ now, signal, logger }: JobContext) {
        const { values, report, folded } = await options.run(family, now, signal);
        logFolded(logger, folded);
        options.publish(family, values, now, report);
      },
    })),
    {
      name: kpiJobName('fold'),
      schedule: options.schedules.fold,
      async run({ now, signal, logger }: JobContext) {
        logFolded(logger, (await options.run('fold', now, signal)).folded);
      },
    },
  ];
}

export { type KpiWorker, type KpiWorkerOptions, startKpiWorker } from './worker-client.ts';
