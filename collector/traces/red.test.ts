import { describe, expect, it } from 'vitest';
import { bucketIndex, checkBuckets, createRedAccumulator, minuteOf } from './red.ts';
import { T0 } from './test-spans.ts';

describe('minuteOf', () => {
  it('floors to the start of the UTC minute', () => {
    expect(minuteOf(T0)).toBe(T0);
    expect(minuteOf(T0 + 59_999.9)).toBe(T0);
    expect(minuteOf(T0 + 60_000)).toBe(T0 + 60_000);
    expect(minuteOf(T0 - 0.5)).toBe(T0 - 60_000);
  });
});

describe('bucketIndex', () => {
  const bounds = [0.1, 1, 10];
  it.each([
    [0, 0],
    [0.1, 0],
    [0.10001, 1],
    [1, 1],
    [9.99, 2],
    [10, 2],
    [10.5, 3],
    [1e9, 3],
  ])('%d s falls in slot %d', (seconds, slot) => {
    expect(bucketIndex(bounds, seconds)).toBe(slot);
  });
});

describe('checkBuckets', () => {
  it.each([
    [[], 'durationBucketsSeconds: expected at least one bound'],
    [[1, 1], 'durationBucketsSeconds: expected finite bounds in strictly ascending order'],
    [[2, 1], 'durationBucketsSeconds: expected finite bounds in strictly ascending order'],
    [[1, Infinity], 'durationBucketsSeconds: expected finite bounds in strictly ascending order'],
    [[Number.NaN], 'durationBucketsSeconds: expected finite bounds in strictly ascending order'],
  ])('rejects %j', (bounds, message) => {
    expect(() => checkBuckets(bounds)).toThrow(new RangeError(message));
  });
});

describe('createRedAccumulator', () => {
  it('sums per integration and minute, by end time, with non-cumulative buckets', () => {
    const red = createRedAccumulator([0.1, 1]);
    red.add('a', T0 + 59_999, 50, 'success');
    red.add('a', T0 + 30_000, 500, 'server_error');
    red.add('a', T0 + 60_000, 5_000, 'client_error');
    red.add('b', T0 + 1, 100, 'error');
    expect(red.take()).toEqual([
      {
        integrationId: 'a',
        minute: T0,
        requests: { success: 1, client_error: 0, server_error: 1, error: 0 },
        durationSumSeconds: 0.55,
        durationBuckets: [1, 1, 0],
      },
      {
        integrationId: 'a',
        minute: T0 + 60_000,
        requests: { success: 0, client_error: 1, server_error: 0, error: 0 },
        durationSumSeconds: 5,
        durationBuckets: [0, 0, 1],
      },
      {
        integrationId: 'b',
        minute: T0,
        requests: { success: 0, client_error: 0, server_error: 0, error: 1 },
        durationSumSeconds: 0.1,
        durationBuckets: [1, 0, 0],
      },
    ]);
  });

  it('starts over after a take', () => {
    const red = createRedAccumulator([1]);
    red.add('a', T0, 10, 'success');
    expect(red.take()).toHaveLength(1);
    expect(red.take()).toEqual([]);
    red.add('a', T0, 10, 'success');
    expect(red.take()[0]?.requests.success).toBe(1);
  });

  it('counts a negative duration as zero', () => {
    const red = createRedAccumulator([1]);
    red.add('a', T0, -5, 'success');
    expect(red.take()[0]).toMatchObject({ durationSumSeconds: 0, durationBuckets: [1, 0] });
  });
});
