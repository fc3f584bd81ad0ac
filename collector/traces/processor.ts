import {
  type CompiledRule,
  compileMatcher,
  createSpanFacts,
  matchCallee,
  type SpanFacts,
  type SpanMatcher,
  spanSide,
  type TraceIntegration,
} from './match.ts';
import { type RequestOutcome, spanOutcome } from './outcome.ts';
import { createPairingStore, type PendingCall, type PendingState } from './pairing.ts';
import { createRedAccumulator, type RedDelta } from './red.ts';
import type { DecodedSpan, DecodedTraces } from './types.ts';
import { createWorkflowTracker, type TraceWorkflow, type WorkflowDelta } from './workflows.ts';

/** A system as the trace pipeline needs it: the service.name values its processes report. */
export interface TraceSystem {
  id: string;
  /** Empty or absent: the system is known by its own id as service name. */
  services?: string[] | undefined;
}

/** The part of the catalog the trace processor reads. */
export interface TraceCatalog {
  /** Changes whenever anything below does; the processor recompiles only then. */
  revision: number;
  integrations: TraceIntegration[];
  systems: TraceSystem[];
  workflows: TraceWorkflow[];
}

/**
 * Calls between two services that no integration's rules matched, summed within one call of the
 * processor: the raw material for discovering undeclared integrations.
 */
export interface EdgeDelta {
  /** service.name of the caller. */
  caller: string;
  /** service.name of the callee (its server span's resource, else the client's `peer.service`). */
  callee: string;
  /** The system listing the caller's service, when one does. */
  callerSystem?: string;
  calleeSystem?: string;
  calls: number;
  /** Calls where either side's outcome was not success. */
  errors: number;
  /** Earliest start over the calls' spans, Unix ms. */
  firstSeen: number;
  /** Latest end over the calls' spans, Unix ms. */
  lastSeen: number;
}

/**
 * What one call of the processor found: deltas for the caller to write in the same transaction
 * as it acknowledges the request, so that an acknowledged span is counted exactly once.
 */
export interface TraceBatchResult {
  red: RedDelta[];
  edges: EdgeDelta[];
  workflows: WorkflowDelta[];
  /**
   * The spans of this call, each in exactly one class: `matched` counted for an integration now;
   * `deferred` waiting for their server span to learn the callee; `unmatched` attributed to no
   * integration (INTERNAL spans included); `duplicatePairs` the other side of a call already
   * counted, or the same span delivered again while its first delivery still waits.
   */
  spans: { matched: number; deferred: number; unmatched: number; duplicatePairs: number };
  /** Pairing entries whose wait ran out. */
  pairsExpired: number;
  /** Pairing entries evicted, oldest first, to stay within maxPending. */
  pairsEvicted: number;
  /** Workflow runs not started because maxActiveRuns were being tracked (a trace may count twice). */
  runsDropped: number;
  /** Deferred client spans of earlier calls that their server span matched now (counted in `red`). */
  deferredMatched: number;
  /** Deferred client spans expired or evicted before their server span arrived: never counted. */
  deferredDropped: number;
}

export interface TraceProcessorOptions {
  /** The catalog in force; read on every call, recompiled only when its revision changes. */
  catalog: () => TraceCatalog;
  /** Ascending upper bounds in seconds for call and workflow durations. */
  durationBucketsSeconds: number[];
  pairing: {
    /** Most calls waiting for their other side; the oldest is evicted beyond. */
    maxPending: number;
    /** How long a call waits for its other side, in ms. */
    waitMs: number;
  };
  workflows: {
    /** Most workflow runs tracked at once. */
    maxActiveRuns: number;
  };
  /** Clock for waits and timeouts, Unix ms (default Date.now). */
  now?: () => number;
}

/** Gauges of what the processor holds. */
export interface TraceProcessorStats {
  catalogRevision: number;
  integrations: number;
  rules: number;
  /** Calls waiting for their other side, deferred ones included. */
  pendingPairs: number;
  /** Client spans waiting for their callee to be known. */
  deferredPairs: number;
  activeRuns: number;
  endedRuns: number;
}

export interface TraceProcessor {
  /** Attributes the spans, pairs them and returns the deltas they make. Never throws on span content. */
  process(traces: DecodedTraces): TraceBatchResult;
  /** Expires pairing entries and abandons idle workflow runs; call it every few seconds. */
  sweep(): TraceBatchResult;
  stats(): TraceProcessorStats;
}

