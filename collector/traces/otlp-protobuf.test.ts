import { type HrTime, ROOT_CONTEXT, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  type IdGenerator,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanLimits,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { decodeTracesJson } from './otlp-json.ts';
import { decodeTracesProtobuf } from './otlp-protobuf.ts';
import { TraceDecodeError, type TraceDecodeLimits } from './types.ts';

const LIMITS: TraceDecodeLimits = { maxSpans: 100, maxAttributes: 128, maxAttributeLength: 64 };

interface SdkOptions {
  idGenerator?: IdGenerator;
  spanLimits?: SpanLimits;
  serviceName?: string;
}

/** Spans made by the real SDK: `build` starts and ends them with the tracer. */
async function sdkSpans(build: (tracer: Tracer) => void, options: SdkOptions = {}): Promise<ReadableSpan[]> {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      'service.name': options.serviceName ?? 'checkout',
      'host.name': 'h1',
    }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
    ...(options.idGenerator ? { idGenerator: options.idGenerator } : {}),
    ...(options.spanLimits ? { spanLimits: options.spanLimits } : {}),
  });
  build(provider.getTracer('test', '1.0.0'));
  await provider.forceFlush();
  return exporter.getFinishedSpans();
}

function protobufOf(spans: ReadableSpan[]): Uint8Array {
  const body = ProtobufTraceSerializer.serializeRequest(spans);
  if (!body) throw new Error('no protobuf body');
  return body;
}

function jsonOf(spans: ReadableSpan[]): unknown {
  const body = JsonTraceSerializer.serializeRequest(spans);
  if (!body) throw new Error('no JSON body');
  return JSON.parse(new TextDecoder().decode(body));
}

/** The span as the serializers see it, with some of its fields replaced. */
function altered(
  span: ReadableSpan,
  fields: Partial<Record<'name' | 'startTime' | 'endTime', unknown>>,
): ReadableSpan {
  return Object.create(span, Object.fromEntries(Object.entries(fields).map(([k, value]) => [k, { value }])));
}

/** Unix milliseconds of an SDK time, computed independently of the decoders. */
function millis([seconds, nanos]: HrTime): number {
  const n = Math.trunc(nanos);
  return seconds * 1000 + Math.floor(n / 1e6) + (n % 1e6) / 1e6;
}

/** A root SERVER span with a CLIENT child carrying an attribute of every value type. */
async function sampleSpans(): Promise<ReadableSpan[]> {
  return sdkSpans((tracer) => {
    const root = tracer.startSpan('GET /orders', { kind: SpanKind.SERVER });
    const child = tracer.startSpan(
      'POST payments',
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'http.request.method': 'POST',
          'http.response.status_code': 201,
          'retry.delta': -3,
          'big.int': 2 ** 53 + 2,
          'order.total': 99.95,
          'order.express': false,
          'order.tags': ['gift', 'express'],
          'order.sizes': [1, 2.5],
          'order.meta': { region: 'eu', weight: 3, nested: [true, null] },
          'order.digest': new Uint8Array([0, 1, 2, 250, 255]),
          'long.text': 'x'.repeat(100),
          'text.unicode': 'zürich ✓ 東京',
        },
      },
      trace.setSpan(ROOT_CONTEXT, root),
    );
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'declined' });
    child.end();
    const internal = tracer.startSpan(
      'validate',
      { kind: SpanKind.INTERNAL },
      trace.setSpan(ROOT_CONTEXT, root),
    );
    internal.setStatus({ code: SpanStatusCode.OK });
    internal.end();
    tracer.startSpan('consume', { kind: SpanKind.CONSUMER }).end();
    tracer.startSpan('produce', { kind: SpanKind.PRODUCER }).end();
    root.end();
  });
}

