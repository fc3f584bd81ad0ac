import type { Logger } from 'pino';
import {
  createTraceProcessor,
  type DecodedTraces,
  decodeTracesJson,
  decodeTracesProtobuf,
  type TraceBatchResult,
  type TraceDecodeLimits,
} from '../../collector/traces/index.ts';
import { type IngestWrite, ROLLUP_DURATION_BUCKETS_SECONDS } from '../../db/index.ts';
import type { CatalogView } from './catalog-view.ts';
import { parseJson } from './json-body.ts';
import { IngestOverloadedError, type IngestQueue } from './queue.ts';
import type { IngestTotals } from './totals.ts';

export type TraceEncoding = 'protobuf' | 'json';

export interface TraceIngestOptions {
  queue: IngestQueue;
  catalog: CatalogView;
  totals: IngestTotals;
  limits: TraceDecodeLimits;
  pairing: { maxPending: number; waitMs: number };
  maxActiveWorkflowRuns: number;
  logger: Logger;
  now?: () => number;
}

export interface TraceIngestResult {
  acceptedSpans: number;
  rejectedSpans: number;
  /** Why spans were rejected; undefined when none were. */
  rejectionMessage: string | undefined;
}

export interface TraceIngest {
  /**
   * Decodes, matches and commits one OTLP export request. Throws TraceDecodeError (400),
   * IngestOverloadedError (429) or IngestUnavailableError (503); resolves once committed.
   */
  ingest(body: Uint8Array, encoding: TraceEncoding): Promise<TraceIngestResult>;
  /** Settles expired pairs and idle workflow runs and commits what they add. */
  sweep(): Promise<void>;
  state(): { pendingPairs: number; activeRuns: number };
}

const isEmpty = (r: TraceBatchResult) => r.red.length + r.workflows.length + r.edges.length === 0;

const toWrite = (result: TraceBatchResult, receivedAt: number): IngestWrite => ({
  receivedAt,
  requests: result.red,
  workflows: result.workflows,
  edges: result.edges,
});

/**
 * Traces to per-integration RED rows, workflow runs and discovered edges. Room in the queue is
 * reserved before the spans are matched, so a request turned away with 429 leaves no trace in the
 * pairing and workflow state, and its retry counts in full.
 */
export function createTraceIngest(options: TraceIngestOptions): TraceIngest {
  const now = options.now ?? Date.now;
  const processor = createTraceProcessor({
    catalog: () => options.catalog.current(),
    durationBucketsSeconds: [...ROLLUP_DURATION_BUCKETS_SECONDS],
    pairing: options.pairing,
    workflows: { maxActiveRuns: options.maxActiveWorkflowRuns },
    now,
  });
  /** Deltas from sweeps the queue had no room for: committed with the next sweep. */
  let carried: TraceBatchResult[] = [];

  function decode(body: Uint8Array, encoding: TraceEncoding): DecodedTraces {
    if (encoding === 'protobuf') return decodeTracesProtobuf(body, options.limits);
    return decodeTracesJson(parseJson(body), options.limits);
  }

  return {
    async ingest(body, encoding) {
      const decoded = decode(body, encoding);
      const reservation = options.queue.reserve(decoded.spanCount);
      try {
        await options.catalog.refresh();
      } catch (error) {
        reservation.release();
        throw error;
      }
      const result = processor.process(decoded);
      const write = toWrite(result, now());
      await reservation.submit(write);
      options.totals.addCommitted(write);
      options.totals.spans.accepted += decoded.spanCount;
      options.totals.spans.rejected += decoded.rejectedSpans;
      return {
        acceptedSpans: decoded.spanCount,
        rejectedSpans: decoded.rejectedSpans,
        rejectionMessage: decoded.rejectionMessage,
      };
    },

    async sweep() {
      const result = processor.sweep();
      if (!isEmpty(result)) carried.push(result);
      if (carried.length === 0) return;
      let reservation: ReturnType<IngestQueue['reserve']>;
      try {
        reservation = options.queue.reserve(1);
      } catch (error) {
        if (error instanceof IngestOverloadedError) return; // kept for the next sweep
        throw error;
      }
      const batch = carried;
      carried = [];
      const write: IngestWrite = {
        receivedAt: now(),
        requests: batch.flatMap((r) => r.red),
        workflows: batch.flatMap((r) => r.workflows),
        edges: batch.flatMap((r) => r.edges),
      };
      try {
        await reservation.submit(write);
        options.totals.addCommitted(write);
      } catch (error) {
        options.logger.warn(
          { err: error },
          'traces: could not commit expired runs; keeping them for the next sweep',
        );
        carried = batch.concat(carried);
      }
    },

    state() {
      const stats = processor.stats();
      return { pendingPairs: stats.pendingPairs, activeRuns: stats.activeRuns };
    },
  };
}
