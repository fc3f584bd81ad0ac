import { gunzipSync } from 'node:zlib';
import { OTLPTraceExporter as OTLPJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseEventBatch } from '../../../collector/events/parse.ts';
import { decodeTracesJson } from '../../../collector/traces/otlp-json.ts';
import { decodeTracesProtobuf } from '../../../collector/traces/otlp-protobuf.ts';
import { createTraceProcessor, type EdgeDelta } from '../../../collector/traces/processor.ts';
import { type DecodedResourceSpans, type DecodedSpan, SpanKind } from '../../../collector/traces/types.ts';
import type { WorkflowDelta } from '../../../collector/traces/workflows.ts';
import type { Config } from '../../config/index.ts';
import { loadExample, type Recorded, startRecorder, traceCatalogOf } from './testing.ts';
import { startTraffic, type Traffic } from './traffic.ts';

const LIMITS = { maxSpans: 100_000, maxAttributes: 256, maxAttributeLength: 4_096 };
const FAST = { tickMs: 20, eventFlushMs: 100, spanFlushMs: 100, requestTimeoutMs: 2_000 };

let config: Config;
const running: { traffic?: Traffic; close?: () => Promise<void> }[] = [];

beforeAll(async () => {
  config = await loadExample();
});

afterEach(async () => {
  for (const { traffic, close } of running.splice(0)) {
    await traffic?.stop();
    await close?.();
  }
});

const tracesIn = (requests: Recorded[]) => requests.filter((r) => r.path === '/v1/traces');
const eventsIn = (requests: Recorded[]) => requests.filter((r) => r.path === '/v1/events');

