import { setImmediate as nextTurn } from 'node:timers/promises';
import { KPI_FOLDS, type KpiFoldName } from '../../db/index.ts';
import type { KpiFamily, KpiStore } from './types.ts';

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

const isFold = (family: KpiFamily): family is KpiFoldName =>
  (KPI_FOLDS as readonly string[]).includes(family);

/**
 * The incremental step every KPI job starts with: folds the events of the family's own types
 * that arrived since the family's watermark into its rollups (in batches, each one transaction
 * with the watermark), and seals request minutes older than the lateness window. `health` folds
 * no events: it reads what the others fold. Calls are serialised; a second call with nothing new
 * reads no event.
 *
 * @example
 * const fold = createKpiFold({ store, lateness: 600_000, batchSize: 1_000_000 });
 * await fold('usage', Date.now()); // { events: 1200, minutes: 44 }
 */
export function createKpiFold(
  options: KpiFoldOptions,
): (family: KpiFamily, now: number, signal?: AbortSignal) => Promise<KpiFoldRun> {
  let chain: Promise<unknown> = Promise.resolve();
  async function run(family: KpiFamily, now: number, signal?: AbortSignal): Promise<KpiFoldRun> {
    let events = 0;
    while (isFold(family)) {
      const result = await options.store.foldKpiEvents({
        fold: family,
        lateness: options.lateness,
        limit: options.batchSize,
        now,
      });
      events += result.events;
      if (result.events < options.batchSize || signal?.aborted) break;
      // Let messages (an abort) and other work in between two transactions.
      await nextTurn();
    }
    const until = Math.floor((now - options.lateness) / 60_000) * 60_000;
    const sealed = await options.store.sealKpiCalls({ until, now });
    return { events, minutes: sealed.rows };
  }
  return (family, now, signal) => {
    const next = chain.then(() => run(family, now, signal));
    chain = next.catch(() => {});
    return next;
  };
}
