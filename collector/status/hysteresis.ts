import type { IntegrationStatus, StatusState, StatusTransition } from '../../db/index.ts';

export interface StatusThresholds {
  /** Consecutive failures that mark an integration down. */
  failureThreshold: number;
  /** Consecutive successes (fast ones, to leave degraded) that bring it back. */
  successThreshold: number;
  /** SLO latency target in ms: a successful run slower than this counts as slow. */
  latencyTargetMs: number;
}

/** What the status engine needs from one probe run. */
export interface RunOutcome {
  at: number;
  success: boolean;
  durationMs: number;
  failureClass?: string | undefined;
}

export function initialState(integrationId: string, now: number): StatusState {
  return {
    integrationId,
    status: 'unknown',
    since: now,
    consecutiveFailures: 0,
    consecutiveSuccesses: 0,
    consecutiveSlow: 0,
    lastResultAt: null,
    lastSuccessAt: null,
    lastFailureClass: null,
  };
}

function target(state: StatusState, thresholds: StatusThresholds): IntegrationStatus {
  const { failureThreshold, successThreshold } = thresholds;
  if (state.consecutiveFailures >= failureThreshold) return 'down';
  if (state.consecutiveFailures > 0) return state.status;
  const slowStreak = state.consecutiveSlow;
  // With no slow run in the streak, consecutiveSuccesses counts fast runs only (see nextStatus).
  const fastStreak = slowStreak === 0 ? state.consecutiveSuccesses : 0;
  switch (state.status) {
    case 'unknown':
      if (slowStreak >= failureThreshold) return 'degraded';
      return fastStreak > 0 ? 'healthy' : 'unknown';
    case 'down':
      if (state.consecutiveSuccesses < successThreshold) return 'down';
      return slowStreak > 0 ? 'degraded' : 'healthy';
    case 'degraded':
      return fastStreak >= successThreshold ? 'healthy' : 'degraded';
    default:
      return slowStreak >= failureThreshold ? 'degraded' : 'healthy';
  }
}

const times = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function reasonFor(to: IntegrationStatus, state: StatusState, thresholds: StatusThresholds): string {
  switch (to) {
    case 'down':
      return `${times(state.consecutiveFailures, 'failure', 'consecutive failures')} (${state.lastFailureClass ?? 'unknown'})`;
    case 'degraded':
      return `${times(state.consecutiveSlow, 'run', 'consecutive runs')} slower than the ${thresholds.latencyTargetMs} ms latency target`;
    case 'healthy':
      return times(state.consecutiveSuccesses, 'success', 'consecutive successes');
    default:
      return 'no results';
  }
}

/**
 * Hysteresis: one run moves the counters; the status changes only when a threshold is crossed.
 * `down` after `failureThreshold` consecutive failures; back after `successThreshold`
 * consecutive successes. `degraded` after `failureThreshold` consecutive successful runs slower
 * than the latency target; `healthy` again after `successThreshold` consecutive fast ones. A
 * recovery from `down` whose last run was slow lands in `degraded`. A single failure or slow run
 * changes nothing. From `unknown`, the first fast success is enough.
 */
export function nextStatus(
  state: StatusState,
  run: RunOutcome,
  thresholds: StatusThresholds,
): { state: StatusState; transition?: StatusTransition } {
  const slow = run.success && run.durationMs > thresholds.latencyTargetMs;
  const next: StatusState = run.success
    ? {
        ...state,
        consecutiveFailures: 0,
        // A fast run after slow ones starts a new streak, so the count says how many fast runs in a row.
        consecutiveSuccesses: !slow && state.consecutiveSlow > 0 ? 1 : state.consecutiveSuccesses + 1,
        consecutiveSlow: slow ? state.consecutiveSlow + 1 : 0,
        lastResultAt: run.at,
        lastSuccessAt: run.at,
      }
    : {
        ...state,
        consecutiveFailures: state.consecutiveFailures + 1,
        consecutiveSuccesses: 0,
        consecutiveSlow: 0,
        lastResultAt: run.at,
        lastFailureClass: run.failureClass ?? 'other',
      };
  const to = target(next, thresholds);
  if (to === state.status) return { state: next };
  const transition: StatusTransition = {
    integrationId: state.integrationId,
    at: run.at,
    from: state.status,
    to,
    reason: reasonFor(to, next, thresholds),
  };
  return { state: { ...next, status: to, since: run.at }, transition };
}