interface EdgeSum {
  calls: number;
  errors: number;
  firstSeen: number;
  lastSeen: number;
}

/**
 * Turns decoded spans into per-integration RED deltas, discovered edges and workflow runs, in
 * memory, with an injected clock.
 *
 * A span is matched on arrival against the rules of its side (see {@link compileMatcher}). The
 * two spans of one call (client or producer, and server or consumer) are recognised through a
 * {@link createPairingStore pairing store}, so a call is counted once whichever side arrives
 * first and whichever call of `process` brings each: the first side to match is counted, with its
 * own duration and outcome, and the other is a duplicate. Should both sides match different
 * integrations, the first to arrive decides.
 *
 * A client span that matched nothing but that a `calleeService` rule could match waits for its
 * server span; it is counted in the call that brings it. Without `peer.service` and before its
 * pair, the callee is unknown; with `peer.service`, that is the callee at once and the span never
 * waits, and once paired, the server's own service.name is the callee.
 *
 * A call matched by no integration is an edge (caller service → callee service) when both names
 * are known and differ: at pairing, or at once for a client span carrying `peer.service`. An
 * edge reported at once is not reported again at pairing; should its server span then match an
 * integration, the call is counted there too. Calls between two systems that a declared
 * integration already joins (its `from` and `to`) are never edges: that integration's rules
 * missed them, nobody failed to declare them.
 *
 * Not idempotent: calling `process` again with the same spans counts them as duplicates or anew.
 * @example
 * const processor = createTraceProcessor({
 *   catalog: () => catalogView,
 *   durationBucketsSeconds: DURATION_BUCKETS_SECONDS,
 *   pairing: { maxPending: 100_000, waitMs: 30_000 },
 *   workflows: { maxActiveRuns: 50_000 },
 * });
 * const result = processor.process(decodeTracesProtobuf(body, limits));
 * store.writeTraceResult(result); // same transaction as the acknowledgement
 */