describe('decodeTracesProtobuf on SDK-encoded requests', () => {
  it('reads ids, times, kinds, status, resource and every attribute type as the SDK set them', async () => {
    const spans = await sampleSpans();
    const decoded = decodeTracesProtobuf(protobufOf(spans), LIMITS);

    expect(decoded).toMatchObject({ spanCount: 5, rejectedSpans: 0, rejectionMessage: undefined });
    expect(decoded.resourceSpans).toHaveLength(1);
    const [resourceSpans] = decoded.resourceSpans;
    expect(resourceSpans!.serviceName).toBe('checkout');
    expect(resourceSpans!.resource).toMatchObject({ 'service.name': 'checkout', 'host.name': 'h1' });
    expect(resourceSpans!.spans).toEqual(
      spans.map((span) => ({
        traceId: span.spanContext().traceId,
        spanId: span.spanContext().spanId,
        parentSpanId: span.parentSpanContext?.spanId ?? '',
        name: span.name,
        kind: span.kind + 1,
        startTimeMs: millis(span.startTime),
        endTimeMs: millis(span.endTime),
        statusCode: span.status.code,
        attributes: expect.any(Object),
      })),
    );
    const child = resourceSpans!.spans.find((s) => s.name === 'POST payments')!;
    expect(child.attributes).toEqual({
      'http.request.method': 'POST',
      'http.response.status_code': 201,
      'retry.delta': -3,
      'big.int': 2 ** 53 + 2,
      'order.total': 99.95,
      'order.express': false,
      'order.tags': '["gift","express"]',
      'order.sizes': '[1,2.5]',
      'order.meta': '{"region":"eu","weight":3,"nested":[true,null]}',
      'order.digest': Buffer.from([0, 1, 2, 250, 255]).toString('base64'),
      'long.text': 'x'.repeat(64),
      'text.unicode': 'zürich ✓ 東京',
    });
    expect(child.parentSpanId).toBe(resourceSpans!.spans.find((s) => s.name === 'GET /orders')!.spanId);
  });

  it('gives the same DecodedTraces as the JSON decoder for the same spans', async () => {
    const spans = await sampleSpans();
    const fromProtobuf = decodeTracesProtobuf(protobufOf(spans), LIMITS);
    expect(fromProtobuf.spanCount).toBe(5);
    expect(decodeTracesJson(jsonOf(spans), LIMITS)).toEqual(fromProtobuf);
  });

  it('drops spans with no start time, an end before the start or no name, keeping the first reason', async () => {
    const [a, b, c, d, e] = await sdkSpans((tracer) => {
      for (const name of ['a', 'b', 'c', 'd', 'e']) tracer.startSpan(name).end();
    });
    const spans = [
      a!,
      altered(b!, { startTime: [0, 0] }),
      altered(c!, { endTime: [c!.startTime[0] - 1, 0] }),
      altered(d!, { name: '' }),
      e!,
    ];
    const decoded = decodeTracesProtobuf(protobufOf(spans), LIMITS);
    expect(decoded).toMatchObject({
      spanCount: 2,
      rejectedSpans: 3,
      rejectionMessage: 'resourceSpans[0].scopeSpans[0].spans[1]: start time is 0',
    });
    expect(decoded.resourceSpans[0]!.spans.map((s) => s.name)).toEqual(['a', 'e']);
    expect(decodeTracesJson(jsonOf(spans), LIMITS)).toEqual(decoded);

    const laterOnly = decodeTracesProtobuf(protobufOf(spans.slice(2)), LIMITS);
    expect(laterOnly.rejectionMessage).toBe(
      'resourceSpans[0].scopeSpans[0].spans[0]: end time before start time',
    );
    expect(decodeTracesProtobuf(protobufOf(spans.slice(3)), LIMITS).rejectionMessage).toBe(
      'resourceSpans[0].scopeSpans[0].spans[0]: empty name',
    );
  });

  it('reads an empty request as valid, with no spans', () => {
    expect(decodeTracesProtobuf(new Uint8Array(0), LIMITS)).toEqual({
      resourceSpans: [],
      spanCount: 0,
      rejectedSpans: 0,
      rejectionMessage: undefined,
    });
  });

  it('accepts exactly maxSpans spans and maxAttributes attributes', async () => {
    const spans = await sdkSpans(
      (tracer) => {
        const attributes = Object.fromEntries(Array.from({ length: 128 }, (_, i) => [`k${i}`, i]));
        for (let i = 0; i < 10; i++) tracer.startSpan(`s${i}`, { attributes }).end();
      },
      { spanLimits: { attributeCountLimit: 1000 } },
    );
    const decoded = decodeTracesProtobuf(protobufOf(spans), { ...LIMITS, maxSpans: 10 });
    expect(decoded.spanCount).toBe(10);
    expect(Object.keys(decoded.resourceSpans[0]!.spans[0]!.attributes)).toHaveLength(128);
  });
});

