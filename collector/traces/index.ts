/**
 * Trace ingest: OTLP/HTTP requests decoded into {@link DecodedTraces} (protobuf or JSON), then
 * turned by {@link createTraceProcessor} into per-integration RED deltas, discovered edges and
 * workflow runs, for the caller to store with the request's acknowledgement.
 * @example
 * import { createTraceProcessor, decodeTracesProtobuf } from './collector/traces/index.ts';
 * const processor = createTraceProcessor({ catalog, durationBucketsSeconds, pairing, workflows });
 * const result = processor.process(decodeTracesProtobuf(body, limits));
 */
export {
  type CompiledRule,
  compileMatcher,
  createSpanFacts,
  type MatchSide,
  matchCallee,
  type SpanFacts,
  type SpanMatcher,
  spanSide,
  stripPort,
  type TraceIntegration,
} from './match.ts';
export { decodeTracesJson } from './otlp-json.ts';
export { decodeTracesProtobuf } from './otlp-protobuf.ts';
export { REQUEST_OUTCOMES, type RequestOutcome, spanOutcome } from './outcome.ts';
export {
  createExpiringMap,
  createPairingStore,
  type ExpiringMap,
  type PairingStore,
  type PairingStoreOptions,
  type PendingCall,
  type PendingState,
} from './pairing.ts';
export {
  createTraceProcessor,
  type EdgeDelta,
  type TraceBatchResult,
  type TraceCatalog,
  type TraceProcessor,
  type TraceProcessorOptions,
  type TraceProcessorStats,
  type TraceSystem,
} from './processor.ts';
export {
  bucketIndex,
  checkBuckets,
  createRedAccumulator,
  MINUTE_MS,
  minuteOf,
  type RedAccumulator,
  type RedDelta,
} from './red.ts';
export * from './types.ts';
export {
  createWorkflowTracker,
  type TraceWorkflow,
  type WorkflowDelta,
  type WorkflowTracker,
  type WorkflowTrackerOptions,
} from './workflows.ts';
