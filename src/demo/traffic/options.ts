import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { type Logger, pino } from 'pino';

export interface TrafficOptions {
  /** Where Ecotone listens, e.g. `http://127.0.0.1:9480`: traces go to `/v1/traces`, events to `/v1/events`. */
  baseUrl: string;
  /** Traces started per second, from 0.01 to 1000 (default 2); business events follow, about 1.5 per trace. */
  rate?: number;
  /** Seed of every random choice (default: a new one each start); the same seed replays the same traffic. */
  seed?: number;
  /** Where the traffic logs its start, stop and failures (default: silent). */
  logger?: Logger;
  /** Bearer token with the `ingest` scope, for a service with auth enabled. */
  token?: string;
  /** How often traffic is planned, in ms (default 250). */
  tickMs?: number;
  /** How often buffered events are sent, in ms (default 3000). */
  eventFlushMs?: number;
  /** How often each service exports its spans, in ms (default 2000). */
  spanFlushMs?: number;
  /**
   * Timeout of one export or event request, in ms (default 3000). Also bounds how long `stop`
   * waits for spans it cannot deliver once the service is gone.
   */
  requestTimeoutMs?: number;
  /** Wait for `GET /readyz` to answer 200 before sending anything (default true). */
  waitForReady?: boolean;
  /** Share of acknowledged event batches sent once more, as when an acknowledgement is lost (default 0.02). */
  resendRate?: number;
  /** Clock, Unix ms (default Date.now): event times and where traces are placed. */
  now?: () => number;
  /** HTTP client for events and readiness (default: the global fetch). */
  fetch?: typeof fetch;
  /** Exporter of one service (default: OTLP/HTTP protobuf, gzip, to `${baseUrl}/v1/traces`). */
  exporterFor?: (service: string) => SpanExporter;
}

/** Options with every default filled in. */
export type ResolvedTrafficOptions = Required<Omit<TrafficOptions, 'token' | 'exporterFor'>> &
  Pick<TrafficOptions, 'token' | 'exporterFor'>;

function check(name: string, value: number, min: number, max: number): number {
  if (!Number.isFinite(value) || value < min || value > max)
    throw new RangeError(`demo traffic: ${name} must be a number from ${min} to ${max}, found ${value}`);
  return value;
}

/** Fills the defaults and checks every option; throws a RangeError naming the bad one. */
export function resolveTrafficOptions(options: TrafficOptions): ResolvedTrafficOptions {
  let base: URL;
  try {
    base = new URL(options.baseUrl);
  } catch {
    throw new RangeError(`demo traffic: baseUrl must be an http(s) URL, found "${options.baseUrl}"`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:')
    throw new RangeError(`demo traffic: baseUrl must be an http(s) URL, found "${options.baseUrl}"`);
  const resolved: ResolvedTrafficOptions = {
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    rate: check('rate', options.rate ?? 2, 0.01, 1_000),
    seed: options.seed ?? Math.floor(Math.random() * 2 ** 32),
    logger: options.logger ?? pino({ level: 'silent' }),
    tickMs: check('tickMs', options.tickMs ?? 250, 10, 60_000),
    eventFlushMs: check('eventFlushMs', options.eventFlushMs ?? 3_000, 10, 600_000),
    spanFlushMs: check('spanFlushMs', options.spanFlushMs ?? 2_000, 10, 600_000),
    requestTimeoutMs: check('requestTimeoutMs', options.requestTimeoutMs ?? 3_000, 10, 600_000),
    waitForReady: options.waitForReady ?? true,
    resendRate: check('resendRate', options.resendRate ?? 0.02, 0, 1),
    now: options.now ?? Date.now,
    fetch: options.fetch ?? fetch,
  };
  if (options.token !== undefined) resolved.token = options.token;
  if (options.exporterFor !== undefined) resolved.exporterFor = options.exporterFor;
  return resolved;
}
