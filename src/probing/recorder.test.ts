import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScheduledRun } from '../../collector/probes/scheduler.ts';
import { openStore, type Store } from '../../db/index.ts';
import { silentLogger, tempDir } from '../../test/helpers.ts';
import { createProbeRecorder } from './recorder.ts';

const thresholds = { failureThreshold: 2, successThreshold: 1, latencyTargetMs: 1_000 };

function run(at: number, success: boolean): ScheduledRun {
  return {
    target: {
      integrationId: 'psp',
      version: '1',
      spec: {
        type: 'tcp',
        host: 'h',
        port: 1,
        interval: 1_000,
        timeout: 500,
        conditions: [],
        maxBodyBytes: 1,
      },
    },
    scheduledAt: at,
    startedAt: at,
    result: success
      ? { success, durationMs: 5 }
      : { success, durationMs: 5, failure: { class: 'connect_refused', reason: 'refused' } },
  };
}

describe('probe recorder', () => {
  it('keeps transitions and their notifications when a flush fails, and writes them with the next', async () => {
    const { dir, remove } = await tempDir();
    const real = openStore({ path: join(dir, 'e.db') });
    let failNext = true;
    const store: Store = {
      ...real,
      recordProbeBatch: async (batch) => {
        if (failNext) {
          failNext = false;
          throw new Error('disk full');
        }
        return real.recordProbeBatch(batch);
      },
    };
    const recorder = createProbeRecorder({
      store,
      logger: silentLogger,
      bucketBounds: [10, 100],
      flushIntervalMs: 60_000,
      plan: (t) => [
        {
          key: `${t.at}:${t.to}`,
          channelId: 'ops',
          integrationId: t.integrationId,
          payload: { to: t.to },
          createdAt: t.at,
        },
      ],
    });
    try {
      await recorder.start();
      recorder.record(run(1_000, true), thresholds);
      recorder.record(run(2_000, false), thresholds);
      recorder.record(run(3_000, false), thresholds);
      await recorder.flush();
      expect(await real.listStatusTransitions({ limit: 10 })).toEqual([]);
      recorder.record(run(4_000, true), thresholds);
      await recorder.flush();
      const transitions = await real.listStatusTransitions({ limit: 10 });
      expect(transitions.map((t) => `${t.from}>${t.to}`)).toEqual([
        'down>healthy',
        'healthy>down',
        'unknown>healthy',
      ]);
      expect(await real.listProbeRuns({ integrationId: 'psp', limit: 10 })).toHaveLength(4);
      const queued: string[] = [];
      for (let due = await real.dueNotifications({ now: 10_000, limit: 10 }); due.length > 0; ) {
        for (const n of due) {
          queued.push(n.key);
          await real.markNotification(n.id, { delivered: 10_000 });
        }
        due = await real.dueNotifications({ now: 10_000, limit: 10 });
      }
      expect(queued).toEqual(['1000:healthy', '3000:down', '4000:healthy']);
      expect((await real.listStatusStates())[0]).toMatchObject({ status: 'healthy', since: 4_000 });
      expect(recorder.aggregates().get('psp')).toMatchObject({
        runs: 4,
        outcomes: new Map([
          ['success', 2],
          ['connect_refused', 2],
        ]),
      });
    } finally {
      await recorder.stop();
      await real.close();
      await remove();
    }
  });
});
