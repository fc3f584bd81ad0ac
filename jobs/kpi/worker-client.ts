import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { StoreOptions } from '../../db/index.ts';
import type { QualityBySystem } from './health.ts';
import type { KpiRunner, KpiRunnerOptions, KpiRunResult } from './runner.ts';
import type { KpiTask } from './types.ts';

/** What the worker is started with: where the store is and how to run the families. */
export interface KpiWorkerData {
  store: StoreOptions;
  runner: Omit<KpiRunnerOptions, 'store' | 'quality'>;
}

export type KpiWorkerRequest =
  | { type: 'run'; id: number; task: KpiTask; now: number; quality?: ReadonlyMap<string, string> }
  | { type: 'abort'; id: number }
  /** Close the connection and end the thread. */
  | { type: 'close' };

export type KpiWorkerReply =
  | { id: number; ok: true; result: KpiRunResult }
  | { id: number; ok: false; error: string };

export interface KpiWorkerOptions extends Omit<KpiRunnerOptions, 'store'> {
  /** The store's file and its settings; the worker opens its own connection to it (not `:memory:`). */
  store: StoreOptions;
  logger: Logger;
}

export interface KpiWorker {
  /** Runs a family (or the `fold` task) on the worker, starting one if none is running; rejects when the worker fails. */
  run: KpiRunner;
  /** Waits for the runs in flight (up to `timeoutMs`), then ends the worker. Later runs reject. */
  stop(timeoutMs: number): Promise<void>;
}

interface Pending {
  /** The worker the run was sent to: only its crash fails the run. */
  worker: Worker;
  resolve: (result: KpiRunResult) => void;
  reject: (error: Error) => void;
}

/**
 * The KPI runs on a `node:worker_threads` Worker with its own SQLite connection, so the fold and
 * the KPI queries use the second core instead of blocking ingest on the main thread. The worker
 * starts at the first run; one that crashes is logged, its runs fail, and the next run starts a
 * fresh one. Folds run in transactions of at most `batchSize` events (`settings.kpis.batchSize`).
 *
 * @example
 * const worker = startKpiWorker({ store: { path, busyTimeout }, lateness, batchSize, snapshotInterval, health, logger });
 * const { values } = await worker.run('usage', Date.now(), signal);
 * await worker.stop(10_000);
 */
export function startKpiWorker(options: KpiWorkerOptions): KpiWorker {
  if (options.store.path === ':memory:')
    throw new Error('the KPI worker needs a database file, not :memory:');
  const data: KpiWorkerData = {
    store: options.store,
    runner: {
      lateness: options.lateness,
      batchSize: options.batchSize,
      snapshotInterval: options.snapshotInterval,
      health: options.health,
    },
  };
  const quality: QualityBySystem | undefined = options.quality;
  let worker: Worker | undefined;
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let stopped = false;
  const inFlight = new Set<Promise<void>>();

  const waitsOn = (w: Worker) => [...pending.values()].some((p) => p.worker === w);

  /** Rejects the runs sent to `to` (all runs when left out). */
  function failAll(error: Error, to?: Worker) {
    for (const [id, p] of pending)
      if (to === undefined || p.worker === to) {
        pending.delete(id);
        p.reject(error);
      }
  }

  function spawn(): Worker {
    const w = new Worker(new URL('./kpi-worker.ts', import.meta.url), { workerData: data });
    w.unref();
    w.on('message', (reply: KpiWorkerReply) => {
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if (!waitsOn(w)) w.unref();
      if (reply.ok) p.resolve(reply.result);
      else p.reject(new Error(reply.error));
    });
    w.on('error', (error) => {
      options.logger.error({ err: error }, 'kpi worker crashed');
      if (worker === w) worker = undefined;
      failAll(new Error(`kpi worker crashed: ${error.message}`), w);
    });
    w.on('exit', (code) => {
      if (worker === w) worker = undefined;
      if (!waitsOn(w)) return;
      if (!stopped) options.logger.error({ code }, 'kpi worker crashed');
      failAll(new Error(`kpi worker crashed: exited with code ${code}`), w);
    });
    return w;
  }

  async function run(task: KpiTask, now: number, signal: AbortSignal): Promise<KpiRunResult> {
    if (stopped) throw new Error('kpi worker stopped');
    worker ??= spawn();
    const w = worker;
    const id = nextId++;
    const onAbort = () => w.postMessage({ type: 'abort', id } satisfies KpiWorkerRequest);
    const result = new Promise<KpiRunResult>((resolve, reject) =>
      pending.set(id, { worker: w, resolve, reject }),
    );
    try {
      w.postMessage({ type: 'run', id, task, now, quality: quality?.() } satisfies KpiWorkerRequest);
    } catch (error) {
      pending.delete(id);
      throw error;
    }
    w.ref();
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    const settled = result.then(
      () => {},
      () => {},
    );
    inFlight.add(settled);
    void settled.finally(() => inFlight.delete(settled));
    try {
      return await result;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  return {
    run,
    async stop(timeoutMs) {
      if (stopped) return;
      stopped = true;
      if (inFlight.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.all(inFlight),
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, timeoutMs);
          }),
        ]);
        clearTimeout(timer);
      }
      const w = worker;
      worker = undefined;
      if (w) await close(w, timeoutMs);
      failAll(new Error('kpi worker stopped'));
    },
  };
}

/** Asks the worker to close its connection and end; ends it by force if it has not within `timeoutMs`. */
async function close(worker: Worker, timeoutMs: number): Promise<void> {
  const exited = once(worker, 'exit').then(() => true);
  worker.postMessage({ type: 'close' } satisfies KpiWorkerRequest);
  let timer: NodeJS.Timeout | undefined;
  const closed = await Promise.race([
    exited,
    new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (!closed) await worker.terminate();
}
