import type { WorkflowStep } from '../../src/config/catalog-schema.ts';
import type { RequestOutcome } from './outcome.ts';
import { createExpiringMap } from './pairing.ts';
import { bucketIndex, checkBuckets, minuteOf } from './red.ts';

/** A workflow as the trace pipeline needs it from the catalog. */
export interface TraceWorkflow {
  id: string;
  steps: WorkflowStep[];
  /** A run with no step span arriving for this long is abandoned, in ms. */
  timeoutMs: number;
}

/**
 * Workflow runs of one workflow over one UTC minute, as counted by one call: a delta to add to
 * what is stored. Each event falls in the minute of the trace time that caused it: `started` the
 * start of the span that started the run, `completed` the latest end over its step spans,
 * `failed` the end of the failing span, `abandoned` the latest end plus the workflow's timeout.
 */
export interface WorkflowDelta {
  workflowId: string;
  /** Start of the UTC minute, Unix ms. */
  minute: number;
  started: number;
  completed: number;
  failed: number;
  abandoned: number;
  /** Durations of the runs completed, latest end minus earliest start over their step spans. */
  durationSumSeconds: number;
  /** Non-cumulative counts per bound, then +Inf, of the same durations. */
  durationBuckets: number[];
}

export interface WorkflowTrackerOptions {
  /** Ascending upper bounds in seconds for run durations. */
  durationBucketsSeconds: readonly number[];
  /**
   * Most runs tracked at once; at the bound new runs are not tracked and counted in
   * `runsDropped`. Also bounds how many ended runs are remembered.
   */
  maxActiveRuns: number;
}

export interface WorkflowTracker {
  /**
   * Puts a new set of workflows in force. Runs of a workflow whose steps are unchanged carry on;
   * runs of a workflow whose steps changed are abandoned now; runs of a workflow that is gone
   * are forgotten (its metrics go with it).
   */
  setWorkflows(workflows: readonly TraceWorkflow[]): void;
  /** True when some step is reached by span name: every span must then be observed. */
  readonly bySpanName: boolean;
  /**
   * One span of trace `traceId`, attributed to `integrationId` (undefined when to none) and named
   * `spanName` (undefined to skip steps by span name, for a span observed before), arriving at
   * `now` (Unix ms, the processor's clock: timeouts run on arrival, not on trace time).
   */
  observe(
    traceId: string,
    integrationId: string | undefined,
    spanName: string | undefined,
    startTimeMs: number,
    endTimeMs: number,
    outcome: RequestOutcome,
    now: number,
  ): void;
  /**
   * Abandons the runs idle for their workflow's timeout, and forgets ended runs whose memory ran
   * out (oldest first, stopping at the first still remembered).
   */
  sweep(now: number): void;
  /** The deltas since the last take, and how many runs found no room; starts over empty. */
  take(): { deltas: WorkflowDelta[]; runsDropped: number };
  readonly activeRuns: number;
  /** Ended runs remembered, so late spans of their trace do not start another. */
  readonly endedRuns: number;
}

interface CompiledWorkflow {
  id: string;
  timeoutMs: number;
  stepCount: number;
  /** The steps as text, to tell a changed workflow from an unchanged one across catalog revisions. */
  signature: string;
}

interface StepHit {
  workflow: CompiledWorkflow;
  step: number;
}

interface Run {
  workflow: CompiledWorkflow;
  /** Whether the trace reached the first step: until then the run is tentative and counts nowhere. */
  started: boolean;
  /** End of a step span that did not succeed while the run was still tentative. */
  failedAt: number | undefined;
  reached: Uint8Array;
  reachedCount: number;
  earliestStart: number;
  latestEnd: number;
  lastArrival: number;
}

function stepTarget(step: WorkflowStep): { integration?: string; span?: string } {
  if (typeof step === 'string') return { integration: step };
  return 'span' in step ? { span: step.span } : { integration: step.integration };
}

