/**
 * OTLP trace batches for the ingest bench, made by the real OpenTelemetry SDK (one TracerProvider
 * per service, as each process of the example ecosystem would have) and encoded by its own
 * protobuf serializer, as an OTLP/HTTP exporter sends them.
 *
 * Each batch holds whole traces:
 * - **workflow traces**: one run of the catalog's first workflow, every step a client (or producer)
 *   span of the calling system's service with the attributes its integration's match rule asks
 *   for; the server (or consumer) span of every step whose target is one of the company's own
 *   instrumented systems, as the child of its client span, so pairing has work to do; and one call
 *   to a service the catalog does not know (`recommendations`), which becomes a discovered edge;
 * - **single calls** of the other integrations the company's own systems make, filling the batch.
 *
 * A pool of batches is encoded once. Each request is a copy of one of them with the first 4 bytes
 * of every trace id set to a request counter, so no two requests carry the same trace: pairing,
 * workflow runs and edges see new traces all the time, and the generator does no encoding while it
 * measures.
 */
import { randomBytes } from 'node:crypto';
import {
  type Attributes,
  type Context,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { type BenchCatalog, type BenchIntegration, type BenchMatchRule, benchHost } from './catalog.ts';

/** The undeclared service the workflow trace calls once: a discovered edge. */
export const UNDECLARED_SERVICE = 'recommendations';
/** Kinds of systems that emit no spans of their own (a broker, a database, a file drop). */
const SILENT_KINDS = new Set(['database', 'message-broker', 'file-store', 'data-warehouse']);
const MINUTE_MS = 60_000;

/** One span to make: who emits it, under which parent, when, with what. */
interface PlannedSpan {
  service: string;
  name: string;
  kind: SpanKind;
  attributes: Attributes;
  /** Index of the parent in the trace's plan; -1 for the root. */
  parent: number;
  startMs: number;
  endMs: number;
  /** A call to a partner's system: fails now and then (503, status ERROR). */
  mayFail: boolean;
  /** The integration this span's call counts for (client side of a call only). */
  counts?: string;
}

interface TracePlan {
  spans: PlannedSpan[];
  workflow?: string;
  edge: boolean;
}

/** One request: its body, its spans, and what the product should count from them. */
export interface SpanBatch {
  body: Buffer;
  units: number;
  /** Calls to count for integrations (each call once). */
  calls: number;
  /** Calls to the undeclared service: the discovered edge's count. */
  edgeCalls: number;
}

export interface SpanBatches {
  batchSize: number;
  next(): SpanBatch;
  /** Average encoded size of a batch, bytes. */
  bytesPerBatch: number;
  /** Calls per batch the product should count for integrations (each call once). */
  callsPerBatch: number;
  /** Average rows per batch the product upserts: request minutes, workflow minutes, edges. */
  writesPerBatch: { requestMinutes: number; workflowMinutes: number; edges: number };
  /** What a batch is made of, for the notes. */
  describe: string;
}

const hash = (text: string): number => {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
};

/** Attributes, name and emitting service that make a span of `integration` satisfy `rule`. */
function applyRule(
  rule: BenchMatchRule | undefined,
  span: { service: string; name: string; attributes: Attributes },
): void {
  if (!rule) return;
  const a = span.attributes;
  if (rule.service !== undefined) span.service = rule.service;
  if (rule.serverAddress !== undefined) a['server.address'] = rule.serverAddress;
  if (rule.peerService !== undefined) a['peer.service'] = rule.peerService;
  if (rule.urlPrefix !== undefined) a['url.full'] = rule.urlPrefix;
  if (rule.httpRoute !== undefined) a['http.route'] = rule.httpRoute;
  if (rule.rpcService !== undefined) {
    a['rpc.system'] = 'grpc';
    a['rpc.service'] = rule.rpcService;
  }
  if (rule.messagingDestination !== undefined) a['messaging.destination.name'] = rule.messagingDestination;
  if (rule.spanName !== undefined) span.name = rule.spanName;
  // Keep the URL and the host telling the same story.
  const url = a['url.full'];
  if (typeof url === 'string') {
    if (rule.urlPrefix !== undefined && rule.serverAddress === undefined)
      a['server.address'] = new URL(url).hostname;
    else if (rule.serverAddress !== undefined && rule.urlPrefix === undefined)
      a['url.full'] = url.replace(/^https:\/\/[^/]+/, `https://${rule.serverAddress}`);
  }
}

/** Plans traces for the catalog: the workflow trace, and single-call traces to fill batches. */
function planTraces(catalog: BenchCatalog): { workflow: TracePlan; singles: TracePlan[] } {
  const byId = new Map(catalog.integrations.map((i) => [i.id, i]));
  const own = new Set(
    catalog.participants.filter((p) => p.role === 'orchestrator' || p.role === 'internal').map((p) => p.id),
  );
  const serviceOf = (system: string) => catalog.systems.get(system)?.service ?? system;
  const instrumented = (system: string) => {
    const s = catalog.systems.get(system);
    return s !== undefined && own.has(s.participant) && !SILENT_KINDS.has(s.kind);
  };

  /** Adds one call (client span, and server span when the callee is instrumented) to `spans`. */
  function call(
    spans: PlannedSpan[],
    integration: BenchIntegration,
    parent: number,
    startMs: number,
  ): number {
    const messaging = integration.kind === 'event-stream';
    const host = benchHost(integration.to);
    const seed = hash(integration.id);
    const durationMs = messaging ? 3 : 20 + (seed % 380);
    const mayFail = !instrumented(integration.to);
    const client = {
      service: serviceOf(integration.from),
      name: messaging ? `${integration.to} publish` : `POST`,
      attributes: (messaging
        ? {
            'messaging.system': 'kafka',
            'messaging.operation.type': 'send',
            'messaging.destination.name': `${integration.id}.v1`,
            'server.address': host,
            'server.port': 9092,
          }
        : {
            'http.request.method': 'POST',
            'url.full': `https://${host}/v1/${integration.id}`,
            'server.address': host,
            'server.port': 443,
            'http.response.status_code': 200,
            'network.protocol.version': '1.1',
          }) as Attributes,
    };
    const clientRule = integration.match.find((r) => (r.side ?? 'client') === 'client');
    const serverRule = clientRule ? undefined : integration.match.find((r) => r.side === 'server');
    applyRule(clientRule, client);
    const at = spans.length;
    spans.push({
      ...client,
      kind: messaging ? SpanKind.PRODUCER : SpanKind.CLIENT,
      parent,
      startMs,
      endMs: startMs + durationMs,
      mayFail,
      counts: integration.id,
    });
    const calleeService = clientRule?.calleeService ?? serverRule?.service;
    if (messaging || (!instrumented(integration.to) && calleeService === undefined && !serverRule)) return at;
    const server = {
      service: calleeService ?? serviceOf(integration.to),
      name: `POST /v1/${integration.id}`,
      attributes: {
        'http.request.method': 'POST',
        'http.route': `/v1/${integration.id}`,
        'url.path': `/v1/${integration.id}`,
        'url.scheme': 'https',
        'server.address': client.attributes['server.address'] ?? host,
        'server.port': 8443,
        'http.response.status_code': 200,
      } as Attributes,
    };
    applyRule(serverRule, server);
    spans.push({
      ...server,
      kind: SpanKind.SERVER,
      parent: at,
      startMs: startMs + 1,
      endMs: startMs + durationMs - 1,
      mayFail: false,
    });
    return at;
  }

  const workflowDef = catalog.workflows.find((w) => w.steps.length > 0 && w.steps.every((s) => byId.has(s)));
  const workflow: TracePlan = { spans: [], edge: false, ...(workflowDef && { workflow: workflowDef.id }) };
  const steps = (workflowDef?.steps ?? []).map((s) => byId.get(s) as BenchIntegration);
  if (steps.length > 0) {
    const first = steps[0] as BenchIntegration;
    const spans = workflow.spans;
    spans.push({
      service: serviceOf(first.from),
      name: 'POST /orders',
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': 'POST',
        'http.route': '/orders',
        'http.response.status_code': 201,
      },
      parent: -1,
      startMs: 0,
      endMs: 0,
      mayFail: false,
    });
    /** The span each service's work hangs under: its root, server or consumer span. */
    const active = new Map<string, number>([[serviceOf(first.from), 0]]);
    let lastProducer = -1;
    let clock = 2;
    for (const [n, step] of steps.entries()) {
      const caller = serviceOf(step.from);
      let parent = active.get(caller);
      if (parent === undefined) {
        // Work that starts from a message: a consumer span under the producer (or the last call).
        const under = lastProducer >= 0 ? lastProducer : spans.length - 1;
        spans.push({
          service: caller,
          name: `${step.from} process`,
          kind: lastProducer >= 0 ? SpanKind.CONSUMER : SpanKind.SERVER,
          attributes: { 'messaging.system': 'kafka', 'messaging.operation.type': 'process' },
          parent: under,
          startMs: clock,
          endMs: clock + 40,
          mayFail: false,
        });
        parent = spans.length - 1;
        active.set(caller, parent);
        clock += 1;
      }
      const at = call(spans, step, parent, clock);
      const planned = spans[at] as PlannedSpan;
      clock = planned.endMs + 2;
      if (planned.kind === SpanKind.PRODUCER) lastProducer = at;
      if (spans.length > at + 1) active.set((spans[at + 1] as PlannedSpan).service, at + 1);
      if (n === 0 && spans.length > at + 1) {
        // The undeclared call, from the first callee: client span and its server span.
        const from = spans[at + 1] as PlannedSpan;
        const host = `${UNDECLARED_SERVICE}.northwind.internal`;
        spans.push({
          service: from.service,
          name: 'GET',
          kind: SpanKind.CLIENT,
          attributes: {
            'http.request.method': 'GET',
            'url.full': `https://${host}/v2/suggestions`,
            'server.address': host,
            'server.port': 443,
            'http.response.status_code': 200,
          },
          parent: at + 1,
          startMs: from.startMs + 3,
          endMs: from.startMs + 25,
          mayFail: false,
        });
        spans.push({
          service: UNDECLARED_SERVICE,
          name: 'GET /v2/suggestions',
          kind: SpanKind.SERVER,
          attributes: {
            'http.request.method': 'GET',
            'http.route': '/v2/suggestions',
            'http.response.status_code': 200,
          },
          parent: spans.length - 1,
          startMs: from.startMs + 4,
          endMs: from.startMs + 24,
          mayFail: false,
        });
        workflow.edge = true;
      }
    }
    // Parents end after their children.
    for (let i = spans.length - 1; i > 0; i--) {
      const span = spans[i] as PlannedSpan;
      const parent = spans[span.parent] as PlannedSpan;
      parent.endMs = Math.max(parent.endMs, span.endMs + 1);
    }
  }

  const inWorkflow = new Set(steps.map((s) => s.id));
  const singles = catalog.integrations
    .filter((i) => !inWorkflow.has(i.id) && instrumented(i.from))
    .map((integration): TracePlan => {
      const spans: PlannedSpan[] = [
        {
          service: serviceOf(integration.from),
          name: `job ${integration.id}`,
          kind: SpanKind.SERVER,
          attributes: { 'http.request.method': 'POST', 'http.route': `/jobs/${integration.id}` },
          parent: -1,
          startMs: 0,
          endMs: 0,
          mayFail: false,
        },
      ];
      call(spans, integration, 0, 1);
      (spans[0] as PlannedSpan).endMs = Math.max(...spans.map((s) => s.endMs)) + 1;
      return { spans, edge: false };
    });
  if (workflow.spans.length === 0 && singles.length === 0)
    throw new Error('the example catalog has no integration a trace could show');
  return { workflow, singles };
}

