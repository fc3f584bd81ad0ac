import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random.ts';
import { flapping } from './flapping.ts';
import type { Answer } from './types.ts';

const tools = (seed: number) => ({ random: seededRandom(seed), now: () => 0 });
const failed = (answer: Answer) => answer.kind === 'reset' || answer.status !== 200;

function longestFailureRun(answers: Answer[]): number {
  let longest = 0;
  let run = 0;
  for (const answer of answers) {
    run = failed(answer) ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}

describe('flapping', () => {
  it.each([1, 2, 3, 42])('fails about 40%% of 10 000 requests, at most 2 in a row (seed %i)', (seed) => {
    const behaviour = flapping(tools(seed));
    const answers = Array.from({ length: 10_000 }, () => behaviour.answer(0));
    const failures = answers.filter(failed);
    expect(failures.length / answers.length).toBeGreaterThan(0.36);
    expect(failures.length / answers.length).toBeLessThan(0.44);
    expect(longestFailureRun(answers)).toBe(2);
    const resets = failures.filter((answer) => answer.kind === 'reset').length;
    expect(resets / failures.length).toBeGreaterThan(0.2);
    expect(resets / failures.length).toBeLessThan(0.3);
    expect(failures.filter((a) => a.kind === 'reply').every((a) => a.status === 503)).toBe(true);
  });

  it('fails in runs: a failure is followed by another more often than chance', () => {
    const behaviour = flapping(tools(7));
    const answers = Array.from({ length: 10_000 }, () => failed(behaviour.answer(0)));
    const afterFailure = answers.slice(1).filter((_, i) => answers[i]);
    expect(afterFailure.filter(Boolean).length / afterFailure.length).toBeGreaterThan(0.45);
  });

  it('replays the same answers for the same seed', () => {
    const first = flapping(tools(5));
    const second = flapping(tools(5));
    const a = Array.from({ length: 50 }, () => first.answer(0));
    const b = Array.from({ length: 50 }, () => second.answer(0));
    expect(a).toEqual(b);
  });

  it.each([
    [{ failureRatio: 0 }, 'flapping: expected 0 < failureRatio < 1 and a whole maxFailureRun >= 1'],
    [{ maxFailureRun: 0 }, 'flapping: expected 0 < failureRatio < 1 and a whole maxFailureRun >= 1'],
    [{ failureRatio: 0.9 }, 'flapping: failureRatio 0.9 needs runs longer than maxFailureRun 2'],
  ])('rejects %o', (options, message) => {
    expect(() => flapping(tools(1), options)).toThrow(message);
  });
});
