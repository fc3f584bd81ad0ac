export { DURATION_BUCKETS_SECONDS, PROBE_DURATION_BUCKETS_SECONDS } from './buckets.ts';
export { registerCatalogMetrics } from './catalog-metrics.ts';
export { type IngestMetricsSource, registerIngestMetrics } from './ingest-metrics.ts';
export {
  counterpartParticipant,
  createIntegrationLabelCache,
  type IntegrationLabelCache,
  type IntegrationLabelSets,
} from './integration-labels.ts';
export { createJobMetrics, type JobMetrics } from './job-metrics.ts';
export { type ProbeMetricsSource, registerProbeMetrics, STATUS_VALUES } from './probe-metrics.ts';
export { createScrapeMetrics, type ScrapeMetrics } from './scrape-metrics.ts';
