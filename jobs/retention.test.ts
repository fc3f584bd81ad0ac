import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../db/index.ts';
import { silentLogger, tempDir } from '../test/helpers.ts';
import { retentionJob } from './retention.ts';

describe('retention job', () => {
  it('deletes only results older than the window, across several batches', async () => {
    const { dir, remove } = await tempDir();
    const store = openStore({ path: join(dir, 'ecotone.db') });
    try {
      const day = 86_400_000;
      const now = 100 * day;
      for (let age = 0; age < 40; age++) {
        await store.recordJobRun({ job: 'x', startedAt: now - age * day, durationMs: 1, outcome: 'success' });
      }
      const job = retentionJob({
        store,
        schedule: '* * * * *',
        windows: { jobRuns: 30 * day },
        batchSize: 4,
      });
      await job.run({ signal: new AbortController().signal, now, logger: silentLogger });
      const left = await store.listJobRuns({ limit: 100 });
      expect(left).toHaveLength(31);
      expect(Math.min(...left.map((r) => r.startedAt))).toBe(now - 30 * day);
    } finally {
      await store.close();
      await remove();
    }
  });

  it('stops between batches once aborted', async () => {
    const { dir, remove } = await tempDir();
    const store = openStore({ path: join(dir, 'ecotone.db') });
    try {
      for (let i = 0; i < 10; i++)
        await store.recordJobRun({ job: 'x', startedAt: i, durationMs: 1, outcome: 'success' });
      const controller = new AbortController();
      controller.abort();
      const job = retentionJob({ store, schedule: '* * * * *', windows: { jobRuns: 1 }, batchSize: 3 });
      await job.run({ signal: controller.signal, now: 1_000, logger: silentLogger });
      expect(await store.listJobRuns({ limit: 100 })).toHaveLength(7);
    } finally {
      await store.close();
      await remove();
    }
  });
});
