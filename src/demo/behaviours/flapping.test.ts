import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random.ts';
import { flapping } from './flapping.ts';
import type { Answer } from './types.ts';

const tools = (seed: number) => ({ random: seededRandom(seed), now: () => 0 });
const failed = (answer: Answer) => answer.kind === 'reset' || answer.status !== 200;

/** Lengths of the runs of consecutive failures. */
function failureRuns(answers: Answer[]): number[] {
  const runs: number[] = [];
  let run = 0;
  for (const answer of [...answers, undefined]) {
    if (answer && failed(answer)) run += 1;
    else if (run > 0) {
      runs.push(run);
      run = 0;
    }
  }
  return runs;
}

describe('flapping', () => {
  it.each([1, 2, 3, 42])('fails about 40%% of 10 000 requests, at most 2 in a row (seed %d)', (seed) => {
    const behaviour = flapping(tools(seed));
    const answers = Array.from({ length: 10_000 }, () => behaviour.answer(0));
    const failures = answers.filter(failed);
    expect(failures.length / answers.length).toBeGreaterThan(0.36);
    expect(failures.length / answers.length).toBeLessThan(0.44);
    expect(Math.max(...failureRuns(answers))).toBe(2);
    const resets = failures.filter((answer) => answer.kind === 'reset').length;
    expect(resets / failures.length).toBeGreaterThan(0.2);
    expect(resets / failures.length).toBeLessThan(0.3);
    expect(failures.filter((a) => a.kind === 'reply').every((a) => a.status === 503)).toBe(true);
  });

  it('fails in runs of 1 and 2 requests, both common', () => {
    const behaviour = flapping(tools(7));
    const runs = failureRuns(Array.from({ length: 10_000 }, () => behaviour.answer(0)));
    expect(new Set(runs)).toEqual(new Set([1, 2]));
    expect(runs.filter((length) => length === 2).length / runs.length).toBeGreaterThan(0.4);
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
