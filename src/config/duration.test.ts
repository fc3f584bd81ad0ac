import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.ts';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['1.5s', 1_500],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['14d', 1_209_600_000],
    ['1w', 604_800_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '30', 's', '5 m', '-1s', '1y', 'fast', '1h 30m'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('formats back to the largest units', () => {
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(90_500)).toBe('1m30s500ms');
    expect(formatDuration(0)).toBe('0s');
  });
});
