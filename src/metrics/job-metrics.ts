import type { Meter } from '@opentelemetry/api';
import type { JobRun } from '../../db/index.ts';
import { DURATION_BUCKETS_SECONDS } from './buckets.ts';

export interface JobMetrics {
  /**
   * Starts every series of a job at zero so rates and alerts see it before its first run;
   * `lastSuccessAt` (Unix ms, from stored history) carries the last success across restarts.
   */
  register(job: string, lastSuccessAt?: number): void;
  record(run: JobRun): void;
}

/**
 * Scheduler self-metrics: run durations, runs and failures, and when each job last succeeded.
 * The job's name is the `job_name` label: `job` is the label Prometheus gives every scrape target,
 * and a metric's own `job` would be renamed `exported_job` on ingestion.
 */
export function createJobMetrics(meter: Meter): JobMetrics {
  const duration = meter.createHistogram('ecotone_job_duration_seconds', {
    description: 'Duration of scheduled job runs.',
    advice: { explicitBucketBoundaries: DURATION_BUCKETS_SECONDS },
  });
  const runs = meter.createCounter('ecotone_job_runs_total', {
    description: 'Scheduled job runs, by outcome (success or failure).',
  });
  const failures = meter.createCounter('ecotone_job_failures_total', {
    description: 'Scheduled job runs that failed.',
  });
  const lastSuccess = new Map<string, number>();
  const lastSuccessGauge = meter.createObservableGauge('ecotone_job_last_success_timestamp_seconds', {
    description: 'Unix time of the last successful run of each job (0 before the first).',
  });
  lastSuccessGauge.addCallback((result) => {
    for (const [job, at] of lastSuccess) result.observe(at, { job_name: job });
  });

  return {
    register(job, lastSuccessAt) {
      if (lastSuccess.has(job)) return;
      lastSuccess.set(job, (lastSuccessAt ?? 0) / 1000);
      failures.add(0, { job_name: job });
      runs.add(0, { job_name: job, outcome: 'success' });
      runs.add(0, { job_name: job, outcome: 'failure' });
    },
    record(run) {
      duration.record(run.durationMs / 1000, { job_name: run.job });
      runs.add(1, { job_name: run.job, outcome: run.outcome });
      if (run.outcome === 'failure') failures.add(1, { job_name: run.job });
      else lastSuccess.set(run.job, (run.startedAt + run.durationMs) / 1000);
    },
  };
}