/** Hand-written protobuf, for what the SDK never sends. */
const wire = {
  varint(value: number | bigint): number[] {
    const out: number[] = [];
    let v = BigInt.asUintN(64, BigInt(value));
    do {
      const byte = Number(v & 0x7fn);
      v >>= 7n;
      out.push(v === 0n ? byte : byte | 0x80);
    } while (v !== 0n);
    return out;
  },
  tag(field: number, wireType: number): number[] {
    return wire.varint((field << 3) | wireType);
  },
  int(field: number, value: number | bigint): number[] {
    return [...wire.tag(field, 0), ...wire.varint(value)];
  },
  fixed64(field: number, value: bigint): number[] {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigUint64(0, value, true);
    return [...wire.tag(field, 1), ...bytes];
  },
  bytes(field: number, payload: ArrayLike<number>): number[] {
    return [...wire.tag(field, 2), ...wire.varint(payload.length), ...Array.from(payload)];
  },
  text(field: number, value: string): number[] {
    return wire.bytes(field, new TextEncoder().encode(value));
  },
};

const TRACE_ID = Array.from({ length: 16 }, (_, i) => i + 1);
const SPAN_ID = Array.from({ length: 8 }, (_, i) => i + 1);
const START = 1_700_000_000_123_456_789n;

/** A valid span's fields, then `extra` fields. */
function spanFields(...extra: number[][]): number[] {
  return [
    ...wire.bytes(1, TRACE_ID),
    ...wire.bytes(2, SPAN_ID),
    ...wire.text(5, 'op'),
    ...wire.fixed64(7, START),
    ...wire.fixed64(8, START + 1_000_000n),
    ...extra.flat(),
  ];
}

/** A request with one resource and one scope holding these spans. */
function request(...spans: number[][]): Uint8Array {
  const scope = spans.flatMap((span) => wire.bytes(2, span));
  return new Uint8Array(wire.bytes(1, wire.bytes(2, scope)));
}

function keyValue(key: string, value: number[]): number[] {
  return [...wire.text(1, key), ...wire.bytes(2, value)];
}

function attribute(key: string, value: number[]): number[] {
  return wire.bytes(9, keyValue(key, value));
}

function nestedArrays(depth: number): number[] {
  let value = wire.text(1, 'leaf');
  for (let i = 0; i < depth; i++) value = wire.bytes(5, wire.bytes(1, value));
  return value;
}

function decodeError(body: Uint8Array, limits: TraceDecodeLimits = LIMITS): string {
  try {
    decodeTracesProtobuf(body, limits);
  } catch (error) {
    expect(error).toBeInstanceOf(TraceDecodeError);
    return (error as Error).message;
  }
  throw new Error('decoded without an error');
}

