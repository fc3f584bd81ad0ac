export { DURATION_BUCKETS_SECONDS } from './buckets.ts';
export { counterpartParticipant, registerCatalogMetrics } from './catalog-metrics.ts';
export { createJobMetrics, type JobMetrics } from './job-metrics.ts';
