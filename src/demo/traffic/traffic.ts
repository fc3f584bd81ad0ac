import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { seededRandom } from '../random.ts';
import { createEventSender } from './event-sender.ts';
import { createEventFactory, runIdOf } from './events.ts';
import { createTrafficGenerator } from './generator.ts';
import { type ResolvedTrafficOptions, resolveTrafficOptions, type TrafficOptions } from './options.ts';
import { createSpanEmitter, seededIdGenerator } from './span-emitter.ts';

/** Running demo traffic. */
export interface Traffic {
  /** Stops planning, sends what is buffered (one attempt each) and shuts the SDK down. Safe to call twice. */
  stop(): Promise<void>;
}

type ExporterConfig = NonNullable<ConstructorParameters<typeof OTLPTraceExporter>[0]>;

/** The default exporter: OTLP/HTTP protobuf, gzip, to `${baseUrl}/v1/traces`, as an SDK is set up in production. */
function otlpExporter(options: ResolvedTrafficOptions): SpanExporter {
  return new OTLPTraceExporter({
    url: `${options.baseUrl}/v1/traces`,
    headers: options.token !== undefined ? { authorization: `Bearer ${options.token}` } : {},
    compression: 'gzip' as ExporterConfig['compression'],
    timeoutMillis: options.requestTimeoutMs,
  });
}

async function isReady(options: ResolvedTrafficOptions): Promise<boolean> {
  try {
    const response = await options.fetch(`${options.baseUrl}/readyz`, {
      signal: AbortSignal.timeout(options.requestTimeoutMs),
    });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * Starts simulated traffic for the example ecosystem (`examples/ecosystem.yaml`) against a running
 * Ecotone: OTLP traces emitted through the OpenTelemetry JS SDK, one TracerProvider per simulated
 * service, and business events in batches to `/v1/events`. The traces include the order-to-cash
 * workflow (which fails halfway when a payment is declined) and one undeclared edge
 * (`storefront` → `recommendations`); see `scenarios/` for all of it.
 *
 * Nothing is sent before `GET /readyz` answers 200 (unless `waitForReady` is false), so it may
 * start before the service does. Failures never throw: spans the exporter cannot deliver are
 * dropped by the SDK, events are retried with the same ids.
 * @example
 * const traffic = await startTraffic({ baseUrl: 'http://127.0.0.1:9480', logger });
 * // …
 * await traffic.stop();
 */
export async function startTraffic(options: TrafficOptions): Promise<Traffic> {
  const resolved = resolveTrafficOptions(options);
  const { logger, now, tickMs, rate, seed } = resolved;
  const seeds = seededRandom(seed);
  const random = seededRandom(Math.floor(seeds() * 2 ** 32));
  const runId = runIdOf(now(), seed);
  const events = createEventFactory({ runId, now });
  const generator = createTrafficGenerator({ random, events, rate, ticketPrefix: `TCK-${runId.slice(5)}` });
  const emitter = createSpanEmitter({
    exporterFor: resolved.exporterFor ?? (() => otlpExporter(resolved)),
    idGenerator: seededIdGenerator(seededRandom(Math.floor(seeds() * 2 ** 32))),
    scheduledDelayMs: resolved.spanFlushMs,
    exportTimeoutMs: resolved.requestTimeoutMs + 1_000,
    onError: (error, service) =>
      logger.warn({ service, reason: (error as Error).message }, 'demo traffic: spans not exported'),
  });
  const sender = createEventSender({
    url: `${resolved.baseUrl}/v1/events`,
    ...(resolved.token !== undefined ? { token: resolved.token } : {}),
    logger,
    random: seededRandom(Math.floor(seeds() * 2 ** 32)),
    timeoutMs: resolved.requestTimeoutMs,
    resendRate: resolved.resendRate,
    fetch: resolved.fetch,
    now,
  });

  let ready = !resolved.waitForReady;
  let checking = false;
  let stopped = false;
  let traces = 0;

  const tick = () => {
    if (stopped) return;
    if (!ready) {
      if (checking) return;
      checking = true;
      void isReady(resolved).then((ok) => {
        checking = false;
        if (ok && !stopped) {
          ready = true;
          logger.info(
            { baseUrl: resolved.baseUrl },
            'demo traffic: service ready; sending traces and events',
          );
        }
      });
      return;
    }
    const slice = generator.next(tickMs);
    const end = now();
    for (const planned of slice.traces) emitter.emit(planned, end);
    traces += slice.traces.length;
    sender.add(slice.events);
  };
  const ticker = setInterval(tick, tickMs);
  const flusher = setInterval(() => {
    if (ready) void sender.flush();
  }, resolved.eventFlushMs);
  ticker.unref();
  flusher.unref();
  logger.info({ baseUrl: resolved.baseUrl, rate, seed, runId }, 'demo traffic started');

  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= (async () => {
        stopped = true;
        clearInterval(ticker);
        clearInterval(flusher);
        if (ready) await sender.flush();
        await emitter.shutdown();
        logger.info({ traces, events: sender.stats(), unsent: sender.buffered }, 'demo traffic stopped');
      })();
      return stopping;
    },
  };
}