function runKey(traceId: string, workflowId: string): string {
  return `${traceId} ${workflowId}`;
}

/**
 * Follows workflow runs across traces: a run is one workflow in one trace. It starts when the
 * trace reaches the workflow's first step (spans of later steps seen before that are held, and
 * count nowhere if the first step never comes: an integration used outside the workflow starts
 * no run); it completes once every step has been reached, in any order (spans of one trace
 * arrive from different processes in no set order, so the final step arriving first must not
 * end the run early); it fails at a step span whose outcome is not success, and a failed run
 * never completes; a started run is abandoned when no step span arrived for the workflow's
 * timeout. An ended run is remembered for one more timeout so that late spans of its trace do
 * not start a second run.
 * @example
 * const tracker = createWorkflowTracker({ durationBucketsSeconds: [1, 10, 60], maxActiveRuns: 10_000 });
 * tracker.setWorkflows(catalog.workflows);
 * tracker.observe(span.traceId, 'checkout-to-psp', span.name, span.startTimeMs, span.endTimeMs, 'success', now);
 */
export function createWorkflowTracker(options: WorkflowTrackerOptions): WorkflowTracker {
  checkBuckets(options.durationBucketsSeconds);
  const bounds = [...options.durationBucketsSeconds];
  const { maxActiveRuns } = options;
  if (!Number.isInteger(maxActiveRuns) || maxActiveRuns < 1)
    throw new RangeError('workflows.maxActiveRuns: expected an integer of at least 1');

  let byIntegration = new Map<string, StepHit[]>();
  let bySpanName = new Map<string, StepHit[]>();
  let workflowsById = new Map<string, CompiledWorkflow>();
  const active = new Map<string, Run>();
  /** Ended run keys and when to forget them (Unix ms, arrival clock), oldest first. */
  const ended = createExpiringMap<{ expiresAt: number }>(maxActiveRuns);
  let deltas = new Map<string, WorkflowDelta[]>();
  let order: WorkflowDelta[] = [];
  let runsDropped = 0;

  function deltaFor(workflowId: string, atMs: number): WorkflowDelta {
    const minute = minuteOf(atMs);
    let list = deltas.get(workflowId);
    if (list === undefined) {
      list = [];
      deltas.set(workflowId, list);
    }
    for (const delta of list) if (delta.minute === minute) return delta;
    const delta: WorkflowDelta = {
      workflowId,
      minute,
      started: 0,
      completed: 0,
      failed: 0,
      abandoned: 0,
      durationSumSeconds: 0,
      durationBuckets: new Array<number>(bounds.length + 1).fill(0),
    };
    list.push(delta);
    order.push(delta);
    return delta;
  }

  function end(key: string, run: Run, now: number): void {
    active.delete(key);
    ended.put(key, { expiresAt: now + run.workflow.timeoutMs });
  }

  /** Ends an idle run: abandoned if it started; a tentative one (first step never seen) counts nowhere. */
  function abandon(key: string, run: Run, now: number): void {
    if (run.started) deltaFor(run.workflow.id, run.latestEnd + run.workflow.timeoutMs).abandoned++;
    end(key, run, now);
  }

  function fail(key: string, run: Run, atMs: number, now: number): void {
    deltaFor(run.workflow.id, atMs).failed++;
    end(key, run, now);
  }

  function reach(
    hit: StepHit,
    traceId: string,
    startTimeMs: number,
    endTimeMs: number,
    outcome: RequestOutcome,
    now: number,
  ): void {
    const workflow = hit.workflow;
    const key = runKey(traceId, workflow.id);
    const memory = ended.get(key);
    if (memory !== undefined) {
      if (memory.expiresAt > now) return;
      ended.take(key);
    }
    let run = active.get(key);
    if (run !== undefined && now - run.lastArrival >= workflow.timeoutMs) {
      abandon(key, run, now);
      return;
    }
    if (run === undefined) {
      if (active.size >= maxActiveRuns) {
        runsDropped++;
        return;
      }
      run = {
        workflow,
        started: false,
        failedAt: undefined,
        reached: new Uint8Array(workflow.stepCount),
        reachedCount: 0,
        earliestStart: startTimeMs,
        latestEnd: endTimeMs,
        lastArrival: now,
      };
      active.set(key, run);
    }
    if (run.reached[hit.step] === 0) {
      run.reached[hit.step] = 1;
      run.reachedCount++;
    }
    if (startTimeMs < run.earliestStart) run.earliestStart = startTimeMs;
    if (endTimeMs > run.latestEnd) run.latestEnd = endTimeMs;
    run.lastArrival = now;
    if (hit.step === 0 && !run.started) {
      run.started = true;
      deltaFor(workflow.id, startTimeMs).started++;
      if (run.failedAt !== undefined) {
        fail(key, run, run.failedAt, now);
        return;
      }
    }
    if (outcome !== 'success') {
      if (run.started) fail(key, run, endTimeMs, now);
      else run.failedAt ??= endTimeMs;
    } else if (run.started && run.failedAt === undefined && run.reachedCount === workflow.stepCount) {
      const delta = deltaFor(workflow.id, run.latestEnd);
      const seconds = Math.max(0, run.latestEnd - run.earliestStart) / 1000;
      delta.completed++;
      delta.durationSumSeconds += seconds;
      const slot = bucketIndex(bounds, seconds);
      delta.durationBuckets[slot] = (delta.durationBuckets[slot] ?? 0) + 1;
      end(key, run, now);
    }
  }

  function add(map: Map<string, StepHit[]>, key: string, hit: StepHit): void {
    const hits = map.get(key);
    if (hits === undefined) map.set(key, [hit]);
    else hits.push(hit);
  }

  return {
    setWorkflows(workflows) {
      byIntegration = new Map();
      bySpanName = new Map();
      workflowsById = new Map();
      for (const { id, steps, timeoutMs } of workflows) {
        const workflow: CompiledWorkflow = {
          id,
          timeoutMs,
          stepCount: steps.length,
          signature: JSON.stringify(steps.map(stepTarget)),
        };
        workflowsById.set(id, workflow);
        steps.forEach((step, i) => {
          const target = stepTarget(step);
          if (target.integration !== undefined) add(byIntegration, target.integration, { workflow, step: i });
          if (target.span !== undefined) add(bySpanName, target.span, { workflow, step: i });
        });
      }
      for (const [key, run] of active) {
        const current = workflowsById.get(run.workflow.id);
        if (current === undefined) active.delete(key);
        else if (current.signature === run.workflow.signature) run.workflow = current;
        else {
          if (run.started) deltaFor(run.workflow.id, run.latestEnd).abandoned++;
          end(key, run, run.lastArrival);
        }
      }
    },
    get bySpanName() {
      return bySpanName.size > 0;
    },
    observe(traceId, integrationId, spanName, startTimeMs, endTimeMs, outcome, now) {
      if (integrationId !== undefined) {
        const hits = byIntegration.get(integrationId);
        if (hits !== undefined)
          for (const hit of hits) reach(hit, traceId, startTimeMs, endTimeMs, outcome, now);
      }
      if (spanName !== undefined && bySpanName.size > 0) {
        const hits = bySpanName.get(spanName);
        if (hits !== undefined)
          for (const hit of hits) reach(hit, traceId, startTimeMs, endTimeMs, outcome, now);
      }
    },
    sweep(now) {
      for (const [key, run] of active)
        if (now - run.lastArrival >= run.workflow.timeoutMs) abandon(key, run, now);
      ended.expire(now);
    },
    take() {
      const taken = { deltas: order, runsDropped };
      deltas = new Map();
      order = [];
      runsDropped = 0;
      return taken;
    },
    get activeRuns() {
      return active.size;
    },
    get endedRuns() {
      return ended.size;
    },
  };
}