describe('decodeTracesProtobuf on hand-written requests', () => {
  it('reads a minimal span, with nanosecond times as fractional milliseconds', () => {
    const decoded = decodeTracesProtobuf(request(spanFields()), LIMITS);
    expect(decoded.resourceSpans[0]!.spans).toEqual([
      {
        traceId: '0102030405060708090a0b0c0d0e0f10',
        spanId: '0102030405060708',
        parentSpanId: '',
        name: 'op',
        kind: 0,
        startTimeMs: 1_700_000_000_123 + 0.456789,
        endTimeMs: 1_700_000_000_124 + 0.456789,
        statusCode: 0,
        attributes: {},
      },
    ]);
    expect(decoded.resourceSpans[0]!.serviceName).toBeUndefined();
  });

  it('skips unknown fields of every wire type, and fields it does not need', () => {
    const span = spanFields(
      wire.int(20, 2n ** 63n),
      wire.fixed64(21, 7n),
      wire.text(22, 'later addition'),
      [...wire.tag(23, 5), 1, 2, 3, 4],
      wire.text(3, 'vendor=1'),
      wire.bytes(11, [...wire.fixed64(1, START), ...wire.text(2, 'event')]),
    );
    expect(decodeTracesProtobuf(request(span), LIMITS).spanCount).toBe(1);
  });

  it('reads bytes, int64 extremes, doubles, empty values and the key __proto__', () => {
    const span = spanFields(
      attribute('bytes', wire.bytes(7, [0xde, 0xad, 0xbe, 0xef])),
      attribute('min', wire.int(3, -(2n ** 63n))),
      attribute('max', wire.int(3, 2n ** 63n - 1n)),
      attribute('pi', [...wire.tag(4, 1), ...new Uint8Array(new Float64Array([Math.PI]).buffer)]),
      attribute('empty', []),
      attribute('kv', wire.bytes(6, wire.bytes(1, keyValue('a', wire.int(2, 1))))),
      attribute('__proto__', wire.text(1, 'kept')),
    );
    const attributes = decodeTracesProtobuf(request(span), LIMITS).resourceSpans[0]!.spans[0]!.attributes;
    expect(Object.keys(attributes)).toEqual(['bytes', 'min', 'max', 'pi', 'kv', '__proto__']);
    expect(attributes).toMatchObject({
      bytes: '3q2+7w==',
      min: -(2 ** 63),
      max: 2 ** 63,
      pi: Math.PI,
      kv: '{"a":true}',
    });
    expect(Object.getOwnPropertyDescriptor(attributes, '__proto__')?.value).toBe('kept');
  });

  it('tells apart strings that differ only in bytes the string cache does not hash', () => {
    const values = ['abcdefgh', 'aXcdefgh', 'abcdefgh', 'abcdefXh', 'aXcdefgh'];
    const span = spanFields(...values.map((v, i) => attribute(`k${i}`, wire.text(1, v))));
    const attributes = decodeTracesProtobuf(request(span), LIMITS).resourceSpans[0]!.spans[0]!.attributes;
    expect(Object.values(attributes)).toEqual(values);
  });

  it('reads an all-zero parent span id as a root span', () => {
    const span = spanFields(wire.bytes(4, new Array(8).fill(0)));
    expect(decodeTracesProtobuf(request(span), LIMITS).resourceSpans[0]!.spans[0]!.parentSpanId).toBe('');
  });

  it('merges a resource sent in two parts and a status sent twice, as protobuf merges messages', () => {
    const resource = (key: string, value: string) =>
      wire.bytes(1, wire.bytes(1, keyValue(key, wire.text(1, value))));
    const status = (fields: number[]) => wire.bytes(15, fields);
    const span = spanFields(status(wire.int(3, 2)), status(wire.text(2, 'message only')));
    const body = new Uint8Array(
      wire.bytes(1, [
        ...resource('service.name', 'api'),
        ...wire.bytes(2, wire.bytes(2, span)),
        ...resource('host.name', 'h2'),
      ]),
    );
    const [resourceSpans] = decodeTracesProtobuf(body, LIMITS).resourceSpans;
    expect(resourceSpans).toMatchObject({
      serviceName: 'api',
      resource: { 'service.name': 'api', 'host.name': 'h2' },
    });
    expect(resourceSpans!.spans[0]!.statusCode).toBe(2);
  });

  it('drops spans of an unknown kind or status code', () => {
    const decoded = decodeTracesProtobuf(
      request(
        spanFields(wire.int(6, 9)),
        spanFields(wire.bytes(15, wire.int(3, 5))),
        spanFields(wire.int(6, -1)),
      ),
      LIMITS,
    );
    expect(decoded).toMatchObject({
      spanCount: 0,
      rejectedSpans: 3,
      rejectionMessage: 'resourceSpans[0].scopeSpans[0].spans[0]: unknown span kind 9',
    });
  });
});

