import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random.ts';
import { healthy } from './healthy.ts';
import { inOutage, outage } from './outage.ts';

const at = (time: string) => Date.parse(`2026-03-02T${time}Z`);

describe('outage', () => {
  it.each([
    ['11:59:59.999', false],
    ['12:00:00.000', true],
    ['12:02:59.999', true],
    ['12:03:00.000', false],
    ['12:14:59', false],
    ['12:15:00', true],
    ['12:17:30', true],
    ['12:18:00', false],
    ['12:31:00', true],
    ['12:45:10', true],
    ['12:47:59', true],
    ['12:48:00', false],
  ])('at %s is down: %s', (time, down) => {
    expect(inOutage(at(time))).toBe(down);
  });

  it('stops listening in the window and serves its inner behaviour outside it', () => {
    const behaviour = outage(healthy({ random: seededRandom(1), now: () => 0 }));
    expect(behaviour.name).toBe('outage');
    expect(behaviour.isListening?.(at('12:16:00'))).toBe(false);
    expect(behaviour.isListening?.(at('12:20:00'))).toBe(true);
    expect(behaviour.answer(at('12:20:00'))).toMatchObject({ kind: 'reply', status: 200 });
  });

  it('takes other periods', () => {
    expect(inOutage(at('12:05:00'), { everyMs: 10 * 60_000, forMs: 60_000 })).toBe(false);
    expect(inOutage(at('12:10:30'), { everyMs: 10 * 60_000, forMs: 60_000 })).toBe(true);
  });
});
