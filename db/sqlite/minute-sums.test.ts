import { describe, expect, it } from 'vitest';
import { createMinuteSums, type MinuteRow } from './minute-sums.ts';

const MIN = 60_000;

describe('minute sums', () => {
  it('serves settled minutes from memory, reads the rest live, and equals a plain sum', () => {
    // Two integrations over 20 minutes; a row's counts depend on its minute.
    const rows: MinuteRow[] = [];
    for (let m = 0; m < 20; m++)
      for (const id of ['a', 'b'])
        rows.push([m * MIN, id, m + 1, m, 1, JSON.stringify([m, 1, id === 'a' ? 2 : 0])]);
    const reads: [number, number][] = [];
    const sums = createMinuteSums((from, to) => {
      reads.push([from, to]);
      return rows.filter(([minute]) => minute >= from && minute < to);
    });
    const plain = (from: number, to: number, id: string) => {
      const inRange = rows.filter(([minute, rowId]) => minute >= from && minute < to && rowId === id);
      return {
        count: inRange.reduce((n, r) => n + r[2], 0),
        good: inRange.reduce((n, r) => n + r[3], 0),
        errors: inRange.reduce((n, r) => n + r[4], 0),
      };
    };

    const first = sums(2 * MIN, 12 * MIN, 8 * MIN);
    // Settled minutes 2–7 loaded once, then 8–11 read live.
    expect(reads).toEqual([
      [2 * MIN, 8 * MIN],
      [8 * MIN, 12 * MIN],
    ]);
    expect(first.find((s) => s.integrationId === 'a')).toMatchObject(plain(2 * MIN, 12 * MIN, 'a'));
    expect(first.find((s) => s.integrationId === 'a')?.durationBuckets).toEqual([
      2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 + 10 + 11,
      10,
      20,
    ]);

    // A minute later: only the newly settled minute 8 is read, then the live ones.
    reads.length = 0;
    const second = sums(3 * MIN, 13 * MIN, 9 * MIN);
    expect(reads).toEqual([
      [8 * MIN, 9 * MIN],
      [9 * MIN, 13 * MIN],
    ]);
    for (const id of ['a', 'b'])
      expect(second.find((s) => s.integrationId === id)).toMatchObject(plain(3 * MIN, 13 * MIN, id));
    // Two jobs asking for windows a minute apart, then a window far ahead: always the plain sum.
    for (const [from, to, settled] of [
      [4 * MIN, 14 * MIN, 10 * MIN],
      [3 * MIN + 1, 14 * MIN, 10 * MIN],
      [4 * MIN, 15 * MIN, 11 * MIN],
      [1 * MIN, 6 * MIN, 11 * MIN],
      [15 * MIN, 20 * MIN, 18 * MIN],
    ] as const)
      for (const id of ['a', 'b'])
        expect(sums(from, to, settled).find((s) => s.integrationId === id)).toMatchObject(
          plain(Math.ceil(from / MIN) * MIN, to, id),
        );
    // Results are copies: changing one does not change what is kept.
    (second[0] as { durationBuckets: number[] }).durationBuckets[0] = -1;
    expect(sums(3 * MIN, 13 * MIN, 9 * MIN)[0]?.durationBuckets[0]).not.toBe(-1);
  });
});
