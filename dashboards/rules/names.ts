/** Names of the series the generated recording rules write; dashboards and alerts read them. */
export const RECORDED = {
  /** Error ratio (the SLI) per integration over `window`: probe failures, else traced call errors. */
  errorRatio: (window: string) => `ecotone:integration_error_ratio:rate${window}`,
  /** 95th percentile latency per integration over 5 minutes: probes, else traced calls. */
  latencyP95: 'ecotone:integration_latency_seconds:p95_rate5m',
  /** The availability objective of each integration, from the catalog (constant). */
  availabilityObjective: 'ecotone:integration_slo_availability:ratio',
  /** The latency objective of each integration, from the catalog (constant), in seconds. */
  latencyObjective: 'ecotone:integration_slo_latency:seconds',
} as const;
