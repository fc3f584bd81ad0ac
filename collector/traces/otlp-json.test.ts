import { ROOT_CONTEXT, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  type IdGenerator,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type SpanLimits,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { decodeTracesJson } from './otlp-json.ts';
import { TraceDecodeError, type TraceDecodeLimits } from './types.ts';

const LIMITS: TraceDecodeLimits = { maxSpans: 100, maxAttributes: 128, maxAttributeLength: 64 };

/** The OTLP/JSON body the real SDK exports for the spans `build` makes, parsed. */
async function sdkJson(
  build: (tracer: Tracer) => void,
  options: { idGenerator?: IdGenerator; spanLimits?: SpanLimits } = {},
): Promise<unknown> {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout' }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
    ...options,
  });
  build(provider.getTracer('test'));
  await provider.forceFlush();
  const body = JsonTraceSerializer.serializeRequest(exporter.getFinishedSpans());
  if (!body) throw new Error('no JSON body');
  return JSON.parse(new TextDecoder().decode(body));
}

const TRACE_ID = '0102030405060708090a0b0c0d0e0f10';
const SPAN_ID = '0102030405060708';

/** A valid span, with `fields` replacing (or, set to undefined, removing) its members. */
function jsonSpan(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    name: 'op',
    kind: 2,
    startTimeUnixNano: '1700000000123456789',
    endTimeUnixNano: '1700000000124456789',
    ...fields,
  };
}

function jsonRequest(...spans: unknown[]): unknown {
  return { resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ spans }] }] };
}

/** A span with one attribute whose AnyValue is `value`. */
function withValue(value: unknown): unknown {
  return jsonRequest(jsonSpan({ attributes: [{ key: 'k', value }] }));
}

function nestedArrays(depth: number): unknown {
  let value: unknown = { stringValue: 'leaf' };
  for (let i = 0; i < depth; i++) value = { arrayValue: { values: [value] } };
  return value;
}

