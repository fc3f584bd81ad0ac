import { gzipSync } from 'node:zlib';
import { SpanKind } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, tempDir } from '../helpers.ts';
import { ingestConfig } from './fixture.ts';

/** Valid OTLP bodies of a few spans that match web-checkout, in both encodings. */
async function validTraceBodies(): Promise<{ protobuf: Uint8Array; json: string }> {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'storefront-web' }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer('test');
  for (let i = 0; i < 3; i++)
    tracer
      .startSpan('call', { kind: SpanKind.CLIENT, attributes: { 'server.address': 'checkout.internal' } })
      .end();
  await provider.forceFlush();
  const spans = exporter.getFinishedSpans();
  const protobuf = ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array;
  const json = new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans) as Uint8Array);
  await provider.shutdown();
  return { protobuf, json };
}

/** A seeded PRNG (mulberry32), so a failing fuzz case can be replayed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A response body as JSON, typed loosely for assertions. */
async function json(
  res: Response,
): Promise<{ detail: string; message: string; errors?: unknown[] } & Record<string, unknown>> {
  return (await res.json()) as never;
}

describe('bad input on the ingest endpoints', () => {
  let t: TestApp;
  let remove: () => Promise<void>;
  let dbPath: string;
  let bodies: { protobuf: Uint8Array; json: string };

  const count = (table: string) => {
    const db = new Database(dbPath, { readonly: true });
    try {
      return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    } finally {
      db.close();
    }
  };
  const post = (
    path: string,
    contentType: string,
    body: string | Uint8Array,
    headers: Record<string, string> = {},
  ) => t.app.request(path, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body });
  const events = (list: unknown[]) =>
    post('/v1/events', 'application/json', JSON.stringify({ events: list }));
  const sale = (id: string, extra: Record<string, unknown> = {}) => ({
    id,
    type: 'transaction',
    participant: 'psp',
    integration: 'checkout-payment',
    data: { amount: 12.5, currency: 'EUR', customer: 'c-1' },
    ...extra,
  });

  beforeAll(async () => {
    const tmp = await tempDir();
    remove = tmp.remove;
    const config = ingestConfig(
      tmp.dir,
      'settings: { ingest: { maxBodySize: 2MiB, maxDecodedBodySize: 4MiB, maxEventsPerBatch: 50, maxAttributes: 128 } }',
    );
    dbPath = config.settings.storage.path;
    t = await startTestApp(config);
    bodies = await validTraceBodies();
  });
  afterAll(async () => {
    await t.close();
    await remove();
  });

  describe('POST /v1/traces', () => {
    it('accepts the valid bodies in both encodings', async () => {
      const proto = await post('/v1/traces', 'application/x-protobuf', bodies.protobuf);
      expect(proto.status).toBe(200);
      expect(proto.headers.get('content-type')).toBe('application/x-protobuf');
      expect(new Uint8Array(await proto.arrayBuffer())).toHaveLength(0);
      const fromJson = await post('/v1/traces', 'application/json', bodies.json);
      expect(fromJson.status).toBe(200);
      expect(await json(fromJson)).toEqual({});
      expect(count('request_minutes')).toBeGreaterThan(0);
    });

    it.each([
      [
        'truncated protobuf',
        () =>
          post(
            '/v1/traces',
            'application/x-protobuf',
            bodies.protobuf.subarray(0, bodies.protobuf.length - 7),
          ),
        400,
        /truncated|overrun|past the end/i,
      ],
      [
        'invalid JSON',
        () => post('/v1/traces', 'application/json', '{"resourceSpans": ['),
        400,
        /not valid JSON/,
      ],
      ['a wrong content type', () => post('/v1/traces', 'text/plain', 'hello'), 415, /expected Content-Type/],
      [
        'a gzip bomb past the decoded bound',
        () =>
          post('/v1/traces', 'application/x-protobuf', gzipSync(Buffer.alloc(20 * 1024 * 1024)), {
            'content-encoding': 'gzip',
          }),
        413,
        /./,
      ],
      [
        'a body past the size bound',
        () => post('/v1/traces', 'application/x-protobuf', new Uint8Array(3 * 1024 * 1024)),
        413,
        /./,
      ],
      [
        'a trace id of the wrong length',
        () =>
          post(
            '/v1/traces',
            'application/json',
            bodies.json.replace(/"traceId":"[0-9a-f]{2}/, '"traceId":"'),
          ),
        400,
        /traceId/,
      ],
      [
        '10,000 attributes on one span',
        () => {
          const body = JSON.parse(bodies.json);
          body.resourceSpans[0].scopeSpans[0].spans[0].attributes = Array.from(
            { length: 10_000 },
            (_, i) => ({
              key: `k${i}`,
              value: { stringValue: 'v' },
            }),
          );
          return post('/v1/traces', 'application/json', JSON.stringify(body));
        },
        400,
        /attributes/,
      ],
    ])('answers %s with its status and a message, writing nothing', async (_name, send, status, message) => {
      const before = count('request_minutes');
      const sums = JSON.stringify(
        (await t.store.listRequestMinutes({ from: 0, to: Date.now() + 120_000 })).map((m) => m.requests),
      );
      const res = await send();
      expect(res.status).toBe(status);
      const text = res.headers.get('content-type')?.includes('json')
        ? (await json(res)).message
        : new TextDecoder().decode(await res.arrayBuffer());
      expect(text).toMatch(message);
      expect(count('request_minutes')).toBe(before);
      expect(
        JSON.stringify(
          (await t.store.listRequestMinutes({ from: 0, to: Date.now() + 120_000 })).map((m) => m.requests),
        ),
      ).toBe(sums);
    });

    it('drops a span that ends before it starts and reports it in partial_success', async () => {
      const body = JSON.parse(bodies.json);
      const span = body.resourceSpans[0].scopeSpans[0].spans[0];
      span.endTimeUnixNano = String(BigInt(span.startTimeUnixNano) - 1000n);
      const res = await post('/v1/traces', 'application/json', JSON.stringify(body));
      expect(res.status).toBe(200);
      expect(await json(res)).toEqual({
        partialSuccess: {
          rejectedSpans: '1',
          errorMessage: expect.stringMatching(/end time before start time/),
        },
      });
    });
  });

  describe('POST /v1/events', () => {
    it.each([
      ['invalid JSON', () => post('/v1/events', 'application/json', '{"events": [}'), 400, /not valid JSON/],
      ['a wrong content type', () => post('/v1/events', 'text/csv', 'a,b'), 415, /expected Content-Type/],
      ['a missing id', () => events([{ type: 'docs.view', data: { page: '/' } }]), 400, /id/],
      ['an unknown event type', () => events([{ id: 'u1', type: 'order.shipped', data: {} }]), 400, /type/],
      [
        'a wrongly typed amount',
        () => events([sale('w1', { data: { amount: '12', currency: 'EUR' } })]),
        400,
        /amount/,
      ],
      ['a duplicate id inside the batch', () => events([sale('d1'), sale('d1')]), 400, /d1|duplicate/i],
      ['an unknown participant', () => events([sale('p1', { participant: 'nobody' })]), 400, /catalog/],
      ['an unknown integration', () => events([sale('i1', { integration: 'nothing' })]), 400, /catalog/],
      [
        'a batch over the bound',
        () => events(Array.from({ length: 51 }, (_, i) => sale(`b${i}`))),
        400,
        /50/,
      ],
      [
        'a gzip bomb',
        () =>
          post('/v1/events', 'application/json', gzipSync(Buffer.alloc(20 * 1024 * 1024, 32)), {
            'content-encoding': 'gzip',
          }),
        413,
        /./,
      ],
    ])(
      'answers %s with %i naming the problem, writing nothing of the batch',
      async (_name, send, status, message) => {
        const before = count('events');
        const res = await send();
        expect(res.status).toBe(status);
        const body = await json(res);
        expect(res.headers.get('content-type')).toBe('application/problem+json');
        expect(`${body.detail} ${JSON.stringify(body.errors ?? [])}`).toMatch(message);
        expect(count('events')).toBe(before);
      },
    );

    it('counts batches naming entries not in the catalog as unknown_reference, other bad batches as malformed', async () => {
      const before = new Map(t.ingest.totals.rejections);
      const grew = (key: string) =>
        (t.ingest.totals.rejections.get(key as never) ?? 0) - (before.get(key as never) ?? 0);
      await events([sale('ref-1', { participant: 'nobody' })]);
      await events([{ id: 'bad-1', type: 'order.shipped', data: {} }]);
      expect([grew('events:unknown_reference'), grew('events:malformed')]).toEqual([1, 1]);
    });

    it('stores a retried batch once and refuses an id reused for other content', async () => {
      const batch = [sale('r1'), sale('r2')];
      expect(await (await events(batch)).json()).toEqual({ received: 2, inserted: 2, duplicates: 0 });
      expect(await (await events(batch)).json()).toEqual({ received: 2, inserted: 0, duplicates: 2 });
      const before = count('events');
      const reused = await events([sale('r3'), sale('r2', { data: { amount: 99, currency: 'EUR' } })]);
      expect(reused.status).toBe(409);
      expect((await json(reused)).errors).toEqual([
        { index: 1, field: 'id', message: 'event "r2" was already received with different content' },
      ]);
      expect(count('events')).toBe(before);
    });
  });

  it('survives random mutations of valid bodies with no 5xx', async () => {
    const next = random(20261125);
    const validEvents = new TextEncoder().encode(JSON.stringify({ events: [sale('f1'), sale('f2')] }));
    const mutate = (bytes: Uint8Array): Uint8Array => {
      const out = Uint8Array.from(bytes);
      const edits = 1 + Math.floor(next() * 4);
      for (let i = 0; i < edits; i++) {
        const at = Math.floor(next() * out.length);
        const kind = next();
        if (kind < 0.5) out[at] = Math.floor(next() * 256);
        else if (kind < 0.75) return out.subarray(0, at);
        else out[at] = (out[at] ?? 0) ^ (1 << Math.floor(next() * 8));
      }
      return out;
    };
    const statuses = new Map<number, number>();
    for (let i = 0; i < 300; i++) {
      const [path, type, body] =
        i % 3 === 0
          ? ['/v1/traces', 'application/x-protobuf', bodies.protobuf]
          : i % 3 === 1
            ? ['/v1/traces', 'application/json', new TextEncoder().encode(bodies.json)]
            : ['/v1/events', 'application/json', validEvents];
      const res = await post(path, type, mutate(body));
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      expect(res.status, `mutation ${i} of ${path} (${type})`).toBeLessThan(500);
    }
    expect([...statuses.keys()].every((s) => s === 200 || s === 400 || s === 409)).toBe(true);
    expect((await t.app.request('/healthz')).status).toBe(200);
  });
});
