import type { Attributes } from '@opentelemetry/api';
import { REQUEST_OUTCOMES, ROLLUP_DURATION_BUCKETS_SECONDS } from '../../db/index.ts';
import { type IngestTotals, WORKFLOW_OUTCOMES } from '../ingest/totals.ts';
import type { GaugeSample, HistogramSample, SnapshotGauges } from '../telemetry/index.ts';
import { DURATION_BUCKETS_SECONDS } from './buckets.ts';
import type { IntegrationLabelCache } from './integration-labels.ts';

export interface IngestMetricsSource {
  totals: IngestTotals;
  /** Items reserved or waiting for their commit. */
  queued(): number;
  /** Open discovered edges, from the store. */
  discoveredEdges(): Promise<number>;
  /** Spans waiting for their pair, and workflow runs being followed. */
  traceState(): { pendingPairs: number; activeRuns: number };
}

/**
 * Trace and event ingest metrics: per-integration RED from traces, workflow runs, what ingest
 * accepted and turned away, and its queue. Read at each scrape from in-memory totals of what was
 * committed; an integration that leaves the catalog leaves its series at the next scrape.
 */
export function registerIngestMetrics(
  gauges: SnapshotGauges,
  source: IngestMetricsSource,
  labels: IntegrationLabelCache,
  knownWorkflows: () => ReadonlySet<string>,
): void {
  const outcomeLabels = new Map<Attributes, Map<string, Attributes>>();
  const withOutcome = (attributes: Attributes, outcome: string): Attributes => {
    let byOutcome = outcomeLabels.get(attributes);
    if (!byOutcome) {
      byOutcome = new Map();
      outcomeLabels.set(attributes, byOutcome);
    }
    let derived = byOutcome.get(outcome);
    if (!derived) {
      derived = { ...attributes, outcome };
      byOutcome.set(outcome, derived);
    }
    return derived;
  };

  gauges.register(
    [
      {
        name: 'ecotone_integration_requests_total',
        description:
          'Calls seen in traces per integration, by outcome: success, client_error (4xx), server_error (5xx), error (span status error).',
        type: 'counter',
      },
      {
        name: 'ecotone_integration_request_duration_seconds',
        description: 'Duration of calls seen in traces per integration.',
        type: 'histogram',
        boundaries: [...ROLLUP_DURATION_BUCKETS_SECONDS],
      },
      {
        name: 'ecotone_workflow_runs_started_total',
        description: 'Workflow runs started, seen in traces.',
        type: 'counter',
      },
      {
        name: 'ecotone_workflow_runs_total',
        description: 'Workflow runs ended, by outcome: completed, failed or abandoned.',
        type: 'counter',
      },
      {
        name: 'ecotone_workflow_duration_seconds',
        description: 'Duration of completed workflow runs, first step start to last step end.',
        type: 'histogram',
        boundaries: [...ROLLUP_DURATION_BUCKETS_SECONDS],
      },
      {
        name: 'ecotone_discovered_edges',
        description:
          'Calls between two services that no integration matches and nobody adopted or ignored yet.',
      },
      {
        name: 'ecotone_ingest_events_total',
        description:
          'Business events committed, by outcome: accepted (new) or duplicate (an id already stored with the same content). Rejected batches count in ecotone_ingest_rejections_total.',
        type: 'counter',
      },
      {
        name: 'ecotone_ingest_spans_total',
        description:
          'Spans received in accepted requests, by outcome: accepted, or rejected one by one (reported in partial_success).',
        type: 'counter',
      },
      {
        name: 'ecotone_ingest_rejections_total',
        description: 'Ingest requests turned away, by endpoint and reason.',
        type: 'counter',
      },
      {
        name: 'ecotone_ingest_queue_items',
        description: 'Events and spans accepted for writing and not yet committed.',
      },
      {
        name: 'ecotone_ingest_commit_duration_seconds',
        description: 'Duration of one ingest commit (a group of requests in one transaction).',
        type: 'histogram',
        boundaries: DURATION_BUCKETS_SECONDS,
      },
      {
        name: 'ecotone_trace_pending_pairs',
        description: 'Spans waiting for the other side of their call.',
      },
      {
        name: 'ecotone_workflow_runs_active',
        description: 'Workflow runs being followed in traces.',
      },
    ],
    async () => {
      const { byId } = await labels();
      const { totals } = source;
      const requests: GaugeSample[] = [];
      const durations: HistogramSample[] = [];
      for (const [id, entry] of totals.requests) {
        const attributes = byId.get(id);
        if (!attributes) continue;
        for (const outcome of REQUEST_OUTCOMES)
          requests.push({ attributes: withOutcome(attributes, outcome), value: entry.outcomes[outcome] });
        durations.push({ attributes, ...entry.duration });
      }
      const workflows = knownWorkflows();
      const started: GaugeSample[] = [];
      const ended: GaugeSample[] = [];
      const workflowDurations: HistogramSample[] = [];
      for (const [workflow, entry] of totals.workflows) {
        if (!workflows.has(workflow)) continue;
        const attributes = { workflow };
        started.push({ attributes, value: entry.started });
        for (const outcome of WORKFLOW_OUTCOMES)
          ended.push({ attributes: { workflow, outcome }, value: entry.outcomes[outcome] });
        workflowDurations.push({ attributes, ...entry.duration });
      }
      const rejections: GaugeSample[] = [...totals.rejections].map(([key, value]) => {
        const [endpoint, reason] = key.split(':');
        return { attributes: { endpoint, reason }, value };
      });
      const state = source.traceState();
      return {
        ecotone_integration_requests_total: requests,
        ecotone_integration_request_duration_seconds: durations,
        ecotone_workflow_runs_started_total: started,
        ecotone_workflow_runs_total: ended,
        ecotone_workflow_duration_seconds: workflowDurations,
        ecotone_discovered_edges: [{ attributes: {}, value: await source.discoveredEdges() }],
        ecotone_ingest_events_total: Object.entries(totals.events).map(([outcome, value]) => ({
          attributes: { outcome },
          value,
        })),
        ecotone_ingest_spans_total: Object.entries(totals.spans).map(([outcome, value]) => ({
          attributes: { outcome },
          value,
        })),
        ecotone_ingest_rejections_total: rejections,
        ecotone_ingest_queue_items: [{ attributes: {}, value: source.queued() }],
        ecotone_ingest_commit_duration_seconds:
          totals.commits.count > 0 ? [{ attributes: {}, ...totals.commits }] : [],
        ecotone_trace_pending_pairs: [{ attributes: {}, value: state.pendingPairs }],
        ecotone_workflow_runs_active: [{ attributes: {}, value: state.activeRuns }],
      };
    },
  );
}
