import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  bars,
  dashboard,
  datasourceVariable,
  higherIsBetter,
  higherIsWorse,
  STATUS_MAPPINGS,
  stat,
  table,
  timeseries,
} from './kit.ts';
import { RECORDED } from './rules/names.ts';
import { INTEGRATION, integrationVariables } from './variables.ts';

const burnRate = (window: string) =>
  `${RECORDED.errorRatio(window)}{${INTEGRATION}} / on (integration) group_left () (1 - ${RECORDED.availabilityObjective}{${INTEGRATION}})`;

/** SLOs and alerts (SRE): error budgets, burn rates, what fires, what it costs and what depends on it. */
export function slosAndAlerts(): Dashboard {
  return dashboard({
    uid: 'ecotone-slos-alerts',
    title: 'Ecotone / SLOs and alerts',
    description:
      'Per-integration availability SLOs: error budget remaining, burn rates over the alerting windows, firing alerts, revenue at risk and the blast radius of what is down.',
    tags: ['sre', 'slo'],
    variables: [datasourceVariable(), ...integrationVariables()],
    rows: [
      {
        title: 'Error budget',
        panels: [
          bars({
            title: 'Error budget remaining',
            description:
              'Share of each integration\u2019s error budget left over its SLO window (1 = untouched, 0 = spent, below 0 = SLO missed), computed by Ecotone\u2019s KPI engine from the stored history.',
            unit: 'percentunit',
            queries: [
              {
                expr: `ecotone_integration_error_budget_remaining_ratio{${INTEGRATION}}`,
                legend: '{{integration}}',
              },
            ],
            thresholds: higherIsBetter(0.25, 0.5),
            max: 1,
            height: 10,
          }),
          bars({
            title: 'Health score by integration',
            description:
              'Weighted health score (0-100) of each integration: availability and latency against the SLO, status, data quality, activity. GET /api/v1/health/integration/{id} explains what lowered it.',
            unit: 'short',
            queries: [
              { expr: `ecotone_integration_health_score{${INTEGRATION}}`, legend: '{{integration}}' },
            ],
            thresholds: higherIsBetter(60, 80),
            min: 0,
            max: 100,
            height: 10,
            width: 24,
          }),
          table({
            title: 'SLO targets',
            description:
              'The availability objective of each integration, from the catalog (recorded by the generated rules, so alerts and panels use the same figure).',
            unit: 'percentunit',
            queries: [{ expr: `${RECORDED.availabilityObjective}{${INTEGRATION}}` }],
            decimals: 4,
            height: 10,
          }),
        ],
      },
      {
        title: 'Burn rates',
        panels: [
          table({
            title: 'Burn rate per window',
            description:
              'How fast each integration spends its error budget over each alerting window: 1 spends exactly the budget over the SLO window. Pages fire above 14.4 (1h and 5m) and 6 (6h and 30m), tickets above 3 (1d and 2h) and 1 (3d and 6h), for a 30-day window.',
            unit: 'short',
            queries: ['5m', '1h', '6h', '1d', '3d'].map((w) => ({ expr: burnRate(w) })),
            thresholds: higherIsWorse(1, 6),
            decimals: 2,
            width: 24,
          }),
          timeseries({
            title: 'Burn rate 1h (fast burn)',
            description:
              'Error ratio over the last hour divided by the error budget; the page threshold is 14.4.',
            unit: 'short',
            queries: [{ expr: burnRate('1h'), legend: '{{integration}}' }],
            thresholds: higherIsWorse(6, 14.4),
          }),
          timeseries({
            title: 'Burn rate 6h',
            description:
              'Error ratio over the last 6 hours divided by the error budget; the page threshold is 6.',
            unit: 'short',
            queries: [{ expr: burnRate('6h'), legend: '{{integration}}' }],
            thresholds: higherIsWorse(3, 6),
          }),
          timeseries({
            title: 'Error ratio (SLI) 5m',
            description:
              'The SLI the alerts use: failed probe runs over all runs for probed integrations, else calls that ended in a 5xx or a span error over all traced calls.',
            unit: 'percentunit',
            queries: [{ expr: `${RECORDED.errorRatio('5m')}{${INTEGRATION}}`, legend: '{{integration}}' }],
            thresholds: higherIsWorse(0.001, 0.01),
            width: 24,
          }),
        ],
      },
      {
        title: 'Alerts',
        panels: [
          table({
            title: 'Firing alerts',
            description:
              'Ecotone alerts firing now, with severity, integration, tier and participant. Runbooks: docs/runbooks/.',
            unit: 'short',
            queries: [{ expr: 'ALERTS{alertstate="firing", alertname=~"Ecotone.*"}' }],
            width: 16,
          }),
          timeseries({
            title: 'Firing alerts by severity',
            description: 'Number of Ecotone alerts firing over time, by severity label.',
            unit: 'short',
            queries: [
              {
                expr: 'sum by (severity) (ALERTS{alertstate="firing", alertname=~"Ecotone.*"})',
                legend: '{{severity}}',
              },
            ],
            stacked: true,
            width: 8,
          }),
        ],
      },
      {
        title: 'Impact',
        panels: [
          stat({
            title: 'Revenue at risk',
            description:
              'Trailing hourly revenue (last 7 days / 168) flowing through integrations now degraded or down and their blast radius, per currency, from Ecotone\u2019s KPI engine.',
            unit: 'short',
            queries: [{ expr: 'sum by (currency) (ecotone_revenue_at_risk)', legend: '{{currency}}/h' }],
            thresholds: higherIsWorse(1, 1000),
          }),
          bars({
            title: 'Revenue at risk by integration',
            description:
              'Hourly revenue at risk of each integration and its blast radius (the workflows and integrations that depend on it); 0 while it is healthy.',
            unit: 'short',
            queries: [
              {
                expr: `topk(10, ecotone_integration_revenue_at_risk{${INTEGRATION}})`,
                legend: '{{integration}} ({{currency}}/h)',
              },
            ],
            thresholds: higherIsWorse(1, 1000),
            width: 6,
          }),
          stat({
            title: 'Participants affected',
            description: 'Counterpart participants with at least one integration down or degraded now.',
            unit: 'short',
            queries: [
              {
                expr: `count(count by (participant) (ecotone_integration_status{${INTEGRATION}} == 1 or ecotone_integration_status{${INTEGRATION}} == 2)) or vector(0)`,
              },
            ],
            thresholds: higherIsWorse(1, 3),
          }),
          table({
            title: 'Blast radius: integrations down or degraded',
            description:
              'What is not healthy now, with the systems on each side and the counterpart participant: the calls between those systems and every workflow step over this integration are affected. Empty when everything is healthy.',
            unit: 'short',
            queries: [
              {
                expr: `(ecotone_integration_status{${INTEGRATION}} == 1 or ecotone_integration_status{${INTEGRATION}} == 2) * on (integration) group_left (kind, source_system, target_system) max by (integration, kind, source_system, target_system) (ecotone_integration_info)`,
              },
            ],
            mappings: STATUS_MAPPINGS,
          }),
        ],
      },
    ],
  });
}
