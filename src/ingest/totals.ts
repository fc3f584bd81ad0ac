import {
  addBucketCounts,
  type IngestWrite,
  REQUEST_OUTCOMES,
  type RequestOutcome,
  ROLLUP_DURATION_BUCKETS_SECONDS,
} from '../../db/index.ts';

export const INGEST_ENDPOINTS = ['traces', 'events'] as const;
export type IngestEndpoint = (typeof INGEST_ENDPOINTS)[number];

/** Why an ingest request (or part of one) was turned away; the `reason` label of rejections. */
export const REJECTION_REASONS = [
  'malformed',
  'too_large',
  'unsupported_media_type',
  'unknown_reference',
  'conflict',
  'unauthorized',
  'forbidden',
  'rate_limited',
  'overloaded',
  'unavailable',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export interface HistogramTotals {
  counts: number[];
  sum: number;
  count: number;
}

export const WORKFLOW_OUTCOMES = ['completed', 'failed', 'abandoned'] as const;
export type WorkflowOutcome = (typeof WORKFLOW_OUTCOMES)[number];

/**
 * Counts since the process started, from committed ingest only: what `/metrics` exports as
 * counters and histograms. The per-minute rows in the store are the durable history; these reset
 * on restart like any Prometheus counter.
 */
export interface IngestTotals {
  events: { accepted: number; duplicate: number };
  spans: { accepted: number; rejected: number };
  rejections: Map<`${IngestEndpoint}:${RejectionReason}`, number>;
  requests: Map<string, { outcomes: Record<RequestOutcome, number>; duration: HistogramTotals }>;
  workflows: Map<
    string,
    { started: number; outcomes: Record<WorkflowOutcome, number>; duration: HistogramTotals }
  >;
  commits: HistogramTotals;
  /** Adds what one committed write carried. */
  addCommitted(write: IngestWrite): void;
  /** Counts one request turned away. */
  reject(endpoint: IngestEndpoint, reason: RejectionReason): void;
  addCommitDuration(seconds: number, bounds: readonly number[]): void;
}

const emptyHistogram = (bounds: number): HistogramTotals => ({
  counts: new Array<number>(bounds + 1).fill(0),
  sum: 0,
  count: 0,
});

const addHistogram = (into: HistogramTotals, counts: readonly number[], sum: number) => {
  into.counts = addBucketCounts(into.counts, counts);
  into.sum += sum;
  into.count += counts.reduce((n, c) => n + c, 0);
};

export function createIngestTotals(): IngestTotals {
  const bounds = ROLLUP_DURATION_BUCKETS_SECONDS.length;
  const totals: IngestTotals = {
    events: { accepted: 0, duplicate: 0 },
    spans: { accepted: 0, rejected: 0 },
    rejections: new Map(),
    requests: new Map(),
    workflows: new Map(),
    commits: emptyHistogram(0),
    addCommitted(write) {
      for (const m of write.requests ?? []) {
        let entry = totals.requests.get(m.integrationId);
        if (!entry) {
          entry = {
            outcomes: Object.fromEntries(REQUEST_OUTCOMES.map((o) => [o, 0])) as Record<
              RequestOutcome,
              number
            >,
            duration: emptyHistogram(bounds),
          };
          totals.requests.set(m.integrationId, entry);
        }
        for (const o of REQUEST_OUTCOMES) entry.outcomes[o] += m.requests[o];
        addHistogram(entry.duration, m.durationBuckets, m.durationSumSeconds);
      }
      for (const m of write.workflows ?? []) {
        let entry = totals.workflows.get(m.workflowId);
        if (!entry) {
          entry = {
            started: 0,
            outcomes: { completed: 0, failed: 0, abandoned: 0 },
            duration: emptyHistogram(bounds),
          };
          totals.workflows.set(m.workflowId, entry);
        }
        entry.started += m.started;
        entry.outcomes.completed += m.completed;
        entry.outcomes.failed += m.failed;
        entry.outcomes.abandoned += m.abandoned;
        addHistogram(entry.duration, m.durationBuckets, m.durationSumSeconds);
      }
    },
    reject(endpoint, reason) {
      const key = `${endpoint}:${reason}` as const;
      totals.rejections.set(key, (totals.rejections.get(key) ?? 0) + 1);
    },
    addCommitDuration(seconds, commitBounds) {
      if (totals.commits.counts.length !== commitBounds.length + 1)
        totals.commits = emptyHistogram(commitBounds.length);
      let i = 0;
      while (i < commitBounds.length && seconds > (commitBounds[i] as number)) i++;
      totals.commits.counts[i] = (totals.commits.counts[i] ?? 0) + 1;
      totals.commits.sum += seconds;
      totals.commits.count += 1;
    },
  };
  return totals;
}