export function createTraceProcessor(options: TraceProcessorOptions): TraceProcessor {
  const clock = options.now ?? Date.now;
  const pending = createPairingStore<PendingCall>(options.pairing);
  const red = createRedAccumulator(options.durationBucketsSeconds);
  const tracker = createWorkflowTracker({
    durationBucketsSeconds: options.durationBucketsSeconds,
    maxActiveRuns: options.workflows.maxActiveRuns,
  });
  const facts: SpanFacts = createSpanFacts();

  let revision = Number.NaN;
  let matcher: SpanMatcher = compileMatcher([]);
  let systemOf = new Map<string, string>();
  /** `from\u0000to` of every declared integration: calls between those systems are not discoveries. */
  let declaredPairs = new Set<string>();
  let spanSteps = false;
  let deferredPending = 0;

  let edges = new Map<string, Map<string, EdgeSum>>();
  let matched = 0;
  let deferred = 0;
  let unmatched = 0;
  let duplicatePairs = 0;
  let pairsExpired = 0;
  let pairsEvicted = 0;
  let deferredMatched = 0;
  let deferredDropped = 0;
  let now = 0;

  function refresh(): void {
    const catalog = options.catalog();
    if (catalog.revision === revision) return;
    matcher = compileMatcher(catalog.integrations);
    tracker.setWorkflows(catalog.workflows);
    spanSteps = tracker.bySpanName;
    systemOf = new Map();
    declaredPairs = new Set(catalog.integrations.map((i) => `${i.from}\u0000${i.to}`));
    for (const system of catalog.systems) {
      const services = system.services?.length ? system.services : [system.id];
      for (const service of services) if (!systemOf.has(service)) systemOf.set(service, system.id);
    }
    revision = catalog.revision;
  }

  function dropped(call: PendingCall): void {
    if (call.state !== 'deferred') return;
    deferredPending--;
    deferredDropped++;
  }

  function hold(
    clientSpanId: string,
    span: DecodedSpan,
    side: 'client' | 'server',
    state: PendingState,
  ): PendingCall {
    const call: PendingCall = {
      expiresAt: 0,
      traceId: span.traceId,
      side,
      spanId: span.spanId,
      service: facts.service,
      state,
      integrationId: undefined,
      candidates: undefined,
      startTimeMs: span.startTimeMs,
      endTimeMs: span.endTimeMs,
      outcome: 'success',
    };
    if (state === 'deferred') deferredPending++;
    const evicted = pending.put(clientSpanId, call, now);
    if (evicted !== undefined) {
      pairsEvicted++;
      dropped(evicted);
    }
    return call;
  }

  function take(traceId: string, clientSpanId: string): PendingCall | undefined {
    const call = pending.take(traceId, clientSpanId);
    if (call?.state === 'deferred') deferredPending--;
    return call;
  }

  function observe(
    span: DecodedSpan,
    integrationId: string | undefined,
    outcome: RequestOutcome | undefined,
  ) {
    if (integrationId === undefined && !spanSteps) return;
    tracker.observe(
      span.traceId,
      integrationId,
      span.name,
      span.startTimeMs,
      span.endTimeMs,
      outcome ?? spanOutcome(span),
      now,
    );
  }

  function count(span: DecodedSpan, rule: CompiledRule): RequestOutcome {
    const outcome = spanOutcome(span);
    red.add(rule.integrationId, span.endTimeMs, span.endTimeMs - span.startTimeMs, outcome);
    matched++;
    observe(span, rule.integrationId, outcome);
    return outcome;
  }

  function edge(
    caller: string | undefined,
    callee: string | undefined,
    firstSeen: number,
    lastSeen: number,
    error: boolean,
  ): void {
    if (caller === undefined || callee === undefined || caller === callee) return;
    let byCallee = edges.get(caller);
    if (byCallee === undefined) {
      byCallee = new Map();
      edges.set(caller, byCallee);
    }
    const sum = byCallee.get(callee);
    if (sum === undefined) byCallee.set(callee, { calls: 1, errors: error ? 1 : 0, firstSeen, lastSeen });
    else {
      sum.calls++;
      if (error) sum.errors++;
      if (firstSeen < sum.firstSeen) sum.firstSeen = firstSeen;
      if (lastSeen > sum.lastSeen) sum.lastSeen = lastSeen;
    }
  }

  /** A server span that will have no pair: a root span, or a second server span under one key. */
  function alone(span: DecodedSpan): void {
    const rule = matcher.match('server', facts);
    if (rule !== undefined) count(span, rule);
    else {
      unmatched++;
      observe(span, undefined, undefined);
    }
  }

  function client(span: DecodedSpan): void {
    const key = span.spanId;
    const other = pending.get(span.traceId, key);
    if (other?.side === 'client') {
      duplicatePairs++;
      return;
    }
    if (other !== undefined) {
      take(span.traceId, key);
      if (other.state === 'counted') {
        duplicatePairs++;
        observe(span, other.integrationId, undefined);
        return;
      }
      facts.callee = other.service ?? facts.peerService;
      const rule = matcher.match('client', facts);
      if (rule !== undefined) {
        count(span, rule);
        return;
      }
      unmatched++;
      const outcome = spanOutcome(span);
      edge(
        facts.service,
        facts.callee,
        Math.min(span.startTimeMs, other.startTimeMs),
        Math.max(span.endTimeMs, other.endTimeMs),
        outcome !== 'success' || other.outcome !== 'success',
      );
      observe(span, undefined, outcome);
      return;
    }
    facts.callee = facts.peerService;
    const rule = matcher.match('client', facts);
    if (rule !== undefined) {
      const call = hold(key, span, 'client', 'counted');
      call.integrationId = rule.integrationId;
      call.outcome = count(span, rule);
      return;
    }
    const outcome = spanOutcome(span);
    if (facts.callee !== undefined) {
      unmatched++;
      hold(key, span, 'client', 'edge').outcome = outcome;
      edge(facts.service, facts.callee, span.startTimeMs, span.endTimeMs, outcome !== 'success');
    } else {
      const candidates = matcher.deferrable(facts);
      const call = hold(key, span, 'client', candidates.length > 0 ? 'deferred' : 'waiting');
      call.outcome = outcome;
      if (candidates.length > 0) {
        call.candidates = candidates;
        deferred++;
      } else unmatched++;
    }
    observe(span, undefined, outcome);
  }

  function server(span: DecodedSpan): void {
    if (span.parentSpanId === '') {
      alone(span);
      return;
    }
    const key = span.parentSpanId;
    const other = pending.get(span.traceId, key);
    if (other?.side === 'server') {
      if (other.spanId === span.spanId) duplicatePairs++;
      else alone(span);
      return;
    }
    if (other === undefined) {
      const rule = matcher.match('server', facts);
      const call = hold(key, span, 'server', rule === undefined ? 'waiting' : 'counted');
      if (rule !== undefined) {
        call.integrationId = rule.integrationId;
        call.outcome = count(span, rule);
      } else {
        unmatched++;
        call.outcome = spanOutcome(span);
        observe(span, undefined, call.outcome);
      }
      return;
    }
    take(span.traceId, key);
    if (other.state === 'counted') {
      duplicatePairs++;
      observe(span, other.integrationId, undefined);
      return;
    }
    if (other.state === 'deferred' && facts.service !== undefined) {
      const rule = matchCallee(other.candidates ?? [], facts.service);
      if (rule !== undefined) {
        red.add(rule.integrationId, other.endTimeMs, other.endTimeMs - other.startTimeMs, other.outcome);
        deferredMatched++;
        duplicatePairs++;
        tracker.observe(
          span.traceId,
          rule.integrationId,
          undefined,
          other.startTimeMs,
          other.endTimeMs,
          other.outcome,
          now,
        );
        observe(span, rule.integrationId, undefined);
        return;
      }
    }
    const rule = matcher.match('server', facts);
    if (rule !== undefined) {
      count(span, rule);
      return;
    }
    unmatched++;
    const outcome = spanOutcome(span);
    if (other.state !== 'edge')
      edge(
        other.service,
        facts.service,
        Math.min(span.startTimeMs, other.startTimeMs),
        Math.max(span.endTimeMs, other.endTimeMs),
        outcome !== 'success' || other.outcome !== 'success',
      );
    observe(span, undefined, outcome);
  }

  function expire(): void {
    pairsExpired += pending.expire(now, dropped);
  }

  function result(): TraceBatchResult {
    const edgeDeltas: EdgeDelta[] = [];
    for (const [caller, byCallee] of edges)
      for (const [callee, sum] of byCallee) {
        const delta: EdgeDelta = { caller, callee, ...sum };
        const callerSystem = systemOf.get(caller);
        const calleeSystem = systemOf.get(callee);
        // A declared integration whose rules missed these calls is not an undeclared edge.
        if (declaredPairs.has(`${callerSystem}\u0000${calleeSystem}`)) continue;
        if (callerSystem !== undefined) delta.callerSystem = callerSystem;
        if (calleeSystem !== undefined) delta.calleeSystem = calleeSystem;
        edgeDeltas.push(delta);
      }
    const workflows = tracker.take();
    const out: TraceBatchResult = {
      red: red.take(),
      edges: edgeDeltas,
      workflows: workflows.deltas,
      spans: { matched, deferred, unmatched, duplicatePairs },
      pairsExpired,
      pairsEvicted,
      runsDropped: workflows.runsDropped,
      deferredMatched,
      deferredDropped,
    };
    edges = new Map();
    matched = deferred = unmatched = duplicatePairs = 0;
    pairsExpired = pairsEvicted = deferredMatched = deferredDropped = 0;
    return out;
  }

  refresh();

  return {
    process(traces) {
      now = clock();
      refresh();
      expire();
      for (const resource of traces.resourceSpans) {
        const service = resource.serviceName;
        for (const span of resource.spans) {
          const side = spanSide(span.kind);
          if (side === undefined) {
            unmatched++;
            if (spanSteps) observe(span, undefined, undefined);
            continue;
          }
          matcher.read(facts, span, service);
          if (side === 'client') client(span);
          else server(span);
        }
      }
      return result();
    },
    sweep() {
      now = clock();
      refresh();
      expire();
      tracker.sweep(now);
      return result();
    },
    stats() {
      return {
        catalogRevision: revision,
        integrations: matcher.integrations,
        rules: matcher.rules,
        pendingPairs: pending.size,
        deferredPairs: deferredPending,
        activeRuns: tracker.activeRuns,
        endedRuns: tracker.endedRuns,
      };
    },
  };
}