/** A trace that matches nothing and pairs with nothing, to fill a batch to its exact size. */
const HEALTH_CHECK: TracePlan = {
  spans: [
    {
      service: 'storefront',
      name: 'GET /healthz',
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': 'GET',
        'http.route': '/healthz',
        'http.response.status_code': 200,
      },
      parent: -1,
      startMs: 0,
      endMs: 1,
      mayFail: false,
    },
  ],
  edge: false,
};

/** The plans one batch holds: about nine tenths workflow traces, then single calls, exactly `size` spans. */
function fillBatch(size: number, workflow: TracePlan, singles: TracePlan[], offset: number): TracePlan[] {
  const plans: TracePlan[] = [];
  let left = size;
  const w = workflow.spans.length;
  if (w > 0)
    for (; left - w >= size * 0.1 || (singles.length === 0 && left >= w); left -= w) plans.push(workflow);
  for (let i = offset; left > 0; i++) {
    const fits = singles.filter((p) => p.spans.length <= left);
    const plan = fits.length > 0 ? (fits[i % fits.length] as TracePlan) : HEALTH_CHECK;
    plans.push(plan);
    left -= plan.spans.length;
  }
  return plans;
}

/**
 * Encodes `poolSize` distinct batches of `batchSize` spans. The pool takes a second or two to build;
 * `next` then only copies a batch and writes a counter into its trace ids.
 */