describe('decodeTracesJson', () => {
  it('reads the JSON the SDK exports', async () => {
    const body = await sdkJson((tracer) => {
      const root = tracer.startSpan('GET /orders', { kind: SpanKind.SERVER });
      const child = tracer.startSpan(
        'POST payments',
        {
          kind: SpanKind.CLIENT,
          attributes: { method: 'POST', code: 201, ratio: 0.5, ok: true, tags: ['a'] },
        },
        trace.setSpan(ROOT_CONTEXT, root),
      );
      child.setStatus({ code: SpanStatusCode.ERROR });
      child.end();
      root.end();
    });
    const decoded = decodeTracesJson(body, LIMITS);
    expect(decoded).toMatchObject({ spanCount: 2, rejectedSpans: 0, rejectionMessage: undefined });
    const [resourceSpans] = decoded.resourceSpans;
    expect(resourceSpans).toMatchObject({
      serviceName: 'checkout',
      resource: { 'service.name': 'checkout' },
    });
    const [child, root] = resourceSpans!.spans;
    expect(root).toMatchObject({
      name: 'GET /orders',
      kind: 2,
      parentSpanId: '',
      statusCode: 0,
      attributes: {},
    });
    expect(child).toMatchObject({
      name: 'POST payments',
      kind: 3,
      traceId: root!.traceId,
      parentSpanId: root!.spanId,
      statusCode: 2,
      attributes: { method: 'POST', code: 201, ratio: 0.5, ok: true, tags: '["a"]' },
    });
    expect(child!.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(child!.endTimeMs).toBeGreaterThanOrEqual(child!.startTimeMs);
  });

  it('reads a request with no resourceSpans as valid, with no spans', () => {
    const empty = { resourceSpans: [], spanCount: 0, rejectedSpans: 0, rejectionMessage: undefined };
    expect(decodeTracesJson({}, LIMITS)).toEqual(empty);
    expect(decodeTracesJson({ resourceSpans: [] }, LIMITS)).toEqual(empty);
    expect(decodeTracesJson({ resourceSpans: null }, LIMITS)).toEqual(empty);
  });

  it('accepts everything the OTLP/JSON rules allow', () => {
    const body = {
      futureField: { anything: true },
      resourceSpans: [
        {
          resource: {
            attributes: [{ key: 'service.name', value: { stringValue: 'api' } }],
            droppedAttributesCount: 0,
          },
          schemaUrl: 'https://opentelemetry.io/schemas/1.30.0',
          scopeSpans: [
            {
              scope: { name: 'lib' },
              spans: [
                jsonSpan({
                  traceId: TRACE_ID.toUpperCase(),
                  spanId: 'ABCDEF0123456789',
                  parentSpanId: '',
                  kind: undefined,
                  startTimeUnixNano: 1_700_000_000_123_456,
                  endTimeUnixNano: '1700000000123456999',
                  status: null,
                  events: [{ name: 'e' }],
                  attributes: [
                    { key: 'asString', value: { intValue: '-9007199254740993' } },
                    { key: 'asNumber', value: { intValue: 42 } },
                    { key: 'nan', value: { doubleValue: 'NaN' } },
                    { key: 'inf', value: { doubleValue: '-Infinity' } },
                    { key: 'exp', value: { doubleValue: '1e3' } },
                    { key: 'urlSafe', value: { bytesValue: '-_8' } },
                    { key: 'empty', value: {} },
                    { key: 'absent' },
                    { key: 'nullMember', value: { stringValue: null, boolValue: true } },
                    { key: 'long', value: { stringValue: 'y'.repeat(100) } },
                    {
                      key: 'list',
                      value: {
                        kvlistValue: {
                          values: [{ key: 'a', value: { arrayValue: { values: [{}, null] } } }],
                        },
                      },
                    },
                  ],
                }),
              ],
            },
          ],
        },
      ],
    };
    const decoded = decodeTracesJson(body, LIMITS);
    expect(decoded.resourceSpans[0]!.serviceName).toBe('api');
    expect(decoded.resourceSpans[0]!.spans).toEqual([
      {
        traceId: TRACE_ID,
        spanId: 'abcdef0123456789',
        parentSpanId: '',
        name: 'op',
        kind: 0,
        startTimeMs: 1_700_000_000 + 0.123456,
        endTimeMs: 1_700_000_000_123 + 0.456999,
        statusCode: 0,
        attributes: {
          asString: -9007199254740992,
          asNumber: 42,
          nan: Number.NaN,
          inf: Number.NEGATIVE_INFINITY,
          exp: 1000,
          urlSafe: '+/8=',
          nullMember: true,
          long: 'y'.repeat(64),
          list: '{"a":[null,null]}',
        },
      },
    ]);
  });

  it('drops spans of an unknown kind or status code', () => {
    const decoded = decodeTracesJson(
      jsonRequest(jsonSpan({ kind: 6 }), jsonSpan({ status: { code: -1 } }), jsonSpan()),
      LIMITS,
    );
    expect(decoded).toMatchObject({
      spanCount: 1,
      rejectedSpans: 2,
      rejectionMessage: 'resourceSpans[0].scopeSpans[0].spans[0]: unknown span kind 6',
    });
  });
});

describe('decodeTracesJson rejects a request that cannot be used', async () => {
  const span0 = 'resourceSpans[0].scopeSpans[0].spans[0]';
  const value0 = `${span0}.attributes[0].value`;
  const withIds = (traceId: string, spanId: string): IdGenerator => ({
    generateTraceId: () => traceId,
    generateSpanId: () => spanId,
  });
  const base64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');

  const cases: { name: string; body: unknown; limits?: TraceDecodeLimits; message: string }[] = [
    { name: 'an array body', body: [], message: 'request: expected an object, found array' },
    { name: 'a string body', body: 'resourceSpans', message: 'request: expected an object, found string' },
    { name: 'a null body', body: null, message: 'request: expected an object, found null' },
    {
      name: 'resourceSpans as an object',
      body: { resourceSpans: {} },
      message: 'resourceSpans: expected an array, found object',
    },
    {
      name: 'a resourceSpans entry that is a string',
      body: { resourceSpans: ['x'] },
      message: 'resourceSpans[0]: expected an object, found string',
    },
    {
      name: 'spans as a number',
      body: { resourceSpans: [{ scopeSpans: [{ spans: 3 }] }] },
      message: 'resourceSpans[0].scopeSpans[0].spans: expected an array, found number',
    },
    {
      name: 'a numeric traceId',
      body: jsonRequest(jsonSpan({ traceId: 12345 })),
      message: `${span0}.traceId: expected a hex string, found number`,
    },
    {
      name: 'a base64 traceId',
      body: jsonRequest(jsonSpan({ traceId: base64(TRACE_ID) })),
      message: `${span0}.traceId: expected 32 hex characters, found 24 (base64? OTLP/JSON ids are hex)`,
    },
    {
      name: 'a base64 spanId',
      body: jsonRequest(jsonSpan({ spanId: base64(SPAN_ID) })),
      message: `${span0}.spanId: expected 16 hex characters, found 12 (base64? OTLP/JSON ids are hex)`,
    },
    {
      name: 'a trace id of 30 hex characters (from the SDK)',
      body: await sdkJson((tracer) => tracer.startSpan('op').end(), {
        idGenerator: withIds('0af7651916cd43dd8448eb211c8031', '00f067aa0ba902b7'),
      }),
      message: `${span0}.traceId: expected 32 hex characters, found 30`,
    },
    {
      name: 'a span id of all zeros (from the SDK)',
      body: await sdkJson((tracer) => tracer.startSpan('op').end(), {
        idGenerator: withIds('0af7651916cd43dd8448eb211c80319c', '0000000000000000'),
      }),
      message: `${span0}.spanId: must not be all zeros`,
    },
    {
      name: 'a span id that is not hex',
      body: jsonRequest(jsonSpan({ spanId: '01020304050607zz' })),
      message: `${span0}.spanId: expected 16 hex characters, found "01020304050607zz"`,
    },
    {
      name: 'a parent span id of 8 hex characters',
      body: jsonRequest(jsonSpan({ parentSpanId: '01020304' })),
      message: `${span0}.parentSpanId: expected 16 hex characters, found 8`,
    },
    {
      name: 'proto field names instead of lowerCamelCase',
      body: jsonRequest(jsonSpan({ traceId: undefined, trace_id: TRACE_ID })),
      message: `${span0}.traceId: expected 32 hex characters, found 0`,
    },
    {
      name: 'a kind sent as its enum name',
      body: jsonRequest(jsonSpan({ kind: 'SPAN_KIND_SERVER' })),
      message: `${span0}.kind: expected an integer, found string`,
    },
    {
      name: 'a kind that is not an integer',
      body: jsonRequest(jsonSpan({ kind: 1.5 })),
      message: `${span0}.kind: expected an integer, found 1.5`,
    },
    {
      name: 'a status code sent as its enum name',
      body: jsonRequest(jsonSpan({ status: { code: 'STATUS_CODE_ERROR' } })),
      message: `${span0}.status.code: expected an integer, found string`,
    },
    {
      name: 'a start time that is not decimal',
      body: jsonRequest(jsonSpan({ startTimeUnixNano: '17e17' })),
      message: `${span0}.startTimeUnixNano: expected an unsigned 64-bit integer, found "17e17"`,
    },
    {
      name: 'a negative end time',
      body: jsonRequest(jsonSpan({ endTimeUnixNano: -5 })),
      message: `${span0}.endTimeUnixNano: expected an unsigned 64-bit integer, found -5`,
    },
    {
      name: 'a start time over 2^64',
      body: jsonRequest(jsonSpan({ startTimeUnixNano: '18446744073709551616' })),
      message: `${span0}.startTimeUnixNano: expected an unsigned 64-bit integer, found "18446744073709551616"`,
    },
    {
      name: 'a start time that is a boolean',
      body: jsonRequest(jsonSpan({ startTimeUnixNano: true })),
      message: `${span0}.startTimeUnixNano: expected a decimal string, found boolean`,
    },
    {
      name: 'attributes as an object',
      body: jsonRequest(jsonSpan({ attributes: { k: 'v' } })),
      message: `${span0}.attributes: expected an array, found object`,
    },
    {
      name: 'an attribute key that is a number',
      body: jsonRequest(jsonSpan({ attributes: [{ key: 7, value: { stringValue: 'v' } }] })),
      message: `${span0}.attributes[0].key: expected a string, found number`,
    },
    {
      name: 'an intValue with a fraction',
      body: withValue({ intValue: '1.5' }),
      message: `${value0}.intValue: expected a 64-bit integer, found "1.5"`,
    },
    {
      name: 'an intValue over int64',
      body: withValue({ intValue: '9223372036854775808' }),
      message: `${value0}.intValue: expected a 64-bit integer, found "9223372036854775808"`,
    },
    {
      name: 'a stringValue that is a number',
      body: withValue({ stringValue: 5 }),
      message: `${value0}.stringValue: expected a string, found number`,
    },
    {
      name: 'a doubleValue that is not a number',
      body: withValue({ doubleValue: 'fast' }),
      message: `${value0}.doubleValue: expected a number, found "fast"`,
    },
    {
      name: 'a bytesValue that is not base64',
      body: withValue({ bytesValue: 'not base64!' }),
      message: `${value0}.bytesValue: expected a base64 string, found "not base64!"`,
    },
    {
      name: 'two members of AnyValue set',
      body: withValue({ stringValue: 'a', intValue: 1 }),
      message: `${value0}: both stringValue and intValue are set`,
    },
    {
      name: 'an array element that is not an object',
      body: withValue({ arrayValue: { values: ['a'] } }),
      message: `${value0}.arrayValue.values[0]: expected an object, found string`,
    },
    {
      name: 'values nested 33 deep',
      body: withValue(nestedArrays(33)),
      message: `${value0}${'.arrayValue.values[0]'.repeat(32)}: values nested deeper than 32`,
    },
    {
      name: '10,000 attributes on one span (from the SDK)',
      body: await sdkJson(
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
      body: await sdkJson((tracer) => tracer.startSpan('op').end()),
      limits: { ...LIMITS, maxAttributes: 0 },
      message: 'resourceSpans[0].resource: more than 0 attributes',
    },
    {
      name: 'more spans than maxSpans (from the SDK)',
      body: await sdkJson((tracer) => {
        for (let i = 0; i < 11; i++) tracer.startSpan(`op${i}`).end();
      }),
      limits: { ...LIMITS, maxSpans: 10 },
      message: 'resourceSpans[0].scopeSpans[0].spans[10]: more than 10 spans in the request',
    },
  ];

  it.each(cases)('$name', ({ body, limits, message }) => {
    let thrown: unknown;
    try {
      decodeTracesJson(body, limits ?? LIMITS);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TraceDecodeError);
    expect((thrown as Error).message).toBe(message);
  });
});

describe('decodeTracesJson on mutated input', () => {
  /** Values of every JSON type, some of them near a bound. */
  const REPLACEMENTS: unknown[] = [
    null,
    0,
    -1,
    1.5,
    2 ** 64,
    '',
    'zz',
    'AAAAAAAAAAAAAAAAAAAAAA==',
    '18446744073709551616',
    '-9223372036854775809',
    true,
    [],
    {},
    [{}],
    { stringValue: 1 },
    { arrayValue: { values: [{ kvlistValue: { values: [{ key: 1 }] } }] } },
  ];

  /** Every [container, key] pair in a parsed JSON document. */
  function slots(node: unknown, out: [Record<string, unknown> | unknown[], string | number][] = []) {
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        out.push([node, i]);
        slots(item, out);
      });
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        out.push([node as Record<string, unknown>, key]);
        slots(value, out);
      }
    }
    return out;
  }

  it('only ever returns or throws TraceDecodeError over 1,000 replaced values', async () => {
    const original = await sdkJson((tracer) => {
      const root = tracer.startSpan('root', { attributes: { a: 'x', b: [1, 2], c: { d: true }, e: 1.5 } });
      tracer.startSpan('child', { attributes: { f: 7 } }, trace.setSpan(ROOT_CONTEXT, root)).end();
      root.end();
    });
    let state = 7;
    const next = (n: number) => {
      state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff;
      return state % n;
    };
    const outcomes = { decoded: 0, rejected: 0 };
    for (let i = 0; i < 1000; i++) {
      const body: unknown = structuredClone(original);
      const places = slots(body);
      for (let j = 0, n = 1 + next(3); j < n; j++) {
        const [container, key] = places[next(places.length)]!;
        (container as Record<string | number, unknown>)[key] = REPLACEMENTS[next(REPLACEMENTS.length)];
      }
      try {
        decodeTracesJson(body, LIMITS);
        outcomes.decoded++;
      } catch (error) {
        if (!(error instanceof TraceDecodeError)) throw new Error(`mutation ${i} threw ${String(error)}`);
        outcomes.rejected++;
      }
    }
    expect(outcomes.decoded).toBeGreaterThan(100);
    expect(outcomes.rejected).toBeGreaterThan(100);
  });
});
