import type { IngestWrite, IngestWriteResult, Store } from '../../db/index.ts';

/** The queue is full: the caller answers 429 with Retry-After. */
export class IngestOverloadedError extends Error {
  override name = 'IngestOverloadedError';
}

/** The store failed to commit: the caller answers 503 with Retry-After; nothing was acknowledged. */
export class IngestUnavailableError extends Error {
  override name = 'IngestUnavailableError';
}

export interface IngestQueue {
  /**
   * Reserves room for `weight` items (events or spans) or throws IngestOverloadedError. Reserve
   * before doing work whose effects should not happen for a request that is turned away.
   */
  reserve(weight: number): Reservation;
  /** Items reserved or waiting for their commit. */
  pending(): number;
  /** Resolves once every submitted write is committed or failed. */
  drain(): Promise<void>;
}

export interface Reservation {
  /** Commits the write with the next group; resolves once it is on disk. Releases the room after. */
  submit(write: IngestWrite): Promise<IngestWriteResult>;
  /** Gives the room back without writing (the request was rejected after all). */
  release(): void;
}

export interface IngestQueueOptions {
  store: Store;
  /** Most items reserved or waiting at once (settings.ingest.queueLimit). */
  limit: number;
  /** Most requests committed in one transaction (default 256). */
  maxGroup?: number;
  /** Called after each commit with its size and duration, for metrics. */
  onCommit?: (commit: { requests: number; ms: number; error?: unknown }) => void;
}

interface Waiting {
  write: IngestWrite;
  resolve: (result: IngestWriteResult) => void;
  reject: (error: Error) => void;
}

/**
 * Group commit for ingest. Requests that arrive while a commit runs wait and then go to disk
 * together in one transaction (one sync), each in its own savepoint, so an acknowledgement always
 * means committed and throughput does not stop at one disk sync per request. Memory is bounded by
 * the reservation limit: a request that would pass it is turned away before any work is done.
 */
export function createIngestQueue(options: IngestQueueOptions): IngestQueue {
  const maxGroup = options.maxGroup ?? 256;
  let reserved = 0;
  let waiting: Waiting[] = [];
  let running: Promise<void> | undefined;
  let idle: (() => void)[] = [];

  async function commitLoop(): Promise<void> {
    while (waiting.length > 0) {
      const group = waiting.slice(0, maxGroup);
      waiting = waiting.slice(group.length);
      const started = performance.now();
      try {
        const results = await options.store.recordIngest(group.map((w) => w.write));
        options.onCommit?.({ requests: group.length, ms: performance.now() - started });
        for (const [i, w] of group.entries()) w.resolve(results[i] as IngestWriteResult);
      } catch (error) {
        options.onCommit?.({ requests: group.length, ms: performance.now() - started, error });
        const failure = new IngestUnavailableError(`could not commit: ${(error as Error).message}`);
        for (const w of group) w.reject(failure);
      }
    }
  }

  function schedule(): void {
    if (running) return;
    // setImmediate lets every request already parsed in this turn join the group.
    running = new Promise<void>((resolve) => setImmediate(resolve)).then(commitLoop).finally(() => {
      running = undefined;
      if (waiting.length > 0) schedule();
      else {
        const done = idle;
        idle = [];
        for (const resolve of done) resolve();
      }
    });
  }

  return {
    reserve(weight) {
      const size = Math.max(1, weight);
      if (reserved + size > options.limit)
        throw new IngestOverloadedError(
          `ingest queue is full (${reserved} of ${options.limit} items waiting); retry later`,
        );
      reserved += size;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        reserved -= size;
      };
      return {
        submit(write) {
          return new Promise<IngestWriteResult>((resolve, reject) => {
            waiting.push({ write, resolve, reject });
            schedule();
          }).finally(release);
        },
        release,
      };
    },
    pending: () => reserved,
    drain() {
      if (!running && waiting.length === 0) return Promise.resolve();
      return new Promise((resolve) => idle.push(resolve));
    },
  };
}
