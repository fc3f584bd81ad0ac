import type { Logger } from 'pino';
import type { Random } from '../random.ts';
import type { DemoEvent } from './events.ts';

export interface EventSenderOptions {
  /** The full `POST /v1/events` URL. */
  url: string;
  /** Bearer token with the `ingest` scope, when the service requires one. */
  token?: string;
  logger: Logger;
  random: Random;
  /** Most events in one request (default 500). */
  maxBatch?: number;
  /** Most events waiting to be sent; the oldest are dropped beyond (default 20000). */
  maxBuffered?: number;
  /** Timeout of one request, in ms (default 5000). */
  timeoutMs?: number;
  /**
   * Share of acknowledged batches sent once more at once, as a producer does when an
   * acknowledgement is lost, so that idempotency is seen at work (default 0.02).
   */
  resendRate?: number;
  /** Most requests in one flush (default 10), so a backlog drains in a few flushes. */
  maxRequestsPerFlush?: number;
  fetch?: typeof fetch;
  /** Clock for Retry-After, Unix ms (default Date.now). */
  now?: () => number;
}

/** What the sender did so far. */
export interface EventSenderStats {
  /** Events acknowledged (2xx), resends not counted. */
  acknowledged: number;
  /** Requests that failed in a way worth retrying (network, timeout, 429, 5xx), each retried with the same ids. */
  retries: number;
  /** Batches sent again after their acknowledgement. */
  resent: number;
  /** Events given up: rejected with 4xx (logged with the reason) or dropped past maxBuffered. */
  dropped: number;
}

/** Buffers events and sends them in batches; a failed batch is sent again, byte for byte. */
export interface EventSender {
  add(events: readonly DemoEvent[]): void;
  /**
   * Sends what is buffered, up to `maxRequestsPerFlush` requests; stops at the first failure worth
   * retrying (the batch is kept for the next flush, after the server's Retry-After if any). Never
   * throws; concurrent calls share one flush.
   */
  flush(): Promise<void>;
  /** Events not yet acknowledged, the batch being retried included. */
  readonly buffered: number;
  stats(): EventSenderStats;
}

interface Batch {
  body: string;
  count: number;
  attempts: number;
  /** A resend of an acknowledged batch: not resent again, and not counted twice. */
  resend: boolean;
}

type Outcome =
  | { kind: 'ok' }
  | { kind: 'retry'; reason: string; retryAfterMs: number | undefined }
  | { kind: 'rejected'; reason: string };

/** Retry-After as delay-seconds or an HTTP date, in ms from `now`; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const MAX_BACKOFF_MS = 30_000;

/**
 * Creates the sender. Events go as plain JSON (`{ "events": [...] }`) to `url`. A batch that
 * fails with a network error, a timeout, 429 or 5xx is kept and sent again later with the same
 * body, hence the same ids (the service counts them once); one rejected with another 4xx is
 * logged and dropped, since sending it again cannot help.
 * @example
 * const sender = createEventSender({ url: 'http://127.0.0.1:9480/v1/events', logger, random });
 * sender.add(events);
 * await sender.flush();
 */
export function createEventSender(options: EventSenderOptions): EventSender {
  const maxBatch = options.maxBatch ?? 500;
  const maxBuffered = options.maxBuffered ?? 20_000;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const resendRate = options.resendRate ?? 0.02;
  const maxRequests = options.maxRequestsPerFlush ?? 10;
  const send = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const { logger, random } = options;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;

  let buffer: DemoEvent[] = [];
  let pending: Batch | undefined;
  let notBefore = 0;
  let failing = false;
  let overflowing = false;
  let inFlight: Promise<void> | undefined;
  const stats: EventSenderStats = { acknowledged: 0, retries: 0, resent: 0, dropped: 0 };

  async function post(batch: Batch): Promise<Outcome> {
    try {
      const response = await send(options.url, {
        method: 'POST',
        headers,
        body: batch.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text().catch(() => '');
      if (response.ok) return { kind: 'ok' };
      const reason = `HTTP ${response.status}: ${text.slice(0, 300)}`;
      if (response.status === 429 || response.status >= 500)
        return {
          kind: 'retry',
          reason,
          retryAfterMs: retryAfterMs(response.headers.get('retry-after'), now()),
        };
      return { kind: 'rejected', reason };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      return { kind: 'retry', reason: cause ?? (error as Error).message, retryAfterMs: undefined };
    }
  }

  function nextBatch(): Batch | undefined {
    if (pending !== undefined) return pending;
    if (buffer.length === 0) return undefined;
    const events = buffer.slice(0, maxBatch);
    buffer = buffer.slice(events.length);
    pending = { body: JSON.stringify({ events }), count: events.length, attempts: 0, resend: false };
    return pending;
  }

  async function drain(): Promise<void> {
    for (let requests = 0; requests < maxRequests && now() >= notBefore; requests++) {
      const batch = nextBatch();
      if (batch === undefined) return;
      batch.attempts++;
      const outcome = await post(batch);
      if (outcome.kind === 'retry') {
        stats.retries++;
        const backoff = Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** Math.min(batch.attempts - 1, 5));
        notBefore = now() + (outcome.retryAfterMs ?? backoff);
        if (!failing)
          logger.warn(
            { reason: outcome.reason, events: batch.count },
            'demo traffic: events not accepted; retrying with the same ids',
          );
        failing = true;
        return;
      }
      if (failing) logger.info({ attempts: batch.attempts }, 'demo traffic: events accepted again');
      failing = false;
      pending = undefined;
      if (outcome.kind === 'rejected') {
        if (!batch.resend) stats.dropped += batch.count;
        logger.warn({ reason: outcome.reason, events: batch.count }, 'demo traffic: event batch rejected');
        continue;
      }
      if (batch.resend) {
        stats.resent++;
        continue;
      }
      stats.acknowledged += batch.count;
      logger.debug({ events: batch.count }, 'demo traffic: events sent');
      if (random() < resendRate) pending = { ...batch, attempts: 0, resend: true };
    }
  }

  return {
    add(events) {
      buffer.push(...events);
      const excess = buffer.length - maxBuffered;
      if (excess > 0) {
        buffer = buffer.slice(excess);
        stats.dropped += excess;
        if (!overflowing)
          logger.warn(
            { dropped: excess, maxBuffered },
            'demo traffic: event buffer full; dropping the oldest',
          );
        overflowing = true;
      } else overflowing = false;
    },
    flush() {
      inFlight ??= drain().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    get buffered() {
      return buffer.length + (pending !== undefined && !pending.resend ? pending.count : 0);
    },
    stats: () => ({ ...stats }),
  };
}
