import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, PRUNABLE_KINDS, type PrunableKind } from '../db/index.ts';
import { silentLogger, tempDir } from '../test/helpers.ts';
import { retentionJob } from './retention.ts';

const day = 86_400_000;

/** A retention window for every kind: `fallback` unless set in `windows`. */
function allWindows(fallback: number, windows: Partial<Record<PrunableKind, number>> = {}) {
  return Object.fromEntries(PRUNABLE_KINDS.map((k) => [k, windows[k] ?? fallback])) as Record<
    PrunableKind,
    number
  >;
}

describe('retention job', () => {
  it('deletes only results older than the window, across several batches', async () => {
    const { dir, remove } = await tempDir();
    const store = openStore({ path: join(dir, 'ecotone.db') });
    try {
      const now = 100 * day;
      for (let age = 0; age < 40; age++) {
        await store.recordJobRun({ job: 'x', startedAt: now - age * day, durationMs: 1, outcome: 'success' });
      }
      const job = retentionJob({
        store,
        schedule: '* * * * *',
        windows: allWindows(30 * day),
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

  it('prunes probe runs and minute rollups by their own windows, keeping day rollups', async () => {
    const { dir, remove } = await tempDir();
    const store = openStore({ path: join(dir, 'ecotone.db') });
    try {
      const now = 100 * day;
      const runs = Array.from({ length: 10 }, (_, age) => ({
        integrationId: 'pay',
        startedAt: now - age * day,
        durationMs: 20,
        success: age % 2 === 0,
      }));
      await store.recordProbeBatch({ runs, states: [], transitions: [], notifications: [] });
      const job = retentionJob({
        store,
        schedule: '* * * * *',
        windows: allWindows(365 * day, { probeResults: 7 * day, probeRollupsMinute: 2 * day }),
        batchSize: 3,
      });
      await job.run({ signal: new AbortController().signal, now, logger: silentLogger });

      const left = await store.listProbeRuns({ integrationId: 'pay', limit: 100 });
      expect(left.map((r) => (now - r.startedAt) / day)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      const everything = { from: 0, to: now + day };
      expect(await store.availability({ resolution: 'minute', ...everything })).toEqual([
        { integrationId: 'pay', runs: 3, successes: 2 },
      ]);
      expect(await store.availability({ resolution: 'day', ...everything })).toEqual([
        { integrationId: 'pay', runs: 10, successes: 5 },
      ]);
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
      const job = retentionJob({ store, schedule: '* * * * *', windows: allWindows(1), batchSize: 3 });
      await job.run({ signal: controller.signal, now: 1_000, logger: silentLogger });
      expect(await store.listJobRuns({ limit: 100 })).toHaveLength(7);
    } finally {
      await store.close();
      await remove();
    }
  });
});
