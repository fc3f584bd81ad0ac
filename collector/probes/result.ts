import type { FailureClass, ProbeResult } from './types.ts';

/** What a prober measured, without the verdict and the run's duration (both set by `runProbe`). */
export type ProbeMeasurements = Omit<ProbeResult, 'success' | 'durationMs' | 'failure'>;

function defined(measurements: ProbeMeasurements): ProbeMeasurements {
  return Object.fromEntries(Object.entries(measurements).filter(([, value]) => value !== undefined));
}

/** A successful result; `durationMs` is the prober's own until `runProbe` replaces it. */
export function succeeded(measurements: ProbeMeasurements): ProbeResult {
  return { success: true, durationMs: measurements.phases?.total ?? 0, ...defined(measurements) };
}

/** A failed result: failure is data, with a class and a short reason that is safe to show. */
export function failed(
  failureClass: FailureClass,
  reason: string,
  measurements: ProbeMeasurements = {},
): ProbeResult {
  return {
    success: false,
    durationMs: measurements.phases?.total ?? 0,
    ...defined(measurements),
    failure: { class: failureClass, reason },
  };
}

/**
 * What a prober throws when the protocol breaks mid-run (refused, reset, aborted…): the original
 * error as `cause`, which `runProbe` classifies, and what was measured before it.
 */
export class ProbeError extends Error {
  readonly partial: ProbeMeasurements;

  constructor(cause: unknown, partial: ProbeMeasurements) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'ProbeError';
    this.partial = defined(partial);
  }
}
