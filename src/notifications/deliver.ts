import type { Store, StoredOutboxEntry } from '../../db/index.ts';
import type { NotificationChannel, Settings } from '../config/index.ts';
import type { Logger } from '../logger.ts';
import { postJson } from './post.ts';

/** The store methods delivery uses. */
export type NotifierStore = Pick<Store, 'dueNotifications' | 'markNotification'>;
/** `settings.notifications`, durations in ms. */
export type NotificationSettings = Settings['notifications'];

export interface NotifierOptions {
  store: NotifierStore;
  /** The configured channels, read on every pass so a reload applies without a restart. */
  channels: () => readonly NotificationChannel[];
  /** Attempts per message, backoff bounds and per-attempt timeout (ms). */
  settings: NotificationSettings;
  logger: Logger;
  /** Clock for due times and backoff, Unix ms (default `Date.now`). */
  now?: () => number;
  /** HTTP client (default the global `fetch`). */
  fetch?: typeof globalThis.fetch;
  /** Most deliveries in flight at once (default 4). */
  concurrency?: number;
  /** Most messages taken from the store per pass (default 100). */
  batchSize?: number;
  /** Longest sleep between passes in ms, so retries left by an earlier process are found (default 5000). */
  maxIdle?: number;
}

/** What one pass did. */
export interface DeliveryPass {
  /** Messages handed out as due during the pass. */
  due: number;
  delivered: number;
  retried: number;
  abandoned: number;
}

export interface Notifier {
  /** Starts the delivery loop in the background. */
  start(): void;
  /**
   * Stops the loop, letting deliveries in flight finish for up to `timeoutMs`, then aborting them;
   * an aborted message is not marked, so it stays due and the next process sends it.
   */
  stop(timeoutMs: number): Promise<void>;
  /** Runs a pass soon: call after a flush enqueued something. */
  wake(): void;
  /** One pass over the due messages (passes never overlap). Never rejects. */
  deliverDue(): Promise<DeliveryPass>;
}

export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_BATCH_SIZE = 100;
export const DEFAULT_MAX_IDLE_MS = 5_000;
/** Most store reads in one pass. */
const MAX_ROUNDS = 20;
/** How long `stop` waits for aborted deliveries to wind down. */
const ABORT_GRACE_MS = 1_000;

/**
 * Wait in ms before the next attempt, after `failedAttempts` (1 after the first failure):
 * `initialBackoff * 2^(failedAttempts - 1)`, capped at `maxBackoff`.
 */
export function retryDelay(failedAttempts: number, settings: NotificationSettings): number {
  return Math.min(settings.maxBackoff, settings.initialBackoff * 2 ** Math.max(0, failedAttempts - 1));
}

async function runLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

async function within(promise: Promise<unknown> | undefined, ms: number): Promise<boolean> {
  if (!promise) return true;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const settled = await Promise.race([promise.then(() => true), timedOut]);
  clearTimeout(timer);
  return settled;
}

/**
 * Delivers the notification outbox: each pass takes the due messages oldest first, POSTs each as
 * JSON to its channel (messages of one channel and integration in order, at most `concurrency`
 * at once) and records the outcome: delivered on a 2xx, else retried with exponential backoff or
 * abandoned after `settings.attempts`. A message whose channel left the config is abandoned.
 * Logs name the channel id, never its URL (it may hold a token) or the payload. Nothing here throws.
 *
 * @example
 * const notifier = createNotifier({ store, channels: () => config.notifications.channels,
 *   settings: config.settings.notifications, logger });
 * notifier.start();
 * // after each flush that enqueued notifications:
 * notifier.wake();
 */
