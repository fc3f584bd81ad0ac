import type { Meter } from '@opentelemetry/api';
import { DURATION_BUCKETS_SECONDS } from './buckets.ts';

export interface ScrapeMetrics {
  record(durationMs: number, bytes: number): void;
}

/**
 * What serving /metrics costs: render time and body size. A scrape shows the figures of the scrape
 * before it (its own are known only once it is rendered).
 */
export function createScrapeMetrics(meter: Meter): ScrapeMetrics {
  const duration = meter.createHistogram('ecotone_metrics_render_duration_seconds', {
    description: 'Time to collect and render /metrics.',
    advice: { explicitBucketBoundaries: DURATION_BUCKETS_SECONDS },
  });
  let lastBytes = 0;
  meter
    .createObservableGauge('ecotone_metrics_response_bytes', {
      description: 'Size of the last /metrics response body.',
    })
    .addCallback((result) => result.observe(lastBytes));
  return {
    record(durationMs, bytes) {
      duration.record(durationMs / 1000);
      lastBytes = bytes;
    },
  };
}
