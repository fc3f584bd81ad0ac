/**
 * The KPI worker thread: opens its own connection to the store's SQLite file and runs the KPI
 * families the main thread asks for, one message per run, so the fold's SQLite work never blocks
 * the main thread's event loop. Started by {@link startKpiWorker}; see worker-client.ts for the
 * messages.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../../db/index.ts';
import { createKpiRunner } from './runner.ts';
import type { KpiWorkerData, KpiWorkerReply, KpiWorkerRequest } from './worker-client.ts';

const data = workerData as KpiWorkerData;
const port = parentPort;
if (!port) throw new Error('kpi-worker.ts runs only as a worker thread');

const store = openStore(data.store);
let quality: ReadonlyMap<string, string> | undefined;
const run = createKpiRunner({ ...data.runner, store, quality: () => quality ?? new Map() });
const running = new Map<number, AbortController>();

port.on('message', async (message: KpiWorkerRequest) => {
  if (message.type === 'close') {
    for (const controller of running.values()) controller.abort(new Error('kpi worker closing'));
    await store.close();
    port.close();
    return;
  }
  if (message.type === 'abort') {
    running.get(message.id)?.abort(new Error('kpi run aborted'));
    return;
  }
  const controller = new AbortController();
  running.set(message.id, controller);
  let reply: KpiWorkerReply;
  try {
    if (message.quality) quality = message.quality;
    reply = { id: message.id, ok: true, result: await run(message.task, message.now, controller.signal) };
  } catch (error) {
    reply = { id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    running.delete(message.id);
  }
  port.postMessage(reply);
});
