import { getTableColumns } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { FAILURE_CLASSES } from '../collector/probes/types.ts';
import { durationBucketIndex, ROLLUP_DURATION_BUCKETS_SECONDS } from './rollup-buckets.ts';
import { addBucketCounts, aggregateRollups, bucketStart } from './rollups.ts';
import { probeRollups } from './schema.ts';

describe('rollups', () => {
  it('has a rollup column for every failure class the collector reports', () => {
    const columns = Object.values(getTableColumns(probeRollups)).map((c) => c.name);
    for (const failureClass of FAILURE_CLASSES) expect(columns).toContain(`failures_${failureClass}`);
  });

  it.each([
    [0, 0],
    [5, 0],
    [6, 1],
    [1_000, 7],
    [1_001, 8],
    [300_000, ROLLUP_DURATION_BUCKETS_SECONDS.length - 1],
    [300_001, ROLLUP_DURATION_BUCKETS_SECONDS.length],
  ])('puts %d ms in histogram bucket %d (bounds are inclusive)', (ms, index) => {
    expect(durationBucketIndex(ms)).toBe(index);
  });

  it('floors to the UTC minute, hour and day', () => {
    const at = Date.UTC(2025, 5, 30, 23, 59, 59, 999);
    expect(bucketStart('minute', at)).toBe(Date.UTC(2025, 5, 30, 23, 59));
    expect(bucketStart('hour', at)).toBe(Date.UTC(2025, 5, 30, 23));
    expect(bucketStart('day', at)).toBe(Date.UTC(2025, 5, 30));
    expect(bucketStart('day', Date.UTC(2025, 6, 1))).toBe(Date.UTC(2025, 6, 1));
  });

  it('folds a batch into one row per resolution, integration and bucket', () => {
    const rollups = aggregateRollups([
      { integrationId: 'a', startedAt: 0, durationMs: 1, success: true },
      { integrationId: 'a', startedAt: 1_000, durationMs: 1, success: false, failureClass: 'dns' },
      { integrationId: 'b', startedAt: 0, durationMs: 1, success: true },
    ]);
    expect(rollups).toHaveLength(6);
    const minuteA = rollups.find((r) => r.resolution === 'minute' && r.integrationId === 'a');
    expect(minuteA).toMatchObject({ runs: 2, successes: 1, durationSumMs: 2 });
    expect(minuteA?.failures.dns).toBe(1);
    expect(minuteA?.durationBuckets[0]).toBe(2);
  });

  it('adds histogram arrays of different lengths as if padded with zeros', () => {
    expect(addBucketCounts([1, 2], [3, 4, 5])).toEqual([4, 6, 5]);
  });
});
