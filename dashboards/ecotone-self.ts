import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  dashboard,
  datasourceVariable,
  higherIsWorse,
  labelVariable,
  NEUTRAL,
  stat,
  table,
  timeseries,
} from './kit.ts';

const SELF = 'job=~"$job", instance=~"$instance"';

/** Ecotone itself: scheduled jobs, ingest and the cost of `/metrics`. */
export function ecotoneSelf(): Dashboard {
  return dashboard({
    uid: 'ecotone-self',
    title: 'Ecotone / Ecotone itself',
    description:
      'How the Ecotone process is doing: scheduled job durations and failures, ingest rates, rejections and queue, and the size and cost of its /metrics.',
    tags: ['self'],
    from: 'now-3h',
    variables: [
      datasourceVariable(),
      labelVariable(
        'job',
        'Scrape job',
        'label_values(target_info{service_name="ecotone"}, job)',
        'Prometheus scrape job of Ecotone.',
      ),
      labelVariable(
        'instance',
        'Instance',
        'label_values(target_info{service_name="ecotone", job=~"$job"}, instance)',
        'Ecotone instance.',
      ),
    ],
    rows: [
      {
        title: 'Scrape',
        panels: [
          stat({
            title: 'Up',
            description: 'Whether Prometheus could scrape Ecotone at the last attempt (1 up, 0 down).',
            unit: 'short',
            queries: [{ expr: `min(up{${SELF}})` }],
            thresholds: [
              { value: null, color: 'red' },
              { value: 1, color: 'green' },
            ],
          }),
          stat({
            title: '/metrics size',
            description: 'Size of the last /metrics response body.',
            unit: 'bytes',
            queries: [{ expr: `max(ecotone_metrics_response_bytes{${SELF}})` }],
            thresholds: higherIsWorse(10_000_000, 50_000_000),
          }),
          stat({
            title: 'Samples per scrape',
            description: 'Samples in the last scrape of Ecotone.',
            unit: 'short',
            queries: [{ expr: `max(scrape_samples_scraped{${SELF}})` }],
            thresholds: higherIsWorse(200_000, 1_000_000),
          }),
          timeseries({
            title: 'Scrape and render duration',
            description:
              'How long Prometheus took to scrape Ecotone, and the 95th percentile of rendering /metrics inside Ecotone.',
            unit: 's',
            queries: [
              { expr: `max(scrape_duration_seconds{${SELF}})`, legend: 'scrape' },
              {
                expr: `histogram_quantile(0.95, sum by (le) (rate(ecotone_metrics_render_duration_seconds_bucket{${SELF}}[$__rate_interval])))`,
                legend: 'render p95',
              },
            ],
            thresholds: higherIsWorse(1, 5),
            width: 6,
          }),
        ],
      },
      {
        title: 'Jobs',
        panels: [
          timeseries({
            title: 'Job duration p95',
            description:
              '95th percentile of each scheduled job\u2019s run duration (retention, availability, dataset checks).',
            unit: 's',
            queries: [
              {
                expr: `histogram_quantile(0.95, sum by (job_name, le) (rate(ecotone_job_duration_seconds_bucket{${SELF}}[$__rate_interval])))`,
                legend: '{{job_name}}',
              },
            ],
          }),
          timeseries({
            title: 'Job runs by outcome',
            description: 'Job runs per minute, by job and outcome (success, failure).',
            unit: 'short',
            queries: [
              {
                expr: `sum by (job_name, outcome) (rate(ecotone_job_runs_total{${SELF}}[$__rate_interval])) * 60`,
                legend: '{{job_name}}: {{outcome}}',
              },
            ],
          }),
          table({
            title: 'Jobs: failures and last success',
            description:
              'Per job: failed runs in the last hour, and seconds since its last successful run (restored from the stored history, so restarts do not reset it).',
            unit: 's',
            queries: [
              { expr: `sum by (job_name) (increase(ecotone_job_failures_total{${SELF}}[1h]))` },
              {
                expr: `time() - max by (job_name) (ecotone_job_last_success_timestamp_seconds{${SELF}} > 0)`,
              },
            ],
            width: 24,
          }),
        ],
      },
      {
        title: 'Ingest',
        panels: [
          timeseries({
            title: 'Events and spans ingested',
            description: 'Events and spans committed per second, by outcome (accepted, duplicate, rejected).',
            unit: 'ops',
            queries: [
              {
                expr: `sum by (outcome) (rate(ecotone_ingest_events_total{${SELF}}[$__rate_interval]))`,
                legend: 'events {{outcome}}',
              },
              {
                expr: `sum by (outcome) (rate(ecotone_ingest_spans_total{${SELF}}[$__rate_interval]))`,
                legend: 'spans {{outcome}}',
              },
            ],
          }),
          timeseries({
            title: 'Rejected requests',
            description:
              'Ingest requests turned away per second, by endpoint and reason (malformed, too_large, unauthorized, rate_limited, overloaded, …). A reason appears with its first rejection.',
            unit: 'reqps',
            queries: [
              {
                expr: `sum by (endpoint, reason) (rate(ecotone_ingest_rejections_total{${SELF}}[$__rate_interval]))`,
                legend: '{{endpoint}}: {{reason}}',
              },
            ],
            thresholds: higherIsWorse(0.1, 1),
          }),
          timeseries({
            title: 'Ingest queue and trace state',
            description:
              'Items accepted and not yet committed, spans waiting for the other side of their call, and workflow runs being followed; each is bounded in settings.',
            unit: 'short',
            queries: [
              { expr: `sum(ecotone_ingest_queue_items{${SELF}})`, legend: 'queue items' },
              { expr: `sum(ecotone_trace_pending_pairs{${SELF}})`, legend: 'pending pairs' },
              { expr: `sum(ecotone_workflow_runs_active{${SELF}})`, legend: 'active workflow runs' },
            ],
            thresholds: NEUTRAL,
          }),
          timeseries({
            title: 'Ingest commit duration p95',
            description: '95th percentile of one group commit of ingest requests to the store.',
            unit: 's',
            queries: [
              {
                expr: `histogram_quantile(0.95, sum by (le) (rate(ecotone_ingest_commit_duration_seconds_bucket{${SELF}}[$__rate_interval])))`,
                legend: 'p95',
              },
            ],
            thresholds: higherIsWorse(0.1, 1),
          }),
        ],
      },
    ],
  });
}
