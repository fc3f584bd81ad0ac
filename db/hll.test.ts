import { describe, expect, it } from 'vitest';
import { addToSketch, createSketch, estimate, HLL_STANDARD_ERROR, hash32, mergeSketch } from './hll.ts';

const sketchOf = (values: Iterable<string>) => {
  const sketch = createSketch();
  for (const value of values) addToSketch(sketch, value);
  return sketch;
};
const users = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `u${from + i}`);

describe('HyperLogLog sketch', () => {
  it('hashes strings deterministically and spreads them over the registers', () => {
    expect(hash32('', 0)).toBe(0); // MurmurHash3's finaliser maps an empty input with seed 0 to 0
    expect(hash32('user-1')).toBe(hash32('user-1'));
    expect(hash32('user-1')).not.toBe(hash32('user-2'));
    // 100,000 ids over 16 buckets of the top 4 bits: each within 5% of the mean.
    const buckets = new Array<number>(16).fill(0);
    for (let i = 0; i < 100_000; i++)
      buckets[hash32(`customer-${i}`) >>> 28] = (buckets[hash32(`customer-${i}`) >>> 28] ?? 0) + 1;
    for (const n of buckets) expect(Math.abs(n - 6_250) / 6_250).toBeLessThan(0.05);
  });

  it('counts a handful exactly, a thousand within 1%, and ignores repeats', () => {
    for (const n of [0, 1, 2, 3, 10, 100])
      expect(estimate(sketchOf([...users(0, n), ...users(0, n)]))).toBe(n);
    expect(Math.abs(estimate(sketchOf([...users(0, 1_000), ...users(0, 1_000)])) - 1_000)).toBeLessThan(10);
  });

  it('stays within three standard errors (0.81% each) of the true count', () => {
    for (const n of [20_000, 60_000, 250_000]) {
      const error = Math.abs(estimate(sketchOf(users(0, n))) - n) / n;
      expect(error).toBeLessThan(3 * HLL_STANDARD_ERROR);
    }
  });

  it('counts a union by merging registers: overlapping users once', () => {
    const a = sketchOf(users(0, 30_000));
    const b = sketchOf(users(20_000, 50_000));
    mergeSketch(a, b);
    expect(Math.abs(estimate(a) - 50_000) / 50_000).toBeLessThan(3 * HLL_STANDARD_ERROR);
    expect(estimate(a)).toBe(estimate(sketchOf(users(0, 50_000))));
  });
});
