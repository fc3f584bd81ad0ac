/**
 * Benchmark of the trace processor alone (no decoding, no storage): spans per second through
 * `createTraceProcessor().process()` in batches of 512 spans, over a synthetic catalog with a
 * realistic mix of match rules, systems and workflows. For each catalog size it prints the
 * compile time, spans/s over all timed batches and the median over stretches of 100 batches, the
 * median and p99 time of one batch, and what the processor holds at the end. It only reports: slow results never fail it.
 *
 * The workload, per batch: 30% client spans to partner APIs that match (server address, URL
 * prefix, peer.service, RPC service, messaging destination), 10% client spans to unknown hosts,
 * 25% internal calls as client + server pairs (half matched by a server-side route rule, a fifth
 * by calleeService and deferred, the rest discovered edges; 30% of the server spans arrive one
 * batch late), 25% INTERNAL spans and 10% root server spans. Spans carry 8 to 12 attributes, as
 * HTTP instrumentations send. The clock moves 10 ms per batch (about 51,000 spans/s).
 *
 * Run: `node bench/ingest/process-spans.ts`, or `… --sizes 1000,10000 --batches 4000`.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { createTraceProcessor, type TraceCatalog } from '../../collector/traces/processor.ts';
import {
  type Attributes,
  type DecodedResourceSpans,
  type DecodedSpan,
  type DecodedTraces,
  SpanKind,
  StatusCode,
} from '../../collector/traces/types.ts';
import type { MatchRule, WorkflowStep } from '../../src/config/catalog-schema.ts';

const BATCH_SPANS = 512;
const SERVICES = 200;
const BATCH_CLOCK_MS = 10;
/** Batches generated ahead of each timed stretch, so generation stays out of the timings. */
const CHUNK = 100;

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000' },
    batches: { type: 'string', default: '4000' },
  },
});
const sizes = values.sizes.split(',').map((s) => Number(s.trim()));
const batches = Number(values.batches);
if (sizes.some((n) => !Number.isInteger(n) || n < 20) || !Number.isInteger(batches) || batches < CHUNK) {
  console.error('usage: node bench/ingest/process-spans.ts [--sizes 1000,10000] [--batches 4000]');
  process.exit(2);
}

/** A deterministic pseudo-random sequence (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const service = (i: number) => `svc-${i % SERVICES}`;

/** Integration i's kind is i % 20: 7 by host, 3 by URL, 2 peer, 2 RPC, 2 topic, 2 server route, 1 callee, 1 name. */
function ruleFor(i: number): MatchRule {
  const k = i % 20;
  if (k < 7) return { side: 'client', service: service(i), serverAddress: `api.p${i}.example` };
  if (k < 10) return { side: 'client', urlPrefix: `https://p${i}.example/v1/` };
  if (k < 12) return { side: 'client', peerService: `peer-${i}` };
  if (k < 14) return { side: 'client', rpcService: `pkg.v1.Service${i}` };
  if (k < 16) return { side: 'client', messagingDestination: `topic-${i}` };
  if (k < 18) return { side: 'server', service: service(i), httpRoute: `/api/r${i}/{id}` };
  if (k < 19) return { side: 'client', service: service(i), calleeService: service(i + 7) };
  return { side: 'client', spanName: `job ${i}` };
}

function syntheticCatalog(n: number): TraceCatalog {
  const integrations = Array.from({ length: n }, (_, i) => ({
    id: `int-${i}`,
    from: `sys-${i % SERVICES}`,
    to: `sys-${(i + 7) % SERVICES}`,
    match: [ruleFor(i)],
  }));
  const systems = Array.from({ length: SERVICES }, (_, i) => ({ id: `sys-${i}`, services: [service(i)] }));
  const workflows = Array.from({ length: 20 }, (_, w) => ({
    id: `wf-${w}`,
    steps: [`int-${w * 20 + 16}`, `int-${w * 20 + 18}`, { span: `job ${w * 20 + 19}` }] as WorkflowStep[],
    timeoutMs: 60_000,
  }));
  return { revision: 1, integrations, systems, workflows };
}

const HEX = '0123456789abcdef';

/** A random id of `length` hex digits, as a flat string the way the decoders make them. */
function hex(rnd: () => number, length: number): string {
  const codes = new Array<number>(length);
  for (let i = 0; i < length; i++) codes[i] = HEX.charCodeAt(Math.floor(rnd() * 16));
  return String.fromCharCode(...codes);
}

/**
 * Rebuilds each span's attributes the way the decoders leave them: a fresh object filled one
 * property at a time, string values flat and shared within one request (the decoders cache the
 * strings of a request), so matching hashes each distinct value once per batch, as in service.
 */
function asDecoded(spans: [string, DecodedSpan][]): void {
  const cache = new Map<string, string>();
  const flat = (text: string) => {
    let cached = cache.get(text);
    if (cached === undefined) {
      cached = Buffer.from(text, 'latin1').toString('latin1');
      cache.set(text, cached);
    }
    return cached;
  };
  for (const [, s] of spans) {
    const attributes: Attributes = {};
    for (const [key, value] of Object.entries(s.attributes))
      attributes[key] = typeof value === 'string' ? flat(value) : value;
    s.attributes = attributes;
    s.name = flat(s.name);
  }
}

