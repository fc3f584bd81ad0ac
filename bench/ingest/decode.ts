/**
 * Benchmark of the OTLP trace decoders: spans per second for the protobuf decoder and for the
 * JSON decoder (with and without `JSON.parse`), over batches of 512 spans made by the real
 * OpenTelemetry SDK and encoded by its own serializers (as an exporter sends them). Each span
 * has the attributes of an HTTP server or client span; the resource has the usual SDK attributes.
 * It only reports: slow results never fail it. The ingest goal is 50,000 spans/s end to end on
 * two cores, so decoding should take a small share of that.
 *
 * Run: `node bench/ingest/decode.ts`, or `node bench/ingest/decode.ts --batch 512 --seconds 3`.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { decodeTracesJson } from '../../collector/traces/otlp-json.ts';
import { decodeTracesProtobuf } from '../../collector/traces/otlp-protobuf.ts';
import type { TraceDecodeLimits } from '../../collector/traces/types.ts';

const LIMITS: TraceDecodeLimits = { maxSpans: 100_000, maxAttributes: 128, maxAttributeLength: 4096 };
const SPANS_PER_TRACE = 8;
/** Timed rounds per decoder; the best shows what the decoder can do, the median what load left. */
const ROUNDS = 10;
const ROUTES = ['/api/orders', '/api/orders/{id}', '/api/customers/{id}', '/api/payments', '/health'];

const { values } = parseArgs({
  options: {
    batch: { type: 'string', default: '512' },
    seconds: { type: 'string', default: '3' },
  },
});
const batchSize = Number(values.batch);
const seconds = Number(values.seconds);
if (!Number.isInteger(batchSize) || batchSize < 1 || !(seconds > 0)) {
  console.error('usage: node bench/ingest/decode.ts [--batch 512] [--seconds 3]');
  process.exit(2);
}

/** `count` finished spans: traces of a server span with client and internal children. */
async function makeSpans(count: number): Promise<ReadableSpan[]> {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'checkout',
      'service.version': '4.12.1',
      'service.namespace': 'shop',
      'deployment.environment.name': 'production',
      'host.name': 'checkout-7d9f8b6c5-x2v4q',
      'process.pid': 4242,
      'telemetry.sdk.name': 'opentelemetry',
      'telemetry.sdk.language': 'nodejs',
      'telemetry.sdk.version': '3.1.0',
    }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer('bench', '1.0.0');
  for (let i = 0; i < count; i += SPANS_PER_TRACE) {
    const route = ROUTES[i % ROUTES.length] ?? '/';
    const server = tracer.startSpan(`GET ${route}`, {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': 'GET',
        'http.route': route,
        'url.path': route.replace('{id}', String(i)),
        'url.scheme': 'https',
        'server.address': 'checkout.internal',
        'server.port': 8443,
        'client.address': `10.0.${i % 256}.${(i * 7) % 256}`,
        'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)',
        'http.response.status_code': i % 50 === 0 ? 500 : 200,
        'network.protocol.version': '1.1',
      },
    });
    const parent = trace.setSpan(ROOT_CONTEXT, server);
    for (let j = 1; j < SPANS_PER_TRACE && i + j < count; j++) {
      const client = j % 2 === 1;
      const child = tracer.startSpan(
        client ? 'POST' : 'validate order',
        {
          kind: client ? SpanKind.CLIENT : SpanKind.INTERNAL,
          attributes: client
            ? {
                'http.request.method': 'POST',
                'url.full': `https://payments.internal/v2/authorize?order=${i + j}`,
                'server.address': 'payments.internal',
                'server.port': 443,
                'http.response.status_code': 201,
                'http.request.resend_count': 0,
                'network.peer.address': '10.1.2.3',
              }
            : { 'order.items': j * 3, 'order.total': 99.95, 'order.express': j % 4 === 0 },
        },
        parent,
      );
      child.end();
    }
    if (i % 50 === 0) server.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream failed' });
    server.end();
  }
  await provider.forceFlush();
  return exporter.getFinishedSpans();
}

interface Decoder {
  name: string;
  bytes: number;
  /** Decodes one batch; returns the spans accepted. */
  decode: () => number;
}

/** Spans per second of each timed round; rounds of all decoders alternate, so load hits them alike. */
function measure(decoders: Decoder[]): number[][] {
  for (const d of decoders) for (let i = 0; i < 200; i++) d.decode();
  const rounds = decoders.map(() => [] as number[]);
  const roundMs = (seconds * 1000) / ROUNDS;
  for (let round = 0; round < ROUNDS; round++) {
    decoders.forEach((d, i) => {
      let spans = 0;
      const started = performance.now();
      let elapsed = 0;
      while (elapsed < roundMs) {
        for (let j = 0; j < 10; j++) spans += d.decode();
        elapsed = performance.now() - started;
      }
      rounds[i]!.push((spans / elapsed) * 1000);
    });
  }
  return rounds;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0;

const spans = await makeSpans(batchSize);
const protobuf = ProtobufTraceSerializer.serializeRequest(spans);
const json = JsonTraceSerializer.serializeRequest(spans);
if (!protobuf || !json) throw new Error('the SDK serializers returned nothing');
const jsonText = new TextDecoder().decode(json);
const parsed: unknown = JSON.parse(jsonText);

const cpu = cpus();
console.log(`machine: ${cpu[0]?.model ?? 'unknown cpu'}, ${cpu.length} cores, Node ${process.version}`);
console.log(
  `OTLP trace decode, batches of ${spans.length} spans, ${ROUNDS} alternating rounds over ~${seconds} s per decoder\n`,
);

const decoders: Decoder[] = [
  {
    name: 'protobuf',
    bytes: protobuf.length,
    decode: () => decodeTracesProtobuf(protobuf, LIMITS).spanCount,
  },
  {
    name: 'JSON (decode of parsed body)',
    bytes: json.length,
    decode: () => decodeTracesJson(parsed, LIMITS).spanCount,
  },
  {
    name: 'JSON (JSON.parse + decode)',
    bytes: json.length,
    decode: () => decodeTracesJson(JSON.parse(jsonText), LIMITS).spanCount,
  },
];
const rounds = measure(decoders);

const header = ['decoder', 'body KiB', 'spans/s best', 'spans/s median', 'µs/batch best', 'MB/s best'];
const table = decoders.map((d, i) => {
  const best = Math.max(...rounds[i]!);
  const microsPerBatch = (spans.length / best) * 1e6;
  return [
    d.name,
    (d.bytes / 1024).toFixed(0),
    Math.round(best).toLocaleString('en-US'),
    Math.round(median(rounds[i]!)).toLocaleString('en-US'),
    microsPerBatch.toFixed(0),
    (d.bytes / microsPerBatch).toFixed(0),
  ];
});
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]?.length ?? 0)));
for (const row of [header, ...table]) {
  console.log(
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  '),
  );
}