export async function createSpanBatches(
  catalog: BenchCatalog,
  options: { batchSize: number; poolSize?: number; startMs?: number },
): Promise<SpanBatches> {
  const { batchSize } = options;
  const poolSize = options.poolSize ?? 32;
  const startMs = options.startMs ?? Date.now();
  const { workflow, singles } = planTraces(catalog);
  const exporter = new InMemorySpanExporter();
  const tracers = new Map<string, Tracer>();
  const providers: TracerProvider[] = [];
  const tracerFor = (service: string): Tracer => {
    let tracer = tracers.get(service);
    if (!tracer) {
      const provider = new TracerProvider({
        resource: resourceFromAttributes({
          'service.name': service,
          'service.namespace': 'northwind',
          'service.version': `1.${hash(service) % 40}.0`,
          'deployment.environment.name': 'production',
          'host.name': `${service}-7d9f8b6c5-${(hash(service) % 46_656).toString(36)}`,
          'telemetry.sdk.name': 'opentelemetry',
          'telemetry.sdk.language': 'nodejs',
          'telemetry.sdk.version': '3.1.0',
        }),
        spanProcessors: [new SimpleSpanProcessor({ exporter })],
      });
      providers.push(provider);
      tracer = provider.getTracer('@opentelemetry/instrumentation-http', '0.301.0');
      tracers.set(service, tracer);
    }
    return tracer;
  };

  const pool: { body: Buffer; offsets: number[]; calls: number; edgeCalls: number }[] = [];
  let calls = 0;
  let requestMinutes = 0;
  let workflowMinutes = 0;
  let edges = 0;
  let traceNumber = 0;
  for (let b = 0; b < poolSize; b++) {
    exporter.reset();
    const plans = fillBatch(batchSize, workflow, singles, b);
    const counted = new Set<string>();
    const callsBefore = calls;
    let edgeCalls = 0;
    const workflowKeys = new Set<string>();
    let edge = false;
    for (const plan of plans) {
      const t0 = startMs + traceNumber * 7;
      // Durations vary a little from trace to trace; every span of a trace shifts alike.
      const jitter = (traceNumber * 13) % 17;
      const made: Span[] = [];
      for (const planned of plan.spans) {
        const parent: Context =
          planned.parent < 0 ? ROOT_CONTEXT : trace.setSpan(ROOT_CONTEXT, made[planned.parent] as Span);
        made.push(
          tracerFor(planned.service).startSpan(
            planned.name,
            { kind: planned.kind, attributes: planned.attributes, startTime: t0 + planned.startMs },
            parent,
          ),
        );
      }
      // End children first, as real spans end.
      for (let i = plan.spans.length - 1; i >= 0; i--) {
        const planned = plan.spans[i] as PlannedSpan;
        const span = made[i] as Span;
        const endMs = t0 + planned.endMs + jitter;
        if (planned.mayFail && (traceNumber + i) % 40 === 0) {
          span.setAttribute('http.response.status_code', 503);
          span.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream answered 503' });
        }
        span.end(endMs);
        if (planned.counts !== undefined) {
          calls += 1;
          counted.add(`${planned.counts}@${Math.floor(endMs / MINUTE_MS)}`);
        }
      }
      if (plan.workflow !== undefined)
        workflowKeys.add(String(Math.floor((t0 + (plan.spans[0]?.endMs ?? 0) + jitter) / MINUTE_MS)));
      traceNumber += 1;
      edge ||= plan.edge;
      if (plan.edge) edgeCalls += 1;
    }
    const spans = exporter.getFinishedSpans();
    if (spans.length !== batchSize)
      throw new Error(`batch ${b}: ${spans.length} spans, expected ${batchSize}`);
    const encoded = ProtobufTraceSerializer.serializeRequest(spans);
    if (!encoded) throw new Error('the SDK serializer returned nothing');
    const body = Buffer.from(encoded);
    const offsets = traceIdOffsets(body, new Set(spans.map((s) => s.spanContext().traceId)), batchSize);
    pool.push({ body, offsets, calls: calls - callsBefore, edgeCalls });
    requestMinutes += counted.size;
    workflowMinutes += workflowKeys.size;
    edges += edge ? 1 : 0;
  }
  await Promise.all(providers.map((p) => p.shutdown()));

  // Requests start at a random counter so two runs on one file would not share traces either.
  let request = randomBytes(4).readUInt32BE(0) >>> 8;
  const workflowSpans = workflow.spans.length;
  const first = fillBatch(batchSize, workflow, singles, 0);
  const workflowTraces = first.filter((p) => p === workflow).length;
  return {
    batchSize,
    bytesPerBatch: pool.reduce((sum, p) => sum + p.body.length, 0) / pool.length,
    callsPerBatch: calls / poolSize,
    writesPerBatch: {
      requestMinutes: requestMinutes / poolSize,
      workflowMinutes: workflowMinutes / poolSize,
      edges: edges / poolSize,
    },
    describe:
      `${workflowTraces} runs of workflow ${workflow.workflow ?? '-'} (${workflowSpans} spans each, one undeclared call) ` +
      `+ ${first.length - workflowTraces} single-call traces; ${tracers.size} services`,
    next() {
      const template = pool[request % pool.length] as (typeof pool)[number];
      const body = Buffer.from(template.body);
      const stamp = request++ >>> 0;
      for (const at of template.offsets) body.writeUInt32BE(stamp, at);
      return { body, units: batchSize, calls: template.calls, edgeCalls: template.edgeCalls };
    },
  };
}