describe('decodeTracesProtobuf rejects a request that cannot be used', async () => {
  const valid = protobufOf(await sampleSpans());
  const sdkBody = async (build: (tracer: Tracer) => void, options?: SdkOptions) =>
    protobufOf(await sdkSpans(build, options));
  const withIds = (traceId: string, spanId: string): IdGenerator => ({
    generateTraceId: () => traceId,
    generateSpanId: () => spanId,
  });
  const span0 = 'resourceSpans[0].scopeSpans[0].spans[0]';

  const cases: { name: string; body: Uint8Array; limits?: TraceDecodeLimits; message: string }[] = [
    ...[1, 2, 3, Math.floor(valid.length / 2), valid.length - 1].map((cut) => ({
      name: `the SDK body cut to ${cut} bytes`,
      body: valid.subarray(0, cut),
      message: 'request: truncated field 1',
    })),
    {
      name: 'a span field longer than the span',
      body: request([...spanFields(), ...wire.tag(9, 2), 50, ...keyValue('k', wire.text(1, 'v'))]),
      message: `${span0}: truncated field 9`,
    },
    {
      name: 'a tag cut at the end of a span',
      body: request([...spanFields(), 0x80]),
      message: `${span0}: truncated tag`,
    },
    {
      name: 'a fixed64 time cut at the end of a span',
      body: request([...spanFields(), ...wire.tag(7, 1), 1, 2, 3]),
      message: `${span0}: truncated field 7`,
    },
    {
      name: 'a start time sent as a varint',
      body: request([...spanFields(), ...wire.int(7, 5)]),
      message: `${span0}: field 7 has wire type 0, expected 1`,
    },
    {
      name: 'attributes sent as a fixed32',
      body: request([...spanFields(), ...wire.tag(9, 5), 0, 0, 0, 0]),
      message: `${span0}: field 9 has wire type 5, expected 2`,
    },
    {
      name: 'a group',
      body: request([...spanFields(), ...wire.tag(20, 3)]),
      message: `${span0}: field 20 has unsupported wire type 3`,
    },
    {
      name: 'wire type 7',
      body: new Uint8Array(wire.tag(2, 7)),
      message: 'request: field 2 has unsupported wire type 7',
    },
    {
      name: 'field number 0',
      body: request([...spanFields(), 0x02, 0x00]),
      message: `${span0}: invalid field number 0`,
    },
    {
      name: 'a varint of 11 bytes',
      body: request([...spanFields(), ...wire.tag(6, 0), ...new Array(10).fill(0xff), 0x01]),
      message: `${span0}: invalid varint in field 6`,
    },
    {
      name: 'invalid UTF-8 in a span name',
      body: request(spanFields(wire.bytes(5, [0x6f, 0xc3, 0x28]))),
      message: `${span0}: invalid UTF-8 in field 5`,
    },
    {
      name: 'invalid UTF-8 in an attribute key',
      body: request(
        spanFields(wire.bytes(9, [...wire.bytes(1, [0xff]), ...wire.bytes(2, wire.text(1, 'v'))])),
      ),
      message: `${span0}.attributes[0]: invalid UTF-8 in field 1`,
    },
    {
      name: 'a truncated value inside an attribute',
      body: request(spanFields(attribute('k', [...wire.tag(4, 1), 1, 2]))),
      message: `${span0}.attributes[0].value: truncated field 4`,
    },
    {
      name: 'a trace id of 15 bytes (from the SDK)',
      body: await sdkBody((tracer) => tracer.startSpan('op').end(), {
        idGenerator: withIds('0af7651916cd43dd8448eb211c8031', '00f067aa0ba902b7'),
      }),
      message: `${span0}.traceId: expected 16 bytes, found 15`,
    },
    {
      name: 'a span id of all zeros (from the SDK)',
      body: await sdkBody((tracer) => tracer.startSpan('op').end(), {
        idGenerator: withIds('0af7651916cd43dd8448eb211c80319c', '0000000000000000'),
      }),
      message: `${span0}.spanId: must not be all zeros`,
    },
    {
      name: 'no trace id',
      body: request(spanFields().slice(wire.bytes(1, TRACE_ID).length)),
      message: `${span0}.traceId: expected 16 bytes, found 0`,
    },
    {
      name: 'a trace id of all zeros',
      body: request([...spanFields(), ...wire.bytes(1, new Array(16).fill(0))]),
      message: `${span0}.traceId: must not be all zeros`,
    },
    {
      name: 'a parent span id of 4 bytes',
      body: request(spanFields(wire.bytes(4, [1, 2, 3, 4]))),
      message: `${span0}.parentSpanId: expected 8 bytes, found 4`,
    },
    {
      name: '10,000 attributes on one span (from the SDK)',
      body: await sdkBody(
        (tracer) => {
          const attributes = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i]));
          tracer.startSpan('op', { attributes }).end();
        },
        { spanLimits: { attributeCountLimit: 20_000 } },
      ),
      message: `${span0}: more than 128 attributes`,
    },
    {
      name: 'a resource with more than maxAttributes attributes',
      body: await sdkBody((tracer) => tracer.startSpan('op').end()),
      limits: { ...LIMITS, maxAttributes: 1 },
      message: 'resourceSpans[0].resource: more than 1 attributes',
    },
    {
      name: 'more spans than maxSpans (from the SDK)',
      body: await sdkBody((tracer) => {
        for (let i = 0; i < 11; i++) tracer.startSpan(`op${i}`).end();
      }),
      limits: { ...LIMITS, maxSpans: 10 },
      message: 'resourceSpans[0].scopeSpans[0].spans[10]: more than 10 spans in the request',
    },
    {
      name: 'values nested 33 deep',
      body: request(spanFields(attribute('deep', nestedArrays(33)))),
      message: `${span0}.attributes[0].value${'.arrayValue.values[0]'.repeat(32)}: values nested deeper than 32`,
    },
  ];

  it.each(cases)('$name', ({ body, limits, message }) => {
    expect(decodeError(body, limits)).toBe(message);
  });

  it('reads values nested exactly 32 deep', () => {
    const attributes = decodeTracesProtobuf(request(spanFields(attribute('deep', nestedArrays(32)))), LIMITS)
      .resourceSpans[0]!.spans[0]!.attributes;
    expect(attributes.deep).toBe(`${'['.repeat(32)}"leaf"${']'.repeat(32)}`.slice(0, 64));
  });
});

