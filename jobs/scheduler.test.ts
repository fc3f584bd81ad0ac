import { describe, expect, it } from 'vitest';
import type { JobRun } from '../db/index.ts';
import { deferred, silentLogger } from '../test/helpers.ts';
import { createScheduler } from './scheduler.ts';

describe('scheduler', () => {
  it('times each run and reports it', async () => {
    const runs: JobRun[] = [];
    let clock = 5_000;
    const scheduler = createScheduler({
      logger: silentLogger,
      onRun: (run) => void runs.push(run),
      now: () => clock++,
    });
    scheduler.add({ name: 'ok', schedule: '0 0 1 1 *', run: async () => {} });
    const run = await scheduler.runNow('ok');
    expect(run).toMatchObject({ job: 'ok', startedAt: 5_000, outcome: 'success' });
    expect(run?.durationMs).toBeGreaterThanOrEqual(0);
    expect(runs).toEqual([run]);
  });

  it('records a failing job without throwing, and a failing recorder does not stop it', async () => {
    const scheduler = createScheduler({
      logger: silentLogger,
      onRun: () => {
        throw new Error('recorder down');
      },
    });
    scheduler.add({
      name: 'broken',
      schedule: '0 0 1 1 *',
      run: async () => {
        throw new Error('disk full');
      },
    });
    await expect(scheduler.runNow('broken')).resolves.toMatchObject({
      outcome: 'failure',
      error: 'disk full',
    });
  });

  it('never runs two of the same job at once', async () => {
    const gate = deferred();
    let started = 0;
    const scheduler = createScheduler({ logger: silentLogger });
    scheduler.add({
      name: 'slow',
      schedule: '0 0 1 1 *',
      run: async () => {
        started += 1;
        await gate.promise;
      },
    });
    const first = scheduler.runNow('slow');
    expect(await scheduler.runNow('slow')).toBeUndefined();
    gate.resolve();
    await expect(first).resolves.toMatchObject({ outcome: 'success' });
    expect(started).toBe(1);
  });

  it('runs on its cron schedule once started, and stops cleanly', async () => {
    const runs: JobRun[] = [];
    const scheduler = createScheduler({ logger: silentLogger, onRun: (run) => void runs.push(run) });
    scheduler.add({ name: 'every-second', schedule: '* * * * * *', run: async () => {} });
    expect(scheduler.isRunning()).toBe(false);
    scheduler.start();
    expect(scheduler.isRunning()).toBe(true);
    await expect.poll(() => runs.length, { timeout: 3_000, interval: 50 }).toBeGreaterThan(0);
    await scheduler.stop(1_000);
    expect(scheduler.isRunning()).toBe(false);
    const count = runs.length;
    await new Promise((r) => setTimeout(r, 1_200));
    expect(runs.length).toBe(count);
  });

  it('aborts running jobs on stop and waits for them within the bound', async () => {
    let sawAbort = false;
    const scheduler = createScheduler({ logger: silentLogger });
    scheduler.add({
      name: 'long',
      schedule: '0 0 1 1 *',
      run: ({ signal }) =>
        new Promise<void>((resolve) => {
          signal.addEventListener('abort', () => {
            sawAbort = true;
            setTimeout(resolve, 20);
          });
        }),
    });
    scheduler.start();
    const run = scheduler.runNow('long');
    await scheduler.stop(1_000);
    expect(sawAbort).toBe(true);
    await expect(run).resolves.toMatchObject({ outcome: 'success' });
  });

  it('gives up waiting for a job that ignores the abort after the bound', async () => {
    const scheduler = createScheduler({ logger: silentLogger });
    const gate = deferred();
    let finished = false;
    scheduler.add({ name: 'stuck', schedule: '0 0 1 1 *', run: () => gate.promise });
    scheduler.start();
    const run = scheduler.runNow('stuck')?.then(() => {
      finished = true;
    });
    await scheduler.stop(100);
    expect(finished).toBe(false);
    gate.resolve();
    await run;
    expect(finished).toBe(true);
  });

  it('rejects duplicate and unknown job names', async () => {
    const scheduler = createScheduler({ logger: silentLogger });
    scheduler.add({ name: 'a', schedule: '* * * * *', run: async () => {} });
    expect(() => scheduler.add({ name: 'a', schedule: '* * * * *', run: async () => {} })).toThrow(
      'job "a" is already scheduled',
    );
    await expect(scheduler.runNow('b')).rejects.toThrow('no job named "b"');
  });
});
