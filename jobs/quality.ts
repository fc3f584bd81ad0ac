import type { Job } from './scheduler.ts';

export interface QualityJobsOptions {
  /** Datasets with a schedule: id and cron expression (validated at config load). */
  datasets: readonly { id: string; schedule: string }[];
  /** Runs one dataset's checks and stores the results; it reports failures as results, not throws. */
  run: (datasetId: string, signal: AbortSignal) => Promise<unknown>;
}

/** The job name of a dataset's quality checks, e.g. `quality:crm-customers`. */
export const qualityJobName = (datasetId: string) => `quality:${datasetId}`;

/**
 * One scheduled job per dataset, named `quality:<dataset>`, on the dataset's own cron schedule.
 * The scheduler never runs two of one dataset at once, times each run and records it; a check
 * that fails or cannot reach its source is a stored result, so the job itself succeeds.
 *
 * @example
 * for (const job of qualityJobs({ datasets, run: quality.run })) scheduler.add(job);
 */
export function qualityJobs(options: QualityJobsOptions): Job[] {
  return options.datasets.map((dataset) => ({
    name: qualityJobName(dataset.id),
    schedule: dataset.schedule,
    run: async ({ signal }) => {
      await options.run(dataset.id, signal);
    },
  }));
}
