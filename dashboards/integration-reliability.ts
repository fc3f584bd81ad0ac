import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  bars,
  dashboard,
  datasourceVariable,
  higherIsBetter,
  higherIsWorse,
  NEUTRAL,
  STATUS_MAPPINGS,
  stat,
  table,
  timeline,
  timeseries,
} from './kit.ts';
import { INTEGRATION, integrationVariables } from './variables.ts';

/** Integration reliability (ops): what fails, how often, why, how slow, and since when. */
export function integrationReliability(): Dashboard {
  return dashboard({
    uid: 'ecotone-integration-reliability',
    title: 'Ecotone / Integration reliability',
    description:
      'Failure rates, failure classes, latency, status and availability of every integration, from probes and traces.',
    tags: ['ops', 'reliability'],
    variables: [datasourceVariable(), ...integrationVariables()],
    rows: [
      {
        title: 'Now',
        panels: [
          stat({
            title: 'Integrations down',
            description:
              'Integrations whose status is down: 3 consecutive failed probe runs (settings: failureThreshold), until 2 succeed.',
            unit: 'short',
            queries: [{ expr: `count(ecotone_integration_status{${INTEGRATION}} == 2) or vector(0)` }],
            thresholds: higherIsWorse(1, 1),
          }),
          stat({
            title: 'Integrations degraded',
            description: 'Integrations whose last 3 probe runs were slower than their SLO latency.',
            unit: 'short',
            queries: [{ expr: `count(ecotone_integration_status{${INTEGRATION}} == 1) or vector(0)` }],
            thresholds: higherIsWorse(1, 3),
          }),
          stat({
            title: 'Probe success',
            description:
              'Share of probe runs that succeeded, conditions included, over the selected interval.',
            unit: 'percentunit',
            queries: [
              {
                expr: `sum(rate(ecotone_probes_total{${INTEGRATION}, outcome="success"}[$__rate_interval])) / sum(rate(ecotone_probes_total{${INTEGRATION}}[$__rate_interval]))`,
              },
            ],
            thresholds: higherIsBetter(0.95, 0.99),
            decimals: 2,
          }),
          stat({
            title: 'Traced call errors',
            description:
              'Share of calls seen in traces that ended in a 5xx or a span error (4xx are the caller\u2019s and not counted).',
            unit: 'percentunit',
            queries: [
              {
                expr: `sum(rate(ecotone_integration_requests_total{${INTEGRATION}, outcome=~"server_error|error"}[$__rate_interval])) / sum(rate(ecotone_integration_requests_total{${INTEGRATION}}[$__rate_interval]))`,
              },
            ],
            thresholds: higherIsWorse(0.01, 0.05),
            decimals: 2,
          }),
          timeline({
            title: 'Status over time',
            description:
              'Each integration\u2019s status (healthy, degraded, down, unknown) with hysteresis; a band starts when the status began, so this shows since when.',
            unit: 'short',
            queries: [
              {
                expr: `max by (integration) (ecotone_integration_status{${INTEGRATION}})`,
                legend: '{{integration}}',
              },
            ],
            mappings: STATUS_MAPPINGS,
            thresholds: NEUTRAL,
            width: 24,
            height: 10,
          }),
          table({
            title: 'Status by integration',
            description:
              'Current status of each probed integration with its tier and counterpart participant, and how many times it changed in the last hour.',
            unit: 'short',
            queries: [
              { expr: `ecotone_integration_status{${INTEGRATION}}` },
              { expr: `changes(ecotone_integration_status{${INTEGRATION}}[1h])` },
            ],
            mappings: STATUS_MAPPINGS,
            width: 24,
          }),
        ],
      },
      {
        title: 'Failures',
        panels: [
          timeseries({
            title: 'Probe failure rate by integration',
            description: 'Failed probe runs over all runs, per integration.',
            unit: 'percentunit',
            queries: [
              {
                expr: `sum by (integration) (rate(ecotone_probes_total{${INTEGRATION}, outcome!="success"}[$__rate_interval])) / sum by (integration) (rate(ecotone_probes_total{${INTEGRATION}}[$__rate_interval]))`,
                legend: '{{integration}}',
              },
            ],
            thresholds: higherIsWorse(0.01, 0.05),
            min: 0,
            max: 1,
          }),
          bars({
            title: 'Top failing connections (1h)',
            description: 'The ten integrations with the most failed probe runs in the last hour.',
            unit: 'short',
            queries: [
              {
                expr: `topk(10, sum by (integration, participant) (increase(ecotone_probes_total{${INTEGRATION}, outcome!="success"}[1h])) > 0)`,
                legend: '{{integration}} ({{participant}})',
              },
            ],
            thresholds: higherIsWorse(1, 10),
          }),
          timeseries({
            title: 'Failure classes over time',
            description:
              'Failed probe runs per second by failure class: timeout, dns, connect_refused, connect_reset, tls, status, condition, body_too_large, other.',
            unit: 'ops',
            queries: [
              {
                expr: `sum by (outcome) (rate(ecotone_probes_total{${INTEGRATION}, outcome!="success"}[$__rate_interval]))`,
                legend: '{{outcome}}',
              },
            ],
            stacked: true,
          }),
          timeseries({
            title: 'Traced calls by outcome',
            description:
              'Calls per second seen in traces, by outcome (success, client_error, server_error, error).',
            unit: 'reqps',
            queries: [
              {
                expr: `sum by (outcome) (rate(ecotone_integration_requests_total{${INTEGRATION}}[$__rate_interval]))`,
                legend: '{{outcome}}',
              },
            ],
            stacked: true,
          }),
          timeseries({
            title: 'Traced call error rate by integration',
            description: 'Share of traced calls per integration that ended in a 5xx or a span error.',
            unit: 'percentunit',
            queries: [
              {
                expr: `sum by (integration) (rate(ecotone_integration_requests_total{${INTEGRATION}, outcome=~"server_error|error"}[$__rate_interval])) / sum by (integration) (rate(ecotone_integration_requests_total{${INTEGRATION}}[$__rate_interval]))`,
                legend: '{{integration}}',
              },
            ],
            thresholds: higherIsWorse(0.01, 0.05),
            min: 0,
          }),
          timeseries({
            title: 'Probe failures by integration and class',
            description: 'Failed probe runs per second, per integration and failure class.',
            unit: 'ops',
            queries: [
              {
                expr: `sum by (integration, outcome) (rate(ecotone_probes_total{${INTEGRATION}, outcome!="success"}[$__rate_interval]))`,
                legend: '{{integration}}: {{outcome}}',
              },
            ],
          }),
        ],
      },
      {
        title: 'Latency',
        panels: [
          timeseries({
            title: 'Probe latency p50 / p95 / p99',
            description:
              'Quantiles of probe run durations across the selected integrations (histogram, 5 ms to 10 s buckets).',
            unit: 's',
            queries: [0.5, 0.95, 0.99].map((q) => ({
              expr: `histogram_quantile(${q}, sum by (le) (rate(ecotone_probe_duration_seconds_bucket{${INTEGRATION}}[$__rate_interval])))`,
              legend: `p${Math.round(q * 100)}`,
            })),
          }),
          timeseries({
            title: 'Traced call latency p50 / p95 / p99',
            description: 'Quantiles of the durations of calls seen in traces (span end minus start).',
            unit: 's',
            queries: [0.5, 0.95, 0.99].map((q) => ({
              expr: `histogram_quantile(${q}, sum by (le) (rate(ecotone_integration_request_duration_seconds_bucket{${INTEGRATION}}[$__rate_interval])))`,
              legend: `p${Math.round(q * 100)}`,
            })),
          }),
          timeseries({
            title: 'Probe latency p95 by integration',
            description:
              '95th percentile of probe run durations per integration; compare with each integration\u2019s SLO latency.',
            unit: 's',
            queries: [
              {
                expr: `histogram_quantile(0.95, sum by (integration, le) (rate(ecotone_probe_duration_seconds_bucket{${INTEGRATION}}[$__rate_interval])))`,
                legend: '{{integration}}',
              },
            ],
          }),
          timeseries({
            title: 'Traced call latency p95 by integration',
            description: '95th percentile of traced call durations per integration.',
            unit: 's',
            queries: [
              {
                expr: `histogram_quantile(0.95, sum by (integration, le) (rate(ecotone_integration_request_duration_seconds_bucket{${INTEGRATION}}[$__rate_interval])))`,
                legend: '{{integration}}',
              },
            ],
          }),
        ],
      },
      {
        title: 'Availability',
        panels: [
          table({
            title: 'Availability per window',
            description:
              'Share of successful probe runs over 1h, 24h and 30d, from the stored rollups (the 24h and 30d windows move in hour and day steps).',
            unit: 'percentunit',
            queries: [{ expr: `ecotone_integration_availability_ratio{${INTEGRATION}}` }],
            thresholds: higherIsBetter(0.99, 0.999),
            decimals: 3,
            width: 16,
          }),
          bars({
            title: 'Certificate expiry',
            description: 'Time until the leaf TLS certificate of each HTTPS probe target expires.',
            unit: 's',
            queries: [
              {
                expr: `ecotone_probe_tls_expiry_seconds{${INTEGRATION}} - time()`,
                legend: '{{integration}}',
              },
            ],
            thresholds: higherIsBetter(3 * 86_400, 14 * 86_400),
            width: 8,
          }),
        ],
      },
      {
        title: 'Discovery and workflows',
        panels: [
          stat({
            title: 'Discovered edges',
            description:
              'Service pairs seen calling each other in traces that no integration matches and nobody adopted or ignored: undeclared integrations (shadow IT). Adopt or ignore them in the API.',
            unit: 'short',
            queries: [{ expr: 'sum(ecotone_discovered_edges)' }],
            thresholds: higherIsWorse(1, 10),
          }),
          timeseries({
            title: 'Workflow completion (1h)',
            description:
              'Workflow runs completed over runs started in the last hour, per workflow (needs an hour of traffic to settle).',
            unit: 'percentunit',
            queries: [
              {
                expr: 'sum by (workflow) (increase(ecotone_workflow_runs_total{outcome="completed"}[1h])) / sum by (workflow) (increase(ecotone_workflow_runs_started_total[1h]))',
                legend: '{{workflow}}',
              },
            ],
            thresholds: higherIsBetter(0.9, 0.98),
            width: 9,
          }),
          timeseries({
            title: 'Workflow runs ended by outcome',
            description:
              'Workflow runs per second that completed, failed (a step\u2019s call did not succeed) or were abandoned.',
            unit: 'ops',
            queries: [
              {
                expr: 'sum by (workflow, outcome) (rate(ecotone_workflow_runs_total[$__rate_interval]))',
                legend: '{{workflow}}: {{outcome}}',
              },
            ],
            width: 9,
          }),
        ],
      },
    ],
  });
}
