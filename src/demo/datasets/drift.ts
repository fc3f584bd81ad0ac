/** Minutes into the demo's 20-minute drift cycle at which each fault starts and ends. */
export const CYCLE_MS = 20 * 60_000;

/** What is wrong with the demo data at a moment: each fault is on for a window of every cycle. */
export interface DriftState {
  /** Analytics stops loading from the CRM, so their customer counts and keys diverge. */
  analyticsPaused: boolean;
  /** No new stock snapshot is dropped, so the folder goes stale. */
  dropsStale: boolean;
  /** New CRM customers arrive without an email. */
  emailsEmpty: boolean;
  /** The PIM sends prices as text and a new `badge` field: a schema change, and one back. */
  pimSchemaChanged: boolean;
}

const between = (minute: number, from: number, to: number) => minute >= from && minute < to;

/**
 * The faults at `elapsedMs` since the demo started: analytics paused in minutes 4-9 of each
 * cycle, drops stale in 6-14, empty emails in 12-17, the PIM schema changed in 10-16.
 */
export function driftAt(elapsedMs: number): DriftState {
  const minute = (elapsedMs % CYCLE_MS) / 60_000;
  return {
    analyticsPaused: between(minute, 4, 9),
    dropsStale: between(minute, 6, 14),
    emailsEmpty: between(minute, 12, 17),
    pimSchemaChanged: between(minute, 10, 16),
  };
}
