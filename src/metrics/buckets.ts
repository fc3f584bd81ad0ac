/**
 * Histogram bucket boundaries in seconds (Prometheus base unit), from 5 ms to 5 min. The SDK's
 * default boundaries assume milliseconds, so every duration histogram sets these explicitly.
 */
export const DURATION_BUCKETS_SECONDS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300,
];

/**
 * Probe duration buckets in seconds, 5 ms to 10 s: fewer than DURATION_BUCKETS_SECONDS because a
 * probe histogram exists per integration, and a probe's timeout is rarely over 10 s.
 */
export const PROBE_DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
