import { describe, expect, it } from 'vitest';
import type { RequestOutcome } from './outcome.ts';
import { T0, workflow } from './test-spans.ts';
import { createWorkflowTracker, type WorkflowDelta, type WorkflowTracker } from './workflows.ts';

const TRACE = 'a'.repeat(32);
const OTHER_TRACE = 'b'.repeat(32);
const TIMEOUT = 60_000;

function tracker(maxActiveRuns = 100): WorkflowTracker {
  const t = createWorkflowTracker({ durationBucketsSeconds: [1, 10], maxActiveRuns });
  t.setWorkflows([
    workflow(
      'order',
      ['checkout', { integration: 'payment' }, { span: 'ship order', name: 'Ship' }],
      TIMEOUT,
    ),
  ]);
  return t;
}

/** A step span of `integration` (or undefined) named `name`, from `start` to `end` ms after T0. */
function see(
  t: WorkflowTracker,
  at: number,
  integration: string | undefined,
  start: number,
  end: number,
  outcome: RequestOutcome = 'success',
  name = 'GET',
  traceId = TRACE,
): void {
  t.observe(traceId, integration, name, T0 + start, T0 + end, outcome, T0 + at);
}

/** The deltas as counters summed over minutes, with the minutes kept apart for the ones asked. */
function totals(deltas: WorkflowDelta[]) {
  const sum = { started: 0, completed: 0, failed: 0, abandoned: 0, durationSumSeconds: 0 };
  for (const d of deltas) {
    sum.started += d.started;
    sum.completed += d.completed;
    sum.failed += d.failed;
    sum.abandoned += d.abandoned;
    sum.durationSumSeconds += d.durationSumSeconds;
  }
  return sum;
}

