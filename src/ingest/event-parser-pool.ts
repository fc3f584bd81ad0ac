import { Worker } from 'node:worker_threads';
import type { EventFormat, ParseEventBatchOptions } from '../../collector/events/index.ts';
import { type ParsedEvents, parseEventBody } from './event-parser.ts';
import type { ParseRequest } from './event-parser-worker.ts';

export interface EventParserPool {
  /** Parses a batch on a worker thread (or inline with no threads). */
  parse(body: Uint8Array, format: EventFormat, options: ParseEventBatchOptions): Promise<ParsedEvents>;
  /** Resolves once every thread has loaded its modules (starting one takes a few hundred ms). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

interface Pending {
  resolve: (result: ParsedEvents) => void;
  reject: (error: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  pending: Map<number, Pending>;
  ready: Promise<void>;
}

const WORKER_URL = new URL('./event-parser-worker.ts', import.meta.url);

/**
 * Event parsing (JSON, validation, hashing) on worker threads, so the main thread is left with
 * the SQLite commit: on a 2-core machine the two run side by side. Work goes to the worker with
 * the fewest batches in flight. A worker that dies fails its batches (the route answers 503) and
 * is replaced. With `threads: 0` everything runs inline.
 */
export function createEventParserPool(options: {
  threads: number;
  onError?: (error: Error) => void;
}): EventParserPool {
  const workers: PoolWorker[] = [];
  let nextId = 0;
  let closed = false;

  function spawn(): PoolWorker {
    const worker = new Worker(WORKER_URL);
    let loaded: () => void = () => {};
    const entry: PoolWorker = {
      worker,
      pending: new Map(),
      ready: new Promise<void>((resolve) => {
        loaded = resolve;
      }),
    };
    entry.worker.unref();
    entry.worker.on(
      'message',
      (message: { id: number; result?: ParsedEvents; error?: string; ready?: true }) => {
        if (message.ready) return loaded();
        const pending = entry.pending.get(message.id);
        if (!pending) return;
        entry.pending.delete(message.id);
        if (message.result) pending.resolve(message.result);
        else pending.reject(new Error(`event parser failed: ${message.error}`));
      },
    );
    const fail = (error: Error) => {
      for (const pending of entry.pending.values()) pending.reject(error);
      entry.pending.clear();
      const index = workers.indexOf(entry);
      if (index !== -1 && !closed) {
        options.onError?.(error);
        workers[index] = spawn();
      }
    };
    entry.worker.on('error', fail);
    entry.worker.on('exit', (code) => {
      if (!closed) fail(new Error(`event parser thread exited with code ${code}`));
    });
    return entry;
  }

  for (let i = 0; i < options.threads; i++) workers.push(spawn());

  return {
    parse(body, format, parseOptions) {
      if (workers.length === 0) return Promise.resolve(parseEventBody(body, format, parseOptions));
      const entry = workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const id = nextId++;
      // Transfer the bytes: copy first when the view shares its buffer with anything else.
      const owned =
        body.byteOffset === 0 && body.byteLength === body.buffer.byteLength
          ? (body.buffer as ArrayBuffer)
          : body.slice().buffer;
      return new Promise<ParsedEvents>((resolve, reject) => {
        entry.pending.set(id, { resolve, reject });
        const request: ParseRequest = { id, body: owned, format, options: parseOptions };
        entry.worker.postMessage(request, [owned]);
      });
    },
    async ready() {
      await Promise.all(workers.map((w) => w.ready));
    },
    async close() {
      closed = true;
      await Promise.all(workers.map((w) => w.worker.terminate()));
    },
  };
}
