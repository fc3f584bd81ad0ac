import { type Context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  type IdGenerator,
  type SpanExporter,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import type { Random } from '../random.ts';
import { extentOf, type PlannedKind, type PlannedSpan, type PlannedTrace } from './plan.ts';
import { resourceAttributes } from './services.ts';

const KINDS: Record<PlannedKind, SpanKind> = {
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
  internal: SpanKind.INTERNAL,
};

/** Replays planned traces through one OpenTelemetry TracerProvider per simulated service. */
export interface SpanEmitter {
  /** Emits every span of `planned`, placed so that the trace ends at `endMs` (Unix ms). */
  emit(planned: PlannedTrace, endMs: number): void;
  /** Services that have emitted so far, each with its own provider and exporter. */
  services(): string[];
  /** Exports everything ended so far, every service at once. Never rejects: failures go to `onError`. */
  forceFlush(): Promise<void>;
  /**
   * Flushes and shuts every provider down; emitting afterwards does nothing. Never rejects:
   * failures go to `onError`. Safe to call twice.
   */
  shutdown(): Promise<void>;
}

export interface SpanEmitterOptions {
  /** The exporter of one service's process; called once per service, on its first span. */
  exporterFor: (service: string) => SpanExporter;
  /** Trace and span ids (default: the SDK's random ids). */
  idGenerator?: IdGenerator;
  /** How often each provider exports its ended spans, in ms. */
  scheduledDelayMs: number;
  /** How long one export may take before the SDK gives up on it, in ms. */
  exportTimeoutMs: number;
  /** Most ended spans a provider queues before it drops new ones (default 2048). */
  maxQueueSize?: number;
  /** Told of a flush or shutdown that failed, with the service (default: ignored). */
  onError?: (error: unknown, service: string) => void;
}

/**
 * Ids from a seeded random source, so a seeded demo emits the same ids run after run.
 * @example
 * new TracerProvider({ idGenerator: seededIdGenerator(seededRandom(7)) });
 */
export function seededIdGenerator(random: Random): IdGenerator {
  const hex = (length: number) => {
    let out = '';
    while (out.length < length)
      out += Math.floor(random() * 2 ** 32)
        .toString(16)
        .padStart(8, '0');
    return out.slice(0, length);
  };
  const nonZero = (length: number) => {
    let id = hex(length);
    while (/^0+$/.test(id)) id = hex(length);
    return id;
  };
  return { generateTraceId: () => nonZero(32), generateSpanId: () => nonZero(16) };
}

/**
 * Creates the emitter. Each simulated service is a process of its own: a TracerProvider with its
 * own Resource (`service.name` and the usual deployment attributes), a BatchSpanProcessor and an
 * exporter. A call between two services is a client span in the caller and a server span in the
 * callee whose parent is that client span, joined by passing the caller's context explicitly, as
 * a propagator would after reading `traceparent`. Nothing is registered globally.
 * @example
 * const emitter = createSpanEmitter({ exporterFor: () => new InMemorySpanExporter(), scheduledDelayMs: 2000, exportTimeoutMs: 5000 });
 * emitter.emit(plan, Date.now());
 * await emitter.shutdown();
 */
export function createSpanEmitter(options: SpanEmitterOptions): SpanEmitter {
  const providers = new Map<string, TracerProvider>();
  let closed = false;

  function tracerOf(service: string) {
    let provider = providers.get(service);
    if (provider === undefined) {
      provider = new TracerProvider({
        resource: resourceFromAttributes(resourceAttributes(service)),
        ...(options.idGenerator ? { idGenerator: options.idGenerator } : {}),
        spanProcessors: [
          new BatchSpanProcessor({
            exporter: options.exporterFor(service),
            scheduledDelayMillis: options.scheduledDelayMs,
            exportTimeoutMillis: options.exportTimeoutMs,
            maxQueueSize: options.maxQueueSize ?? 2048,
            maxExportBatchSize: 512,
          }),
        ],
      });
      providers.set(service, provider);
    }
    return provider.getTracer('ecotone-demo-traffic', '1.0.0');
  }

  function render(planned: PlannedSpan, parent: Context, startOfTrace: number): void {
    const started = tracerOf(planned.service).startSpan(
      planned.name,
      {
        kind: KINDS[planned.kind],
        attributes: planned.attributes,
        startTime: new Date(startOfTrace + planned.startMs),
      },
      parent,
    );
    if (planned.error !== undefined)
      started.setStatus({ code: SpanStatusCode.ERROR, message: planned.error });
    const context = trace.setSpan(parent, started);
    for (const child of planned.children) render(child, context, startOfTrace);
    started.end(new Date(startOfTrace + planned.startMs + planned.durationMs));
  }

  async function each(action: (provider: TracerProvider) => Promise<void>): Promise<void> {
    await Promise.all(
      [...providers].map(([service, provider]) =>
        action(provider).catch((error: unknown) => options.onError?.(error, service)),
      ),
    );
  }

  return {
    emit(planned, endMs) {
      if (closed) return;
      render(planned.root, ROOT_CONTEXT, endMs - extentOf(planned.root));
    },
    services: () => [...providers.keys()],
    async forceFlush() {
      await each((provider) => provider.forceFlush());
    },
    async shutdown() {
      if (closed) return;
      closed = true;
      await each((provider) => provider.shutdown());
    },
  };
}