describe('workflow runs', () => {
  it('starts no run for a trace that never reaches the first step, and counts nothing when it goes idle', () => {
    const t = tracker();
    see(t, 0, 'payment', 1_000, 1_500);
    see(t, 1, undefined, 2_000, 2_500, 'success', 'ship order');
    expect(totals(t.take().deltas).started).toBe(0);
    t.sweep(T0 + 1 + TIMEOUT);
    expect(t.activeRuns).toBe(0);
    expect(totals(t.take().deltas)).toEqual({
      started: 0,
      completed: 0,
      failed: 0,
      abandoned: 0,
      durationSumSeconds: 0,
    });
  });

  it('holds a failure seen before the first step, and counts the run failed once the first step arrives', () => {
    const t = tracker();
    see(t, 0, 'payment', 1_000, 1_500, 'server_error');
    expect(totals(t.take().deltas)).toMatchObject({ started: 0, failed: 0 });
    see(t, 1, 'checkout', 0, 300);
    see(t, 2, undefined, 2_000, 2_500, 'success', 'ship order');
    expect(totals(t.take().deltas)).toEqual({
      started: 1,
      completed: 0,
      failed: 1,
      abandoned: 0,
      durationSumSeconds: 0,
    });
  });

  it('completes once every step is reached, in any order, with its duration', () => {
    const t = tracker();
    see(t, 0, 'payment', 1_000, 1_500);
    see(t, 1, undefined, 2_000, 2_500, 'success', 'ship order');
    expect(t.activeRuns).toBe(1);
    see(t, 2, 'checkout', 0, 300);
    expect(t.activeRuns).toBe(0);
    const { deltas, runsDropped } = t.take();
    expect(runsDropped).toBe(0);
    expect(deltas).toEqual([
      {
        workflowId: 'order',
        minute: T0,
        started: 1,
        completed: 1,
        failed: 0,
        abandoned: 0,
        durationSumSeconds: 2.5,
        durationBuckets: [0, 1, 0],
      },
    ]);
  });

  it('fails at the first step span that is not a success, and never completes afterwards', () => {
    const t = tracker();
    see(t, 0, 'checkout', 0, 300);
    see(t, 1, 'payment', 1_000, 1_500, 'server_error');
    see(t, 2, undefined, 2_000, 2_500, 'success', 'ship order');
    expect(totals(t.take().deltas)).toEqual({
      started: 1,
      completed: 0,
      failed: 1,
      abandoned: 0,
      durationSumSeconds: 0,
    });
    expect(t.activeRuns).toBe(0);
  });

  it('is abandoned by a sweep once no step span arrived for the timeout', () => {
    const t = tracker();
    see(t, 0, 'checkout', 0, 300);
    see(t, 1_000, 'payment', 1_000, 1_500);
    t.sweep(T0 + 1_000 + TIMEOUT - 1);
    expect(t.activeRuns).toBe(1);
    t.sweep(T0 + 1_000 + TIMEOUT);
    expect(t.activeRuns).toBe(0);
    const { deltas } = t.take();
    expect(totals(deltas)).toMatchObject({ started: 1, abandoned: 1, completed: 0 });
    // Abandoned in the minute the run timed out in trace time: its latest end plus the timeout.
    expect(deltas.find((d) => d.abandoned === 1)?.minute).toBe(T0 + 60_000);
  });

  it('abandons an idle run that a late span finds before any sweep, and ignores the span', () => {
    const t = tracker();
    see(t, 0, 'checkout', 0, 300);
    see(t, TIMEOUT, 'payment', 1_000, 1_500);
    see(t, TIMEOUT + 1, undefined, 2_000, 2_500, 'success', 'ship order');
    expect(totals(t.take().deltas)).toMatchObject({ started: 1, abandoned: 1, completed: 0 });
  });

  it('does not start a second run from a late span of an ended run', () => {
    const t = tracker();
    see(t, 0, 'checkout', 0, 300);
    see(t, 1, 'payment', 1_000, 1_500, 'error');
    see(t, 2, 'checkout', 0, 300);
    see(t, TIMEOUT - 1, 'payment', 1_000, 1_500);
    expect(t.activeRuns).toBe(0);
    expect(totals(t.take().deltas)).toMatchObject({ started: 1, failed: 1 });
    expect(t.endedRuns).toBe(1);
  });

  it('forgets an ended run one timeout after it ended', () => {
    const t = tracker();
    see(t, 0, 'checkout', 0, 300);
    see(t, 0, 'payment', 1_000, 1_500, 'error');
    t.sweep(T0 + TIMEOUT);
    expect(t.endedRuns).toBe(0);
    see(t, TIMEOUT + 1, 'checkout', 0, 300);
    expect(totals(t.take().deltas)).toMatchObject({ started: 2, failed: 1 });
  });

  it('reaches a step by span name whatever the span is attributed to', () => {
    const t = tracker();
    see(t, 0, undefined, 0, 100, 'success', 'ship order');
    expect(t.activeRuns).toBe(1);
    see(t, 0, undefined, 0, 100, 'success', 'other');
    see(t, 0, 'unrelated', 0, 100);
    expect(t.activeRuns).toBe(1);
    expect(t.bySpanName).toBe(true);
  });

  it('keeps runs of different traces and workflows apart', () => {
    const t = createWorkflowTracker({ durationBucketsSeconds: [1], maxActiveRuns: 10 });
    t.setWorkflows([workflow('a', ['x', 'y']), workflow('b', ['x', 'z'])]);
    see(t, 0, 'x', 0, 10);
    see(t, 0, 'x', 0, 10, 'success', 'GET', OTHER_TRACE);
    expect(t.activeRuns).toBe(4);
    see(t, 0, 'y', 10, 20);
    expect(t.activeRuns).toBe(3);
    expect(t.take().deltas.map((d) => [d.workflowId, d.started, d.completed])).toEqual([
      ['a', 2, 1],
      ['b', 2, 0],
    ]);
  });

  it('tracks at most maxActiveRuns and counts the runs it could not start', () => {
    const t = tracker(2);
    see(t, 0, 'checkout', 0, 1, 'success', 'GET', '1'.repeat(32));
    see(t, 0, 'checkout', 0, 1, 'success', 'GET', '2'.repeat(32));
    see(t, 0, 'checkout', 0, 1, 'success', 'GET', '3'.repeat(32));
    expect(t.activeRuns).toBe(2);
    const taken = t.take();
    expect(taken.runsDropped).toBe(1);
    expect(totals(taken.deltas).started).toBe(2);
    expect(t.take().runsDropped).toBe(0);
  });

  it('remembers at most maxActiveRuns ended runs', () => {
    const t = tracker(2);
    for (const id of ['1', '2', '3']) see(t, 0, 'checkout', 0, 1, 'error', 'GET', id.repeat(32));
    expect(t.endedRuns).toBe(2);
  });

  it('buckets each event by its own minute', () => {
    const t = tracker();
    see(t, 0, 'checkout', 59_000, 59_500);
    see(t, 1, 'payment', 60_000, 61_000);
    see(t, 2, undefined, 61_000, 62_000, 'success', 'ship order');
    expect(t.take().deltas.map((d) => [d.minute - T0, d.started, d.completed])).toEqual([
      [0, 1, 0],
      [60_000, 0, 1],
    ]);
  });

  describe('when the workflows change', () => {
    it('carries on a run whose workflow kept its steps', () => {
      const t = tracker();
      see(t, 0, 'checkout', 0, 300);
      t.setWorkflows([workflow('order', ['checkout', 'payment', { span: 'ship order' }], TIMEOUT)]);
      see(t, 1, 'payment', 1_000, 1_500);
      see(t, 2, undefined, 2_000, 2_500, 'success', 'ship order');
      expect(totals(t.take().deltas)).toMatchObject({ started: 1, completed: 1 });
    });

    it('abandons a run whose workflow changed its steps', () => {
      const t = tracker();
      see(t, 0, 'checkout', 0, 300);
      t.setWorkflows([workflow('order', ['checkout', 'refund'], TIMEOUT)]);
      expect(t.activeRuns).toBe(0);
      expect(totals(t.take().deltas)).toMatchObject({ started: 1, abandoned: 1 });
    });

    it('forgets a run whose workflow is gone', () => {
      const t = tracker();
      see(t, 0, 'checkout', 0, 300);
      t.take();
      t.setWorkflows([]);
      expect(t.activeRuns).toBe(0);
      expect(t.take().deltas).toEqual([]);
      see(t, 1, 'payment', 1_000, 1_500);
      expect(t.activeRuns).toBe(0);
    });
  });

  it('rejects a maxActiveRuns below 1', () => {
    expect(() => createWorkflowTracker({ durationBucketsSeconds: [1], maxActiveRuns: 0 })).toThrow(
      new RangeError('workflows.maxActiveRuns: expected an integer of at least 1'),
    );
  });
});
