import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { PRUNABLE_KINDS, type PrunableKind, type Store } from '../db/index.ts';
import type { Job } from './scheduler.ts';

export interface RetentionOptions {
  store: Store;
  /** Cron expression for the job. */
  schedule: string;
  /** How long each kind of result is kept, in milliseconds. */
  windows: Record<PrunableKind, number>;
  /** Rows deleted per statement, so one prune never holds the write lock for long. */
  batchSize: number;
}

/**
 * Deletes results older than their retention window, in batches of `batchSize`, yielding to the
 * event loop between batches and stopping early when the scheduler stops.
 */
export function retentionJob(options: RetentionOptions): Job {
  const { store, windows, batchSize } = options;
  return {
    name: 'retention',
    schedule: options.schedule,
    async run({ signal, now, logger }) {
      for (const kind of PRUNABLE_KINDS) {
        const before = now - windows[kind];
        let deleted = 0;
        for (;;) {
          const n = await store.prune(kind, before, batchSize);
          deleted += n;
          if (n < batchSize || signal.aborted) break;
          await yieldToEventLoop();
        }
        if (deleted > 0)
          logger.info({ kind, deleted, before: new Date(before).toISOString() }, 'pruned old results');
      }
    },
  };
}
