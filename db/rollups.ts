import { FAILURE_CLASSES } from '../collector/probes/types.ts';
import { durationBucketIndex, ROLLUP_DURATION_BUCKETS_SECONDS } from './rollup-buckets.ts';
import { type ProbeRunRecord, ROLLUP_RESOLUTIONS, type RollupResolution } from './store.ts';

/**
 * Failure classes counted in their own rollup column: the collector's FAILURE_CLASSES. A failed run with no class, or one not listed here,
 * counts as `other`. Adding a class needs a migration that adds its column.
 */
export const ROLLUP_FAILURE_CLASSES = FAILURE_CLASSES;
export type RollupFailureClass = (typeof ROLLUP_FAILURE_CLASSES)[number];

const RESOLUTION_MS: Record<RollupResolution, number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};

/** Start of the UTC minute, hour or day that `at` falls in (Unix ms has no leap seconds). */
export function bucketStart(resolution: RollupResolution, at: number): number {
  const size = RESOLUTION_MS[resolution];
  return Math.floor(at / size) * size;
}

/** The counts of one rollup bucket, or what a set of runs adds to it. */
export interface ProbeRollup {
  resolution: RollupResolution;
  integrationId: string;
  bucketStart: number;
  runs: number;
  successes: number;
  failures: Record<RollupFailureClass, number>;
  durationSumMs: number;
  /** Runs per histogram bucket (not cumulative), one per bound plus +Inf. */
  durationBuckets: number[];
}

const KNOWN_CLASSES: ReadonlySet<string> = new Set(ROLLUP_FAILURE_CLASSES);

const emptyFailures = () =>
  Object.fromEntries(ROLLUP_FAILURE_CLASSES.map((c) => [c, 0])) as Record<RollupFailureClass, number>;

/**
 * Folds runs into one delta per (resolution, integration, bucket), so a batch writes each rollup
 * row once however many of its runs land in it.
 */
export function aggregateRollups(runs: readonly ProbeRunRecord[]): ProbeRollup[] {
  const deltas = new Map<string, ProbeRollup>();
  for (const run of runs) {
    const histogramIndex = durationBucketIndex(run.durationMs);
    const failureClass: RollupFailureClass | undefined = run.success
      ? undefined
      : run.failureClass !== undefined && KNOWN_CLASSES.has(run.failureClass)
        ? (run.failureClass as RollupFailureClass)
        : 'other';
    for (const resolution of ROLLUP_RESOLUTIONS) {
      const start = bucketStart(resolution, run.startedAt);
      const key = `${resolution}\u0000${run.integrationId}\u0000${start}`;
      let delta = deltas.get(key);
      if (!delta) {
        delta = {
          resolution,
          integrationId: run.integrationId,
          bucketStart: start,
          runs: 0,
          successes: 0,
          failures: emptyFailures(),
          durationSumMs: 0,
          durationBuckets: new Array<number>(ROLLUP_DURATION_BUCKETS_SECONDS.length + 1).fill(0),
        };
        deltas.set(key, delta);
      }
      delta.runs += 1;
      if (failureClass === undefined) delta.successes += 1;
      else delta.failures[failureClass] += 1;
      delta.durationSumMs += run.durationMs;
      delta.durationBuckets[histogramIndex] = (delta.durationBuckets[histogramIndex] ?? 0) + 1;
    }
  }
  return [...deltas.values()];
}

/**
 * The JSON to store for a histogram column: `delta` added to what the row holds (`stored`, the
 * column's JSON text, or undefined for a new row).
 */
export function mergeStoredBuckets(stored: unknown, delta: readonly number[]): string {
  return JSON.stringify(
    typeof stored === 'string' ? addBucketCounts(JSON.parse(stored) as number[], delta) : delta,
  );
}

/** Adds two histogram arrays element by element; a shorter one counts as zeros past its end. */
export function addBucketCounts(a: readonly number[], b: readonly number[]): number[] {
  const length = Math.max(a.length, b.length);
  return Array.from({ length }, (_, i) => (a[i] ?? 0) + (b[i] ?? 0));
}
