import type { Logger } from 'pino';
import type { Store } from '../../db/index.ts';
import type { Settings } from '../config/index.ts';
import {
  DURATION_BUCKETS_SECONDS,
  type IntegrationLabelCache,
  registerIngestMetrics,
} from '../metrics/index.ts';
import type { SnapshotGauges } from '../telemetry/index.ts';
import { type CatalogView, createCatalogView } from './catalog-view.ts';
import { createEventParserPool } from './event-parser-pool.ts';
import { createEventIngest, type EventIngest } from './events.ts';
import { createIngestQueue, type IngestQueue } from './queue.ts';
import { createIngestTotals, type IngestTotals } from './totals.ts';
import { createTraceIngest, type TraceIngest } from './traces.ts';

export { type CatalogView, createCatalogView, type IngestCatalog } from './catalog-view.ts';
export {
  createEventIngest,
  EventConflictError,
  EventForbiddenError,
  type EventIngest,
  type EventIngestResult,
  EventReferenceError,
} from './events.ts';
export { JsonBodyError } from './json-body.ts';
export {
  createIngestQueue,
  IngestOverloadedError,
  type IngestQueue,
  IngestUnavailableError,
} from './queue.ts';
export { createIngestTotals, type IngestTotals, REJECTION_REASONS, type RejectionReason } from './totals.ts';
export { createTraceIngest, type TraceIngest } from './traces.ts';

/** What the HTTP routes need: the pipelines, the totals and the body bounds from settings. */
export interface IngestRoutes {
  traces: TraceIngest;
  events: EventIngest;
  totals: IngestTotals;
  maxBodySize: number;
  maxDecodedBodySize: number;
  /** Seconds, sent as Retry-After with 429 and 503. */
  retryAfterSeconds: number;
}

export interface Ingest {
  traces: TraceIngest;
  events: EventIngest;
  queue: IngestQueue;
  totals: IngestTotals;
  catalog: CatalogView;
  routes: IngestRoutes;
  /** Re-reads the catalog now, e.g. after the API adopted an edge. */
  catalogChanged(): void;
  /** Stops the sweeps, settles what they hold, and waits for pending commits. */
  stop(): Promise<void>;
}

export interface StartIngestOptions {
  store: Store;
  settings: Settings;
  gauges: SnapshotGauges;
  labels: IntegrationLabelCache;
  logger: Logger;
}

/**
 * Trace and event ingest with their shared commit queue, catalog view, metrics and the periodic
 * sweep that settles expired pairs and idle workflow runs.
 */
export async function startIngest(options: StartIngestOptions): Promise<Ingest> {
  const { store, settings } = options;
  const logger = options.logger.child({ component: 'ingest' });
  const totals = createIngestTotals();
  const queue = createIngestQueue({
    store,
    limit: settings.ingest.queueLimit,
    onCommit: ({ ms, error }) => {
      totals.addCommitDuration(ms / 1000, DURATION_BUCKETS_SECONDS);
      if (error) logger.error({ err: error }, 'ingest commit failed');
    },
  });
  const catalog = createCatalogView(store);
  await catalog.refresh({ force: true });
  const traces = createTraceIngest({
    queue,
    catalog,
    totals,
    limits: {
      maxSpans: settings.ingest.maxSpansPerRequest,
      maxAttributes: settings.ingest.maxAttributes,
      maxAttributeLength: settings.ingest.maxAttributeLength,
    },
    pairing: { maxPending: settings.traces.maxPendingPairs, waitMs: settings.traces.pairWait },
    maxActiveWorkflowRuns: settings.traces.maxActiveWorkflowRuns,
    logger,
  });
  const parser = createEventParserPool({
    threads: settings.ingest.parserThreads,
    onError: (error) => logger.error({ err: error }, 'event parser thread failed; started a new one'),
  });
  await parser.ready();
  const events = createEventIngest({
    parser,
    queue,
    catalog,
    totals,
    maxBatch: settings.ingest.maxEventsPerBatch,
    maxFutureSkewMs: settings.ingest.maxFutureSkew,
    unknownReferences: settings.ingest.unknownReferences,
  });
  registerIngestMetrics(
    options.gauges,
    {
      totals,
      queued: () => queue.pending(),
      discoveredEdges: () => store.countDiscoveredEdges(),
      traceState: () => traces.state(),
    },
    options.labels,
    () => new Set(catalog.current().workflows.map((w) => w.id)),
  );

  let sweeping: Promise<void> = Promise.resolve();
  const sweep = () => {
    sweeping = sweeping
      .then(() => traces.sweep())
      .catch((error) => logger.warn({ err: error }, 'trace sweep failed'));
    return sweeping;
  };
  const timer = setInterval(sweep, settings.traces.sweepInterval);
  timer.unref();

  return {
    traces,
    events,
    queue,
    totals,
    catalog,
    routes: {
      traces,
      events,
      totals,
      maxBodySize: settings.ingest.maxBodySize,
      maxDecodedBodySize: settings.ingest.maxDecodedBodySize,
      retryAfterSeconds: Math.max(1, Math.ceil(settings.ingest.retryAfter / 1000)),
    },
    catalogChanged: () => void catalog.refresh({ force: true }),
    async stop() {
      clearInterval(timer);
      await sweep();
      await queue.drain();
      await parser.close();
    },
  };
}
