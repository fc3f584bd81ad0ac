import { setImmediate as nextTurn } from 'node:timers/promises';
import { KPI_FOLDS, type KpiFoldName } from '../../db/index.ts';
import type { KpiStore, KpiTask } from './types.ts';

export interface KpiFoldOptions {
  store: Pick<KpiStore, 'foldKpiEvents' | 'sealKpiCalls'>;
  /** How late an event may be and still count at its own time, ms; also how long request minutes stay open. */
  lateness: number;
  /** Most events per fold transaction. */
  batchSize: number;
}

export interface KpiFoldRun {
  /** Events folded by this call (0 when nothing new arrived). */
  events: number;
  /** Request-minute rows sealed into day rollups. */
  minutes: number;
}

/** The folds a task runs: `fold` all of them, a family its own (`health` none). */
const foldsOf = (task: KpiTask): readonly KpiFoldName[] =>
  task === 'fold' ? KPI_FOLDS : (KPI_FOLDS as readonly string[]).includes(task) ? [task as KpiFoldName] : [];

/**
 * The incremental step every KPI job starts with: folds the events of the family's own types
 * that arrived since the family's watermark into its rollups (in batches, each one transaction
 * with the watermark), and seals request minutes older than the lateness window. `health` folds
 * no events: it reads what the others fold; `fold` (the `kpi:fold` job) runs every family's
 * fold, so a family's own run finds only what arrived since. Calls are serialised; a second call
 * with nothing new reads no event. A `fold` call that finds another call in progress or waiting
 * returns at once with nothing folded: it would only queue behind it (a long catch-up after
 * downtime), and its next tick folds what is left.
 *
 * @example
 * const fold = createKpiFold({ store, lateness: 600_000, batchSize: 1_000_000 });
 * await fold('usage', Date.now()); // { events: 1200, minutes: 44 }
 */
export function createKpiFold(
  options: KpiFoldOptions,
): (task: KpiTask, now: number, signal?: AbortSignal) => Promise<KpiFoldRun> {
  let chain: Promise<unknown> = Promise.resolve();
  let pending = 0;
  async function run(task: KpiTask, now: number, signal?: AbortSignal): Promise<KpiFoldRun> {
    let events = 0;
    for (const fold of foldsOf(task))
      while (!signal?.aborted) {
        const result = await options.store.foldKpiEvents({
          fold,
          lateness: options.lateness,
          limit: options.batchSize,
          now,
        });
        events += result.events;
        if (result.events < options.batchSize) break;
        // Let messages (an abort) and other work in between two transactions.
        await nextTurn();
      }
    const until = Math.floor((now - options.lateness) / 60_000) * 60_000;
    const sealed = await options.store.sealKpiCalls({ until, now });
    return { events, minutes: sealed.rows };
  }
  return (task, now, signal) => {
    if (task === 'fold' && pending > 0) return Promise.resolve({ events: 0, minutes: 0 });
    pending++;
    const next = chain.then(() => run(task, now, signal)).finally(() => pending--);
    chain = next.catch(() => {});
    return next;
  };
}