/** A small deterministic PRNG (mulberry32), so a failing mutation can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(body: Uint8Array, next: () => number): Uint8Array {
  const at = (n: number) => Math.floor(next() * n);
  const bytes = Array.from(body);
  switch (at(5)) {
    case 0:
      for (let i = 0, n = 1 + at(4); i < n; i++) bytes[at(bytes.length)] = at(256);
      break;
    case 1:
      bytes.length = at(bytes.length);
      break;
    case 2:
      bytes.splice(at(bytes.length), 0, ...Array.from({ length: 1 + at(8) }, () => at(256)));
      break;
    case 3:
      bytes.splice(at(bytes.length), 1 + at(16));
      break;
    default: {
      const from = at(bytes.length);
      bytes.splice(at(bytes.length), 0, ...bytes.slice(from, from + 1 + at(32)));
    }
  }
  return new Uint8Array(bytes);
}

interface Field {
  field: number;
  /** The whole field: tag, length and payload. */
  bytes: Uint8Array;
  /** The payload of a length-delimited field. */
  payload: Uint8Array;
}

/** The top-level fields of a valid message (a test-side reader, for building mutations). */
function fieldsOf(message: Uint8Array): Field[] {
  const out: Field[] = [];
  let pos = 0;
  const varint = () => {
    let value = 0;
    for (let scale = 1; ; scale *= 128) {
      const b = message[pos++]!;
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
    }
  };
  while (pos < message.length) {
    const start = pos;
    const t = varint();
    let payloadStart = pos;
    if ((t & 7) === 0) varint();
    else if ((t & 7) === 1) pos += 8;
    else if ((t & 7) === 5) pos += 4;
    else {
      const length = varint();
      payloadStart = pos;
      pos += length;
    }
    out.push({
      field: t >>> 3,
      bytes: message.subarray(start, pos),
      payload: message.subarray(payloadStart, pos),
    });
  }
  return out;
}

/** `message` with its `index`-th field numbered `field` replaced by that field holding `payload`. */
function replaced(message: Uint8Array, field: number, index: number, payload: ArrayLike<number>): Uint8Array {
  let seen = 0;
  const parts = fieldsOf(message).map((f) =>
    f.field === field && seen++ === index ? wire.bytes(field, payload) : Array.from(f.bytes),
  );
  return new Uint8Array(parts.flat());
}

/**
 * One span of the body mutated, with every enclosing length still right, so that the decoder
 * meets the damage inside the span rather than at the request's first length.
 */
function mutateOneSpan(body: Uint8Array, next: () => number): Uint8Array {
  const resourceSpans = fieldsOf(body).find((f) => f.field === 1)!.payload;
  const scopeSpans = fieldsOf(resourceSpans).find((f) => f.field === 2)!.payload;
  const spans = fieldsOf(scopeSpans).filter((f) => f.field === 2);
  const index = Math.floor(next() * spans.length);
  const scope = replaced(scopeSpans, 2, index, mutate(spans[index]!.payload, next));
  return replaced(body, 1, 0, replaced(resourceSpans, 2, 0, scope));
}

describe('decodeTracesProtobuf on mutated input', () => {
  it('only ever returns or throws TraceDecodeError over 2,000 mutations of a valid body', async () => {
    const body = protobufOf(await sampleSpans());
    const next = random(20_240_601);
    const outcomes = { decoded: 0, rejected: 0 };
    for (let i = 0; i < 2000; i++) {
      const mutated = i % 2 === 0 ? mutate(body, next) : mutateOneSpan(body, next);
      try {
        decodeTracesProtobuf(mutated, LIMITS);
        outcomes.decoded++;
      } catch (error) {
        if (!(error instanceof TraceDecodeError)) {
          throw new Error(`mutation ${i} threw ${String(error)}: ${Buffer.from(mutated).toString('base64')}`);
        }
        outcomes.rejected++;
      }
    }
    expect(outcomes.decoded).toBeGreaterThan(100);
    expect(outcomes.rejected).toBeGreaterThan(1000);
  });
});