interface Generator {
  batch(startMs: number): DecodedTraces;
}

function generator(n: number, seed: number): Generator {
  const rnd = random(seed);
  const pick = (max: number) => Math.floor(rnd() * max);
  const ofKind = (lo: number, hi: number) => {
    const i = pick(Math.floor(n / 20)) * 20 + lo + pick(hi - lo);
    return i < n ? i : lo;
  };
  let late: [string, DecodedSpan][] = [];

  function base(kind: SpanKind, name: string, traceId: string, parent: string, t: number): DecodedSpan {
    const duration = 2 + rnd() * 400;
    return {
      traceId,
      spanId: hex(rnd, 16),
      parentSpanId: parent,
      name,
      kind,
      startTimeMs: t,
      endTimeMs: t + duration,
      statusCode: rnd() < 0.03 ? StatusCode.ERROR : StatusCode.UNSET,
      attributes: {},
    };
  }

  function http(s: DecodedSpan, host: string, path: string, status: number): DecodedSpan {
    s.attributes = {
      'http.request.method': 'POST',
      'server.address': host,
      'server.port': 443,
      'url.full': `https://${host}${path}`,
      'http.response.status_code': status,
      'network.protocol.version': '1.1',
      'user_agent.original': 'node-fetch/3.3',
      'http.request.body.size': 512,
      'http.response.body.size': 2048,
      'thread.id': 1,
    };
    return s;
  }

  const status = () => (rnd() < 0.02 ? 503 : rnd() < 0.03 ? 404 : 200);

  return {
    batch(startMs) {
      const spans: [string, DecodedSpan][] = late;
      late = [];
      while (spans.length < BATCH_SPANS) {
        const roll = rnd();
        const t = startMs + rnd() * BATCH_CLOCK_MS;
        const traceId = hex(rnd, 32);
        const caller = service(pick(SERVICES));
        if (roll < 0.3) {
          const i = ofKind(0, 16);
          const k = i % 20;
          const s = base(k < 14 ? SpanKind.CLIENT : SpanKind.PRODUCER, 'POST', traceId, '', t);
          if (k < 7) http(s, `api.p${i}.example`, '/charges', status());
          else if (k < 10) http(s, `p${i}.example`, '/v1/orders', status());
          else if (k < 12)
            http(s, `peer-${i}.internal`, '/x', status()).attributes['peer.service'] = `peer-${i}`;
          else if (k < 14)
            s.attributes = {
              'rpc.system': 'grpc',
              'rpc.service': `pkg.v1.Service${i}`,
              'rpc.method': 'Get',
              'server.address': 'grpc.internal',
              'server.port': 50051,
              'rpc.grpc.status_code': 0,
            };
          else
            s.attributes = {
              'messaging.system': 'kafka',
              'messaging.destination.name': `topic-${i}`,
              'messaging.operation.type': 'publish',
              'server.address': 'kafka',
              'messaging.message.body.size': 300,
            };
          spans.push([k < 7 || k >= 18 ? service(i) : caller, s]);
        } else if (roll < 0.4) {
          spans.push([
            caller,
            http(base(SpanKind.CLIENT, 'GET', traceId, '', t), `unknown-${pick(500)}.example`, '/', status()),
          ]);
        } else if (roll < 0.65) {
          const which = rnd();
          let i: number;
          let callee: string;
          let route: string;
          if (which < 0.5) {
            i = ofKind(16, 18);
            callee = service(i);
            route = `/api/r${i}/{id}`;
          } else if (which < 0.7) {
            i = ofKind(18, 19);
            callee = service(i + 7);
            route = '/internal';
          } else {
            i = pick(n);
            callee = service(i + 3);
            route = '/edge';
          }
          const from = which >= 0.5 && which < 0.7 ? service(i) : caller;
          const client = http(
            base(SpanKind.CLIENT, 'GET', traceId, '', t),
            `${callee}.internal`,
            route,
            status(),
          );
          const server = base(SpanKind.SERVER, `GET ${route}`, traceId, client.spanId, t + 1);
          server.attributes = {
            'http.request.method': 'GET',
            'http.route': route,
            'url.path': route,
            'url.scheme': 'http',
            'http.response.status_code': 200,
            'server.address': `${callee}.internal`,
            'client.address': '10.0.0.1',
            'network.protocol.version': '1.1',
          };
          spans.push([from, client]);
          if (rnd() < 0.3) late.push([callee, server]);
          else spans.push([callee, server]);
        } else if (roll < 0.9) {
          const name = rnd() < 0.1 ? `job ${ofKind(19, 20)}` : 'db.query';
          const s = base(SpanKind.INTERNAL, name, traceId, hex(rnd, 16), t);
          s.attributes = {
            'code.function': 'handle',
            'code.namespace': 'app',
            'db.system': 'postgresql',
            'db.operation.name': 'SELECT',
          };
          spans.push([caller, s]);
        } else {
          const i = ofKind(16, 18);
          const route = rnd() < 0.5 ? `/api/r${i}/{id}` : '/health';
          const s = base(SpanKind.SERVER, `GET ${route}`, traceId, '', t);
          s.attributes = {
            'http.request.method': 'GET',
            'http.route': route,
            'url.path': route,
            'url.scheme': 'https',
            'http.response.status_code': status(),
            'client.address': '10.0.0.2',
            'user_agent.original': 'curl/8',
            'network.protocol.version': '2',
          };
          spans.push([service(i), s]);
        }
      }
      while (spans.length > BATCH_SPANS) late.push(spans.pop() as [string, DecodedSpan]);
      asDecoded(spans);
      const byService = new Map<string, DecodedResourceSpans>();
      for (const [name, s] of spans) {
        let r = byService.get(name);
        if (r === undefined) {
          r = {
            resource: { 'service.name': name, 'telemetry.sdk.language': 'nodejs' },
            serviceName: name,
            spans: [],
          };
          byService.set(name, r);
        }
        r.spans.push(s);
      }
      return {
        resourceSpans: [...byService.values()],
        spanCount: spans.length,
        rejectedSpans: 0,
        rejectionMessage: undefined,
      };
    },
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

interface BenchRow {
  integrations: number;
  compileMs: number;
  /** Over wall time. */
  spansPerSecond: number;
  /**
   * The median over stretches of 100 batches: steadier than the overall figure on a machine
   * where other work takes the CPU now and then.
   */
  spansPerSecondMedian: number;
  batchP50Us: number;
  batchP99Us: number;
  matchedShare: number;
  pendingPairs: number;
  activeRuns: number;
  heapMiB: number;
}

function bench(n: number): BenchRow {
  const view = syntheticCatalog(n);
  let now = Date.UTC(2025, 0, 1);
  const compileStart = performance.now();
  const processor = createTraceProcessor({
    catalog: () => view,
    durationBucketsSeconds: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    pairing: { maxPending: 100_000, waitMs: 10_000 },
    workflows: { maxActiveRuns: 50_000 },
    now: () => now,
  });
  const compileMs = performance.now() - compileStart;
  const gen = generator(n, n);
  // Warm-up: fill the pairing store and let the JIT settle.
  for (let i = 0; i < 1_000; i++) {
    processor.process(gen.batch(now));
    now += BATCH_CLOCK_MS;
  }
  const times: number[] = [];
  let spans = 0;
  let matched = 0;
  let elapsed = 0;
  const chunkRates: number[] = [];
  for (let done = 0; done < batches; done += CHUNK) {
    const chunk = Array.from({ length: CHUNK }, (_, i) => gen.batch(now + i * BATCH_CLOCK_MS));
    let chunkMs = 0;
    let chunkSpans = 0;
    for (const input of chunk) {
      const started = performance.now();
      const result = processor.process(input);
      const took = performance.now() - started;
      chunkMs += took;
      chunkSpans += input.spanCount;
      elapsed += took;
      times.push(took);
      spans += input.spanCount;
      matched += result.spans.matched;
      now += BATCH_CLOCK_MS;
    }
    processor.sweep();
    chunkRates.push(chunkSpans / (chunkMs / 1000));
  }
  chunkRates.sort((a, b) => a - b);
  times.sort((a, b) => a - b);
  const stats = processor.stats();
  return {
    integrations: n,
    compileMs,
    spansPerSecond: spans / (elapsed / 1000),
    spansPerSecondMedian: percentile(chunkRates, 50),
    batchP50Us: percentile(times, 50) * 1000,
    batchP99Us: percentile(times, 99) * 1000,
    matchedShare: matched / spans,
    pendingPairs: stats.pendingPairs,
    activeRuns: stats.activeRuns,
    heapMiB: process.memoryUsage().heapUsed / 1024 / 1024,
  };
}

const cpu = cpus();
console.log(`machine: ${cpu[0]?.model ?? 'unknown cpu'}, ${cpu.length} cores, Node ${process.version}`);
console.log(
  `trace processor, ${batches} timed batches of ${BATCH_SPANS} spans after 1,000 warm-up batches; target well over 500,000 spans/s\n`,
);
const header = [
  'integrations',
  'compile ms',
  'spans/s',
  'batch p50 µs',
  'batch p99 µs',
  'matched',
  'pending pairs',
  'active runs',
  'heap MiB',
];
const rows = sizes.map((n) => {
  const r = bench(n);
  return [
    n.toLocaleString('en-US'),
    r.compileMs.toFixed(1),
    Math.round(r.spansPerSecond).toLocaleString('en-US'),
    Math.round(r.spansPerSecondMedian).toLocaleString('en-US'),
    r.batchP50Us.toFixed(0),
    r.batchP99Us.toFixed(0),
    `${(r.matchedShare * 100).toFixed(0)}%`,
    r.pendingPairs.toLocaleString('en-US'),
    r.activeRuns.toLocaleString('en-US'),
    r.heapMiB.toFixed(0),
  ];
});
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
for (const row of [header, ...rows])
  console.log(row.map((cell, i) => cell.padStart(widths[i] ?? 0)).join('  '));