export function createNotifier(options: NotifierOptions): Notifier {
  const { store, settings, logger } = options;
  const now = options.now ?? Date.now;
  const fetch = options.fetch ?? globalThis.fetch;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const maxIdle = options.maxIdle ?? DEFAULT_MAX_IDLE_MS;
  let controller = new AbortController();
  let running = false;
  let loop: Promise<void> | undefined;
  let woken = false;
  let interrupt: (() => void) | undefined;
  let retryTimes: number[] = [];
  let previousPass: Promise<unknown> = Promise.resolve();

  async function mark(entry: StoredOutboxEntry, outcome: Parameters<Store['markNotification']>[1]) {
    try {
      await store.markNotification(entry.id, outcome);
    } catch (error) {
      logger.error(
        { err: error, channel: entry.channelId, notification: entry.id },
        'could not record delivery',
      );
    }
  }

  async function deliverOne(
    entry: StoredOutboxEntry,
    channels: Map<string, NotificationChannel>,
    signal: AbortSignal,
    pass: DeliveryPass,
  ) {
    const attempt = entry.attempts + 1;
    const fields = {
      channel: entry.channelId,
      integration: entry.integrationId,
      notification: entry.id,
      attempt,
    };
    const channel = channels.get(entry.channelId);
    if (!channel) {
      const error = 'channel no longer configured';
      await mark(entry, { abandonedAt: now(), error });
      logger.warn({ ...fields, error }, 'notification abandoned');
      pass.abandoned += 1;
      return;
    }
    const outcome = await postJson({
      url: channel.url,
      body: entry.payload,
      headers: channel.headers,
      timeoutMs: settings.timeout,
      signal,
      fetch,
    });
    if (outcome.ok) {
      await mark(entry, { delivered: now() });
      logger.debug({ ...fields, status: outcome.status }, 'notification delivered');
      pass.delivered += 1;
    } else if (outcome.aborted) {
      logger.info(fields, 'notification delivery aborted at shutdown; it stays queued');
    } else if (attempt >= settings.attempts) {
      await mark(entry, { abandonedAt: now(), error: outcome.error });
      logger.error({ ...fields, error: outcome.error }, 'notification abandoned after its last attempt');
      pass.abandoned += 1;
    } else {
      const retryAt = now() + retryDelay(attempt, settings);
      await mark(entry, { retryAt, error: outcome.error });
      retryTimes.push(retryAt);
      logger.warn(
        { ...fields, error: outcome.error, retryAt: new Date(retryAt).toISOString() },
        'notification failed',
      );
      pass.retried += 1;
    }
  }

  async function pass(): Promise<DeliveryPass> {
    const result: DeliveryPass = { due: 0, delivered: 0, retried: 0, abandoned: 0 };
    const signal = controller.signal;
    try {
      // The store hands out only the oldest pending message per (channel, integration); settling
      // one can make the next due, so the pass goes on while rounds settle something.
      for (let round = 0; round < MAX_ROUNDS && !signal.aborted; round++) {
        const due = await store.dueNotifications({ now: now(), limit: batchSize });
        result.due += due.length;
        if (due.length === 0) break;
        const settledBefore = result.delivered + result.abandoned;
        const channels = new Map(options.channels().map((channel) => [channel.id, channel]));
        const queues = Map.groupBy(due, (entry) => `${entry.channelId}\n${entry.integrationId}`);
        await runLimited([...queues.values()], concurrency, async (queue) => {
          for (const entry of queue) {
            if (signal.aborted) return;
            await deliverOne(entry, channels, signal, result);
          }
        });
        if (result.delivered + result.abandoned === settledBefore) break;
      }
    } catch (error) {
      logger.error({ err: error }, 'notification pass failed');
    }
    return result;
  }

  function deliverDue(): Promise<DeliveryPass> {
    const run = previousPass.then(pass);
    previousPass = run;
    return run;
  }

  function nextWait(): number {
    const at = now();
    retryTimes = retryTimes.filter((time) => time > at);
    const soonest = retryTimes.reduce((min, time) => Math.min(min, time), Number.POSITIVE_INFINITY);
    return Math.max(0, Math.min(maxIdle, soonest - at));
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        interrupt = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      interrupt = done;
    });
  }

  async function runLoop() {
    while (running) {
      woken = false;
      const result = await deliverDue();
      if (!running) break;
      const progressed = result.delivered + result.retried + result.abandoned > 0;
      if (woken || (result.due >= batchSize && progressed)) continue;
      await sleep(nextWait());
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      controller = new AbortController();
      loop = runLoop().catch((error: unknown) => logger.error({ err: error }, 'notification loop failed'));
    },
    async stop(timeoutMs) {
      if (!running) return;
      running = false;
      interrupt?.();
      if (!(await within(loop, timeoutMs))) {
        logger.warn({ timeoutMs }, 'notifications still in flight at shutdown; aborting them');
        controller.abort();
        await within(loop, ABORT_GRACE_MS);
      }
      loop = undefined;
    },
    wake() {
      woken = true;
      interrupt?.();
    },
    deliverDue,
  };
}
