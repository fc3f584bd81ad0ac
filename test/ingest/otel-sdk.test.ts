import { type Context, context, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '../../src/service.ts';
import { tempDir } from '../helpers.ts';
import { ingestConfig, sample, startTestService } from './fixture.ts';

/**
 * The real OpenTelemetry JS SDK, exporting over OTLP/HTTP to a running Ecotone: protobuf with only
 * the base URL set (OTEL_EXPORTER_OTLP_ENDPOINT), gzip, and JSON. The resulting counters and
 * histograms are read back from /metrics.
 */
/** A response body as JSON, typed loosely for assertions. */
async function json(
  res: Response,
): Promise<{ detail: string; message: string; errors?: unknown[] } & Record<string, unknown>> {
  return (await res.json()) as never;
}

describe('OTLP from the OpenTelemetry SDK', () => {
  let service: RunningService;
  let remove: () => Promise<void>;
  const providers: TracerProvider[] = [];

  function tracers(exporter: () => ProtoExporter | JsonExporter) {
    const tracer = (service: string): Tracer => {
      const provider = new TracerProvider({
        resource: resourceFromAttributes({ 'service.name': service }),
        spanProcessors: [new SimpleSpanProcessor({ exporter: exporter() })],
      });
      providers.push(provider);
      return provider.getTracer('test');
    };
    return { web: tracer('storefront-web'), checkout: tracer('checkout'), search: tracer('search') };
  }

  /** One call: a client span in `caller` and, when `callee` is given, its server span as the child. */
  function call(
    caller: Tracer,
    callee: Tracer | undefined,
    attributes: Record<string, string | number>,
    options: { parent?: Context; status?: number; serverRoute?: string } = {},
  ): Context {
    const parent = options.parent ?? context.active();
    const client = caller.startSpan('call', { kind: SpanKind.CLIENT, attributes }, parent);
    const ctx = trace.setSpan(parent, client);
    if (callee) {
      const server = callee.startSpan(
        'handle',
        {
          kind: SpanKind.SERVER,
          attributes: options.serverRoute ? { 'http.route': options.serverRoute } : {},
        },
        ctx,
      );
      server.end();
    }
    if (options.status) {
      client.setAttribute('http.response.status_code', options.status);
      if (options.status >= 500) client.setStatus({ code: SpanStatusCode.ERROR });
    }
    client.end();
    return ctx;
  }

  const flush = () => Promise.all(providers.map((p) => p.forceFlush()));
  const metrics = async () => (await fetch(`${service.url}/metrics`)).text();

  beforeAll(async () => {
    const tmp = await tempDir();
    remove = tmp.remove;
    service = await startTestService(ingestConfig(tmp.dir, 'settings: { traces: { pairWait: 200ms } }'));
  });
  afterAll(async () => {
    await Promise.all(providers.map((p) => p.shutdown()));
    await service.stop();
    await remove();
  });

  it('counts calls per integration once, with outcomes and durations, from protobuf sent to the base URL', async () => {
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = service.url;
    const t = tracers(() => new ProtoExporter());
    delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    // Both sides of web-checkout match (client rule and server rule): each call counts once.
    for (let i = 0; i < 3; i++)
      call(t.web, t.checkout, { 'server.address': 'checkout.internal' }, { serverRoute: '/api/checkout' });
    call(t.checkout, undefined, { 'url.full': 'https://api.psp.example/v2/payments' }, { status: 201 });
    call(t.checkout, undefined, { 'url.full': 'https://api.psp.example/v2/payments' }, { status: 502 });
    call(t.checkout, undefined, { 'url.full': 'https://api.psp.example/v2/payments' }, { status: 409 });
    await flush();

    const body = await metrics();
    const web = { integration: 'web-checkout', tier: 'critical' };
    expect(sample(body, 'ecotone_integration_requests_total', { ...web, outcome: 'success' })).toBe(3);
    expect(sample(body, 'ecotone_integration_request_duration_seconds_count', web)).toBe(3);
    const pay = { integration: 'checkout-payment', participant: 'psp' };
    expect(sample(body, 'ecotone_integration_requests_total', { ...pay, outcome: 'success' })).toBe(1);
    expect(sample(body, 'ecotone_integration_requests_total', { ...pay, outcome: 'server_error' })).toBe(1);
    expect(sample(body, 'ecotone_integration_requests_total', { ...pay, outcome: 'client_error' })).toBe(1);
    expect(sample(body, 'ecotone_integration_request_duration_seconds_bucket', { ...pay, le: '+Inf' })).toBe(
      3,
    );
    expect(sample(body, 'ecotone_ingest_spans_total', { outcome: 'accepted' })).toBe(9);

    // The per-minute rows are the durable copy.
    const minutes = await service.store.listRequestMinutes({ from: 0, to: Date.now() + 60_000 });
    const total = (id: string) =>
      minutes
        .filter((m) => m.integrationId === id)
        .reduce((n, m) => n + Object.values(m.requests).reduce((a, b) => a + b, 0), 0);
    expect(total('web-checkout')).toBe(3);
    expect(total('checkout-payment')).toBe(3);
  });

  it('accepts gzip and JSON exports, and follows a workflow across both integrations', async () => {
    const gzip = tracers(
      () => new ProtoExporter({ url: `${service.url}/v1/traces`, compression: 'gzip' as never }),
    );
    const json = tracers(() => new JsonExporter({ url: `${service.url}/v1/traces` }));
    const before = await metrics();
    const started = sample(before, 'ecotone_workflow_runs_started_total', { workflow: 'buy' }) ?? 0;

    // A completed run: both steps in one trace, over gzip protobuf.
    const root = gzip.web.startSpan('checkout page', { kind: SpanKind.INTERNAL });
    const inTrace = trace.setSpan(context.active(), root);
    const step1 = call(
      gzip.web,
      gzip.checkout,
      { 'server.address': 'checkout.internal' },
      { parent: inTrace },
    );
    call(
      gzip.checkout,
      undefined,
      { 'url.full': 'https://api.psp.example/v2/pay' },
      { parent: step1, status: 200 },
    );
    root.end();
    // A failed run, over JSON: the payment step errors.
    const root2 = json.web.startSpan('checkout page', { kind: SpanKind.INTERNAL });
    const inTrace2 = trace.setSpan(context.active(), root2);
    const s1 = call(json.web, json.checkout, { 'server.address': 'checkout.internal' }, { parent: inTrace2 });
    call(
      json.checkout,
      undefined,
      { 'url.full': 'https://api.psp.example/v2/pay' },
      { parent: s1, status: 503 },
    );
    root2.end();
    await flush();

    const body = await metrics();
    expect(sample(body, 'ecotone_workflow_runs_started_total', { workflow: 'buy' })).toBe(started + 2);
    expect(sample(body, 'ecotone_workflow_runs_total', { workflow: 'buy', outcome: 'completed' })).toBe(1);
    expect(sample(body, 'ecotone_workflow_runs_total', { workflow: 'buy', outcome: 'failed' })).toBe(1);
    expect(sample(body, 'ecotone_workflow_duration_seconds_count', { workflow: 'buy' })).toBe(1);
  });

  it('discovers an undeclared edge, and counts its calls once it is adopted', async () => {
    const t = tracers(() => new ProtoExporter({ url: `${service.url}/v1/traces` }));
    for (let i = 0; i < 2; i++)
      call(t.web, t.search, { 'server.address': 'search.internal' }, { status: 200 });
    await flush();

    const edges = (await (await fetch(`${service.url}/api/v1/discovered-edges`)).json()) as {
      items: {
        id: string;
        caller: { service: string; system: string };
        callee: { service: string; system: string };
        calls: number;
      }[];
    };
    expect(edges.items).toHaveLength(1);
    const [edge] = edges.items;
    expect(edge).toMatchObject({
      caller: { service: 'storefront-web', system: 'storefront' },
      callee: { service: 'search', system: 'search' },
      calls: 2,
    });
    expect(sample(await metrics(), 'ecotone_discovered_edges', {})).toBe(1);

    const adopted = await fetch(`${service.url}/api/v1/discovered-edges/${edge?.id}/adopt`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'web-search', tier: 'low' }),
    });
    expect(adopted.status).toBe(201);
    expect(await json(adopted)).toMatchObject({ integration: 'web-search', edge: { status: 'adopted' } });
    const integration = await (await fetch(`${service.url}/api/v1/integrations/web-search`)).json();
    expect(integration).toMatchObject({ from: 'storefront', to: 'search', tier: 'low', origin: 'api' });

    call(t.web, t.search, { 'server.address': 'search.internal' }, { status: 200 });
    await flush();
    const body = await metrics();
    expect(
      sample(body, 'ecotone_integration_requests_total', { integration: 'web-search', outcome: 'success' }),
    ).toBe(1);
    expect(sample(body, 'ecotone_discovered_edges', {})).toBe(0);
  });
});