/**
 * Offsets of every span's trace id in an encoded ExportTraceServiceRequest: the 16 bytes after a
 * `trace_id` field key and length (0x0a 0x10) that equal one of the batch's trace ids.
 */
function traceIdOffsets(body: Buffer, traceIds: Set<string>, spans: number): number[] {
  const offsets: number[] = [];
  for (let i = 0; i + 18 <= body.length; i++) {
    if (body[i] !== 0x0a || body[i + 1] !== 0x10) continue;
    if (traceIds.has(body.toString('hex', i + 2, i + 18))) offsets.push(i + 2);
  }
  if (offsets.length !== spans) throw new Error(`found ${offsets.length} trace ids for ${spans} spans`);
  return offsets;
}

/** Reads a protobuf varint at `at`; returns the value and the offset after it. */
function varint(bytes: Buffer, at: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = at; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if (byte < 0x80) return [value, i + 1];
  }
  throw new Error('truncated varint');
}

/**
 * `partial_success.rejected_spans` of a protobuf ExportTraceServiceResponse (0 when absent), and
 * its `error_message`.
 */
export function rejectedSpans(answer: Buffer): { rejected: number; message: string } {
  let rejected = 0;
  let message = '';
  for (let at = 0; at < answer.length; ) {
    const [key, afterKey] = varint(answer, at);
    if (key !== 0x0a) throw new Error(`unexpected field ${key >> 3} in the export response`);
    const [length, start] = varint(answer, afterKey);
    for (let i = start; i < start + length; ) {
      const [inner, afterInner] = varint(answer, i);
      if (inner === 0x08) [rejected, i] = varint(answer, afterInner);
      else if (inner === 0x12) {
        const [len, from] = varint(answer, afterInner);
        message = answer.toString('utf8', from, from + len);
        i = from + len;
      } else throw new Error(`unexpected field ${inner >> 3} in partial_success`);
    }
    at = start + length;
  }
  return { rejected, message };
}
