import type { Logger } from 'pino';
import type { ScheduledRun } from '../../collector/probes/scheduler.ts';
import { initialState, nextStatus, type StatusThresholds } from '../../collector/status/hysteresis.ts';
import type {
  OutboxEntry,
  ProbeBatch,
  ProbeRunRecord,
  StatusState,
  StatusTransition,
  Store,
} from '../../db/index.ts';

/** What the metrics read about one integration's probe runs since the process started. */
export interface ProbeAggregate {
  lastSuccess: boolean;
  lastDurationMs: number;
  tlsExpiresAt?: number;
  /** Runs by outcome: `success` or a failure class. */
  outcomes: Map<string, number>;
  /** Per-bucket counts over `bucketBounds` (ms), one more for +Inf. */
  bucketCounts: number[];
  durationSumMs: number;
  runs: number;
}

export interface ProbeRecorderOptions {
  store: Store;
  logger: Logger;
  /** Upper bounds of the duration histogram, in ms. */
  bucketBounds: number[];
  /** Notifications a transition causes; `previous` is the state before it. */
  plan: (transition: StatusTransition, previous: StatusState) => OutboxEntry[];
  /** Called after a flush that enqueued notifications. */
  onNotificationsQueued?: () => void;
  /** How often buffered runs are written, in ms (default 1000). */
  flushIntervalMs?: number;
  /** Runs buffered before an early flush (default 1000). */
  maxBatch?: number;
  now?: () => number;
}

/** A scheduled run as the store keeps it: no body, phases copied. */
export function runRecord(run: ScheduledRun): ProbeRunRecord {
  const { result } = run;
  return {
    integrationId: run.target.integrationId,
    startedAt: run.startedAt,
    durationMs: result.durationMs,
    success: result.success,
    failureClass: result.failure?.class,
    reason: result.failure?.reason,
    statusCode: result.statusCode,
    tlsExpiresAt: result.tlsExpiresAt,
    phases: result.phases ? { ...result.phases } : undefined,
  };
}

/**
 * Turns probe runs into status (hysteresis), stored results and metric aggregates. Runs are
 * buffered and written in one transaction per flush, with the status states, the transitions and
 * the notifications they cause, so a crash can lose at most one flush of raw results but never
 * half a transition.
 */
export function createProbeRecorder(options: ProbeRecorderOptions) {
  const { store, logger } = options;
  const now = options.now ?? Date.now;
  const states = new Map<string, StatusState>();
  const aggregates = new Map<string, ProbeAggregate>();
  let batch: ProbeBatch = { runs: [], states: [], transitions: [], notifications: [] };
  const touched = new Map<string, StatusState>();
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();

  function aggregate(run: ScheduledRun): void {
    const id = run.target.integrationId;
    let agg = aggregates.get(id);
    if (!agg) {
      agg = {
        lastSuccess: false,
        lastDurationMs: 0,
        outcomes: new Map(),
        bucketCounts: new Array(options.bucketBounds.length + 1).fill(0),
        durationSumMs: 0,
        runs: 0,
      };
      aggregates.set(id, agg);
    }
    const { result } = run;
    agg.lastSuccess = result.success;
    agg.lastDurationMs = result.durationMs;
    if (result.tlsExpiresAt !== undefined) agg.tlsExpiresAt = result.tlsExpiresAt;
    const outcome = result.success ? 'success' : (result.failure?.class ?? 'other');
    agg.outcomes.set(outcome, (agg.outcomes.get(outcome) ?? 0) + 1);
    let bucket = options.bucketBounds.findIndex((bound) => result.durationMs <= bound);
    if (bucket === -1) bucket = options.bucketBounds.length;
    agg.bucketCounts[bucket] = (agg.bucketCounts[bucket] ?? 0) + 1;
    agg.durationSumMs += result.durationMs;
    agg.runs += 1;
  }

  async function flush(): Promise<void> {
    if (batch.runs.length === 0 && batch.transitions.length === 0) return;
    const pending = { ...batch, states: [...touched.values()] };
    batch = { runs: [], states: [], transitions: [], notifications: [] };
    touched.clear();
    try {
      await store.recordProbeBatch(pending);
      if (pending.notifications.length > 0) options.onNotificationsQueued?.();
    } catch (error) {
      logger.error({ err: error, runs: pending.runs.length }, 'could not store probe results; retrying');
      // Put it all back for the next flush; past the bound, drop the oldest raw runs but never a
      // transition or its notifications.
      batch.runs.unshift(...pending.runs);
      batch.transitions.unshift(...pending.transitions);
      batch.notifications.unshift(...pending.notifications);
      for (const state of pending.states)
        if (!touched.has(state.integrationId)) touched.set(state.integrationId, state);
      const limit = (options.maxBatch ?? 1_000) * 10;
      if (batch.runs.length > limit) batch.runs.splice(0, batch.runs.length - limit);
    }
  }

  function scheduleFlush(): void {
    timer = setTimeout(() => {
      flushing = flushing.then(flush).finally(() => {
        if (timer) scheduleFlush();
      });
    }, options.flushIntervalMs ?? 1_000);
    timer.unref?.();
  }

  return {
    /** Loads the stored status states so a restart resumes hysteresis where it stopped. */
    async start(): Promise<void> {
      for (const state of await store.listStatusStates()) states.set(state.integrationId, state);
      scheduleFlush();
    },
    record(run: ScheduledRun, thresholds: StatusThresholds): void {
      const id = run.target.integrationId;
      const { result } = run;
      const previous = states.get(id) ?? initialState(id, run.startedAt);
      const next = nextStatus(
        previous,
        {
          at: run.startedAt,
          success: result.success,
          durationMs: result.durationMs,
          failureClass: result.failure?.class,
        },
        thresholds,
      );
      states.set(id, next.state);
      touched.set(id, next.state);
      batch.runs.push(runRecord(run));
      if (next.transition) {
        batch.transitions.push(next.transition);
        batch.notifications.push(...options.plan(next.transition, previous));
        logger.info(
          {
            integration: id,
            from: next.transition.from,
            to: next.transition.to,
            reason: next.transition.reason,
          },
          'integration status changed',
        );
      }
      aggregate(run);
      if (batch.runs.length >= (options.maxBatch ?? 1_000)) flushing = flushing.then(flush);
    },
    /** Writes what is buffered now. */
    flush(): Promise<void> {
      flushing = flushing.then(flush);
      return flushing;
    },
    async stop(): Promise<void> {
      clearTimeout(timer);
      timer = undefined;
      flushing = flushing.then(flush);
      await flushing;
    },
    status: (id: string): StatusState | undefined => states.get(id),
    statuses: (): ReadonlyMap<string, StatusState> => states,
    aggregates: (): ReadonlyMap<string, ProbeAggregate> => aggregates,
    now,
  };
}

export type ProbeRecorder = ReturnType<typeof createProbeRecorder>;
