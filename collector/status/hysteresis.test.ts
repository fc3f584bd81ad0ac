import { describe, expect, it } from 'vitest';
import { initialState, nextStatus, type StatusThresholds } from './hysteresis.ts';

const THRESHOLDS: StatusThresholds = { failureThreshold: 3, successThreshold: 2, latencyTargetMs: 500 };

const LETTER = { unknown: 'u', healthy: 'h', degraded: 'g', down: 'D' } as const;

/** Runs: `+` fast success, `s` slow success, `x` failure. Returns the status letter after each run. */
function statuses(runs: string): string[] {
  let state = initialState('i', 0);
  return [...runs].map((r, at) => {
    const run =
      r === 'x'
        ? { at, success: false, durationMs: 10, failureClass: 'timeout' }
        : { at, success: true, durationMs: r === 's' ? 900 : 50 };
    state = nextStatus(state, run, THRESHOLDS).state;
    return LETTER[state.status];
  });
}

describe('status hysteresis', () => {
  it.each([
    ['first fast success is healthy', '+', 'h'],
    ['failures below the threshold keep unknown', 'xx', 'uu'],
    ['three failures are down', 'xxx', 'uuD'],
    ['one blip does not flap', '++x++', 'hhhhh'],
    ['two blips do not flap', '+xx+xx+', 'hhhhhhh'],
    ['down after three consecutive failures', '+xxx', 'hhhD'],
    ['one success does not bring it back', '+xxx+x', 'hhhDDD'],
    ['two successes bring it back', '+xxx++', 'hhhDDh'],
    ['a failure resets the success count', '+xxx+x++', 'hhhDDDDh'],
    ['slow runs degrade after three', '+sss', 'hhhg'],
    ['one slow run changes nothing', '+s+s+', 'hhhhh'],
    ['degraded needs two fast runs in a row to recover', '+sss+s++', 'hhhggggh'],
    ['slow from unknown degrades after three', 'sss', 'uug'],
    ['a slow recovery from down lands in degraded', 'xxxss', 'uuDDg'],
    ['a fast recovery after slow ones needs its own streak', 'xxxs++', 'uuDDDh'],
    ['degraded then failures go down', '+sssxxx', 'hhhgggD'],
  ])('%s', (_name, runs, expected) => {
    expect(statuses(runs).join('')).toBe(expected);
  });

  it('reports each transition with its reason and keeps since', () => {
    let state = initialState('psp', 0);
    const transitions = [];
    for (const [at, success] of [
      [1, true],
      [2, false],
      [3, false],
      [4, false],
      [5, true],
      [6, true],
    ] as const) {
      const out = nextStatus(
        state,
        { at, success, durationMs: 20, failureClass: 'connect_refused' },
        THRESHOLDS,
      );
      state = out.state;
      if (out.transition) transitions.push(out.transition);
    }
    expect(transitions).toEqual([
      { integrationId: 'psp', at: 1, from: 'unknown', to: 'healthy', reason: '1 success' },
      {
        integrationId: 'psp',
        at: 4,
        from: 'healthy',
        to: 'down',
        reason: '3 consecutive failures (connect_refused)',
      },
      { integrationId: 'psp', at: 6, from: 'down', to: 'healthy', reason: '2 consecutive successes' },
    ]);
    expect(state).toMatchObject({
      status: 'healthy',
      since: 6,
      lastSuccessAt: 6,
      lastFailureClass: 'connect_refused',
    });
  });
});