function decodeProtobuf(request: Recorded) {
  const bytes = request.headers['content-encoding'] === 'gzip' ? gunzipSync(request.body) : request.body;
  return decodeTracesProtobuf(new Uint8Array(bytes), LIMITS);
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs the traffic at a high rate until `spans` spans have arrived, then stops it (which flushes). */
async function run(spans: number, options: { seed: number }) {
  const server = await startRecorder();
  const traffic = await startTraffic({ baseUrl: server.url, rate: 400, ...FAST, ...options });
  running.push({ close: server.close });
  let received = 0;
  await until(() => {
    received = tracesIn(server.requests).reduce((sum, r) => sum + decodeProtobuf(r).spanCount, 0);
    return received >= spans && eventsIn(server.requests).length >= 2;
  });
  await traffic.stop();
  return server.requests;
}

describe('startTraffic against a loopback server', () => {
  let requests: Recorded[];
  let resources: DecodedResourceSpans[];

  beforeAll(async () => {
    requests = await run(3_000, { seed: 42 });
    resources = tracesIn(requests).flatMap((r) => decodeProtobuf(r).resourceSpans);
  }, 30_000);

  it('asks /readyz first, then exports OTLP protobuf with gzip to /v1/traces, one service per request', () => {
    expect(requests[0]?.path).toBe('/readyz');
    const traces = tracesIn(requests);
    expect(traces.length).toBeGreaterThan(5);
    for (const request of traces) {
      expect(request.method).toBe('POST');
      expect(request.headers['content-type']).toBe('application/x-protobuf');
      expect(request.headers['content-encoding']).toBe('gzip');
      expect(new Set(decodeProtobuf(request).resourceSpans.map((r) => r.serviceName)).size).toBe(1);
    }
    expect(new Set(resources.map((r) => r.serviceName))).toEqual(
      new Set(['storefront', 'checkout', 'order-service', 'hub-runtime', 'pim', 'recommendations']),
    );
    expect(resources[0]?.resource).toMatchObject({
      'service.namespace': 'northwind',
      'deployment.environment.name': 'demo',
    });
  });

  it('joins calls across services: the server span is the child of the client span in the caller', () => {
    const byId = new Map<string, { span: DecodedSpan; service: string | undefined }>();
    for (const r of resources)
      for (const span of r.spans) byId.set(span.spanId, { span, service: r.serviceName });
    const checkoutServers = [...byId.values()].filter(
      ({ span, service }) => service === 'checkout' && span.kind === SpanKind.SERVER,
    );
    expect(checkoutServers.length).toBeGreaterThan(0);
    for (const { span } of checkoutServers) {
      const parent = byId.get(span.parentSpanId);
      expect(parent?.service).toBe('storefront');
      expect(parent?.span.kind).toBe(SpanKind.CLIENT);
      expect(parent?.span.traceId).toBe(span.traceId);
      expect(parent?.span.attributes).toMatchObject({ 'server.address': 'checkout.northwind.internal' });
    }
  });

  it('is seen by the trace pipeline as the declared integrations, one undeclared edge and order-to-cash runs that complete and fail', () => {
    const processor = createTraceProcessor({
      catalog: () => traceCatalogOf(config),
      durationBucketsSeconds: [0.1, 0.5, 1, 5, 10],
      pairing: { maxPending: 100_000, waitMs: 600_000 },
      workflows: { maxActiveRuns: 100_000 },
    });
    const edges: EdgeDelta[] = [];
    const workflows: WorkflowDelta[] = [];
    const integrations = new Map<string, number>();
    for (const request of tracesIn(requests)) {
      const result = processor.process(decodeProtobuf(request));
      edges.push(...result.edges);
      workflows.push(...result.workflows);
      for (const red of result.red)
        integrations.set(red.integrationId, (integrations.get(red.integrationId) ?? 0) + 1);
    }
    expect(new Set(edges.map((e) => `${e.caller} -> ${e.callee}`))).toEqual(
      new Set(['storefront -> recommendations']),
    );
    expect(edges[0]).toMatchObject({ callerSystem: 'storefront' });
    expect(edges[0]?.calleeSystem).toBeUndefined();

    const sum = (key: 'started' | 'completed' | 'failed') =>
      workflows.filter((w) => w.workflowId === 'order-to-cash').reduce((n, w) => n + w[key], 0);
    expect(sum('started')).toBeGreaterThan(20);
    expect(sum('completed')).toBeGreaterThan(0);
    expect(sum('failed')).toBeGreaterThan(0);
    expect(sum('completed') + sum('failed')).toBeLessThanOrEqual(sum('started'));

    for (const id of [
      'storefront-checkout',
      'checkout-payment',
      'order-events',
      'carrier-tracking-events',
      'hub-order-subscription',
    ])
      expect(integrations.has(id), id).toBe(true);
  });

  it('sends events in batches the ingest parser accepts, with ids unique unless a batch is sent again whole', () => {
    const bodies = eventsIn(requests).map((r) => r.body.toString());
    expect(bodies.length).toBeGreaterThanOrEqual(2);
    const seen = new Map<string, string>();
    for (const body of bodies) {
      const events = parseEventBatch(JSON.parse(body), 'json', {
        maxBatch: 10_000,
        now: Date.now(),
        maxFutureSkewMs: 300_000,
      });
      for (const event of events) {
        const earlier = seen.get(event.id);
        if (earlier !== undefined) expect(body).toBe(earlier);
        seen.set(event.id, body);
      }
    }
    expect(eventsIn(requests)[0]?.headers['content-type']).toBe('application/json');
  });
});

describe('startTraffic', () => {
  it('sends nothing before /readyz answers 200', async () => {
    let readyAfter = 3;
    const server = await startRecorder((request, res) => {
      if (request.path === '/readyz') res.writeHead(--readyAfter > 0 ? 503 : 200).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    const traffic = await startTraffic({ baseUrl: server.url, rate: 100, ...FAST, seed: 1 });
    running.push({ traffic, close: server.close });
    await until(() => tracesIn(server.requests).length > 0 && eventsIn(server.requests).length > 0);
    const paths = server.requests.map((r) => r.path);
    const firstIngest = paths.findIndex((p) => p.startsWith('/v1/'));
    expect(paths.slice(0, firstIngest)).toEqual(['/readyz', '/readyz', '/readyz']);
  });

  it('sends the token with traces and events', async () => {
    const server = await startRecorder();
    const traffic = await startTraffic({
      baseUrl: `${server.url}/`,
      rate: 100,
      ...FAST,
      seed: 2,
      token: 'ing_123',
    });
    running.push({ traffic, close: server.close });
    await until(() => tracesIn(server.requests).length > 0 && eventsIn(server.requests).length > 0);
    for (const request of [...tracesIn(server.requests), ...eventsIn(server.requests)])
      expect(request.headers.authorization).toBe('Bearer ing_123');
  });

  it('exports through another exporter when given one, e.g. OTLP JSON', async () => {
    const server = await startRecorder();
    const traffic = await startTraffic({
      baseUrl: server.url,
      rate: 100,
      ...FAST,
      seed: 3,
      exporterFor: () => new OTLPJsonExporter({ url: `${server.url}/v1/traces` }),
    });
    running.push({ close: server.close });
    await until(() => tracesIn(server.requests).length > 3);
    await traffic.stop();
    const request = tracesIn(server.requests)[0] as Recorded;
    expect(request.headers['content-type']).toBe('application/json');
    const decoded = decodeTracesJson(JSON.parse(request.body.toString()), LIMITS);
    expect(decoded.spanCount).toBeGreaterThan(0);
  });

  it('stops within the request timeout when the service is gone, and twice is fine', async () => {
    const server = await startRecorder();
    const traffic = await startTraffic({
      baseUrl: server.url,
      rate: 100,
      ...FAST,
      requestTimeoutMs: 300,
      seed: 4,
    });
    await until(() => tracesIn(server.requests).length > 0);
    await server.close();
    const started = Date.now();
    await Promise.all([traffic.stop(), traffic.stop()]);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('refuses a bad rate or base URL, naming the option', async () => {
    await expect(startTraffic({ baseUrl: 'http://127.0.0.1:1', rate: 0 })).rejects.toThrow(
      'demo traffic: rate must be a number from 0.01 to 1000, found 0',
    );
    await expect(startTraffic({ baseUrl: 'ftp://example' })).rejects.toThrow(
      'demo traffic: baseUrl must be an http(s) URL',
    );
  });
});
