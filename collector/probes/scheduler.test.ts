import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../test/helpers.ts';
import {
  createProbeScheduler,
  nextSlot,
  type ProbeScheduler,
  phaseOffset,
  type ScheduledRun,
} from './scheduler.ts';
import type { ProbeResult, TcpProbeSpec } from './types.ts';

const spec = (interval: number): TcpProbeSpec => ({
  type: 'tcp',
  host: '127.0.0.1',
  port: 1,
  interval,
  timeout: interval - 10,
  conditions: [],
  maxBodyBytes: 1024,
});

const ok: ProbeResult = { success: true, durationMs: 1 };

describe('phase and slots', () => {
  it('spreads ids over the interval and keeps each on its grid', () => {
    const offsets = Array.from({ length: 1000 }, (_, i) => phaseOffset(`integration-${i}`, 30_000));
    const perSecond = new Array(30).fill(0);
    for (const o of offsets) perSecond[Math.floor(o / 1000)] += 1;
    expect(Math.max(...perSecond)).toBeLessThan(60);
    expect(Math.min(...perSecond)).toBeGreaterThan(10);
    expect(nextSlot(10_000, 30_000, 5_000)).toBe(35_000);
    expect(nextSlot(35_000, 30_000, 5_000)).toBe(65_000);
    expect(nextSlot(4_000, 30_000, 5_000)).toBe(5_000);
  });
});

describe('probe scheduler', () => {
  let scheduler: ProbeScheduler | undefined;
  afterEach(async () => {
    await scheduler?.stop(1_000);
  });

  it('keeps the cadence of healthy targets while one hangs until its timeout', async () => {
    const runs: ScheduledRun[] = [];
    scheduler = createProbeScheduler({
      targets: async () => [
        { integrationId: 'hung', spec: spec(100), version: '1' },
        { integrationId: 'fast', spec: spec(100), version: '1' },
      ],
      refreshMs: 60_000,
      concurrency: 2,
      logger: silentLogger,
      onRun: (run) => runs.push(run),
      run: (target, signal) =>
        target.integrationId === 'hung'
          ? new Promise((resolve) => {
              const timer = setTimeout(() => resolve({ success: false, durationMs: 90 }), 90);
              signal.addEventListener('abort', () => clearTimeout(timer));
            })
          : Promise.resolve(ok),
    });
    await scheduler.start();
    await expect
      .poll(() => runs.filter((r) => r.target.integrationId === 'fast').length, { timeout: 5_000 })
      .toBeGreaterThanOrEqual(6);
    const fast = runs.filter((r) => r.target.integrationId === 'fast');
    const gaps = fast.slice(1).map((r, i) => r.scheduledAt - (fast[i] as ScheduledRun).scheduledAt);
    expect(new Set(gaps)).toEqual(new Set([100]));
    expect(runs.some((r) => r.target.integrationId === 'hung')).toBe(true);
  });

  it('never runs more than the concurrency bound at once', async () => {
    let current = 0;
    let peak = 0;
    const targets = Array.from({ length: 20 }, (_, i) => ({
      integrationId: `t${i}`,
      spec: spec(50),
      version: '1',
    }));
    let done = 0;
    scheduler = createProbeScheduler({
      targets: async () => targets,
      refreshMs: 60_000,
      concurrency: 3,
      logger: silentLogger,
      onRun: () => {
        done += 1;
      },
      run: async () => {
        current += 1;
        peak = Math.max(peak, current);
        await new Promise((r) => setTimeout(r, 5));
        current -= 1;
        return ok;
      },
    });
    await scheduler.start();
    await expect.poll(() => done, { timeout: 5_000 }).toBeGreaterThanOrEqual(40);
    expect(peak).toBe(3);
  });

  it('picks up added, changed and removed targets on refresh', async () => {
    let targets = [{ integrationId: 'a', spec: spec(60_000), version: '1' }];
    scheduler = createProbeScheduler({
      targets: async () => targets,
      refreshMs: 60_000,
      concurrency: 2,
      logger: silentLogger,
      onRun: () => {},
      run: async () => ok,
    });
    await scheduler.start();
    expect(scheduler.size()).toBe(1);
    targets = [{ integrationId: 'b', spec: spec(60_000), version: '1' }];
    await scheduler.refresh();
    expect(scheduler.size()).toBe(1);
    expect(await scheduler.runNow('a')).toBeUndefined();
    expect(await scheduler.runNow('b')).toMatchObject({ result: ok, target: { integrationId: 'b' } });
  });

  it('aborts runs in flight when stopped', async () => {
    let aborted = false;
    scheduler = createProbeScheduler({
      targets: async () => [{ integrationId: 'a', spec: spec(60_000), version: '1' }],
      refreshMs: 60_000,
      concurrency: 1,
      logger: silentLogger,
      onRun: () => {},
      run: (_t, signal) =>
        new Promise((resolve) => {
          const abort = () => {
            aborted = true;
            resolve({ success: false, durationMs: 0 });
          };
          if (signal.aborted) abort();
          signal.addEventListener('abort', abort);
        }),
    });
    await scheduler.start();
    const run = scheduler.runNow('a');
    await scheduler.stop(1_000);
    expect(aborted).toBe(true);
    await run;
  });
});
