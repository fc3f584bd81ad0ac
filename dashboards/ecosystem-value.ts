import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  bars,
  dashboard,
  datasourceVariable,
  higherIsBetter,
  labelVariable,
  NEUTRAL,
  stat,
  timeseries,
} from './kit.ts';

const PARTICIPANT = 'participant=~"$participant"';

/** Ecosystem value (leadership): revenue, ROI, savings, growth, onboarding and the health score. */
export function ecosystemValue(): Dashboard {
  return dashboard({
    uid: 'ecotone-ecosystem-value',
    title: 'Ecotone / Ecosystem value',
    description:
      'What the ecosystem is worth: revenue attributed to ecosystem channels and partners, ROI, cost savings, cross-sell, lifetime value, partner growth, onboarding velocity and the ecosystem health score.',
    tags: ['leadership', 'value'],
    from: 'now-30d',
    variables: [
      datasourceVariable(),
      labelVariable(
        'participant',
        'Partner',
        'label_values(ecotone_integration_info, participant)',
        'Counterpart participant (partner, supplier or customer).',
      ),
      labelVariable(
        'channel',
        'Channel',
        'label_values(ecotone_revenue_attributed_total, channel)',
        'Sales or business channel the revenue came through.',
      ),
    ],
    rows: [
      {
        title: 'Headline',
        panels: [
          stat({
            title: 'Ecosystem health score',
            description:
              'One score from 0 to 100 for the whole ecosystem, from integration health, data quality and participation; the Ecotone API explains what lowered it.',
            unit: 'short',
            queries: [{ expr: 'ecotone_ecosystem_health_score' }],
            thresholds: higherIsBetter(60, 80),
            min: 0,
            max: 100,
          }),
          stat({
            title: 'ROI',
            description:
              '(Attributed revenue + cost savings \u2212 ecosystem cost) / ecosystem cost over the last 30 days, in the value model\u2019s currency: 0% breaks even.',
            unit: 'percentunit',
            queries: [{ expr: 'ecotone_roi_ratio' }],
            thresholds: higherIsBetter(0, 1),
          }),
          stat({
            title: 'Revenue attributed (selected range)',
            description:
              'Revenue attributed to ecosystem channels over the dashboard\u2019s time range, per currency.',
            unit: 'short',
            queries: [
              {
                expr: `sum by (currency) (increase(ecotone_revenue_attributed_total{${PARTICIPANT}, channel=~"$channel"}[$__range]))`,
                legend: '{{currency}}',
              },
            ],
            thresholds: NEUTRAL,
          }),
          stat({
            title: 'Cost savings (selected range)',
            description:
              'Cost saved by standard integrations over the time range: manual hand-offs avoided times their cost in the value model.',
            unit: 'short',
            queries: [
              {
                expr: 'sum by (currency) (increase(ecotone_cost_savings_total[$__range]))',
                legend: '{{currency}}',
              },
            ],
            thresholds: NEUTRAL,
          }),
          timeseries({
            title: 'Ecosystem health score trend',
            description: 'The ecosystem health score over time (0-100).',
            unit: 'short',
            queries: [{ expr: 'ecotone_ecosystem_health_score', legend: 'ecosystem' }],
            thresholds: higherIsBetter(60, 80),
            min: 0,
            max: 100,
            width: 24,
          }),
        ],
      },
      {
        title: 'Revenue',
        panels: [
          timeseries({
            title: 'Attributed revenue by channel',
            description: 'Revenue per hour attributed to each ecosystem channel, from business events.',
            unit: 'short',
            queries: [
              {
                expr: `sum by (channel, currency) (rate(ecotone_revenue_attributed_total{${PARTICIPANT}, channel=~"$channel"}[$__rate_interval])) * 3600`,
                legend: '{{channel}} ({{currency}})',
              },
            ],
            stacked: true,
          }),
          bars({
            title: 'Top partners by attributed revenue (30d)',
            description: 'The ten participants with the most attributed revenue over the last 30 days.',
            unit: 'short',
            queries: [
              {
                expr: `topk(10, sum by (participant, currency) (increase(ecotone_revenue_attributed_total{${PARTICIPANT}, channel=~"$channel"}[30d])))`,
                legend: '{{participant}} ({{currency}})',
              },
            ],
          }),
          stat({
            title: 'Cross-sell ratio',
            description:
              'Share of the customers who transacted in the last 30 days that did so through two or more channels or participants.',
            unit: 'percentunit',
            queries: [{ expr: 'ecotone_cross_sell_ratio' }],
            thresholds: higherIsBetter(0.05, 0.15),
          }),
          bars({
            title: 'Customer lifetime value by segment',
            description:
              'Mean revenue per customer over the stored history: customers who bought through a partner (ecosystem) against those who bought only direct.',
            unit: 'short',
            queries: [{ expr: 'ecotone_customer_lifetime_value', legend: '{{segment}} ({{currency}})' }],
          }),
          stat({
            title: 'New revenue streams',
            description: 'Channels whose first revenue falls in the last 30 days.',
            unit: 'short',
            queries: [{ expr: 'sum(ecotone_revenue_streams_new)' }],
            thresholds: NEUTRAL,
          }),
          stat({
            title: 'Revenue at risk',
            description:
              'Trailing hourly revenue flowing through integrations now degraded or down and their blast radius, per currency.',
            unit: 'short',
            queries: [{ expr: 'sum by (currency) (ecotone_revenue_at_risk)', legend: '{{currency}}/h' }],
            thresholds: [
              { value: null, color: 'green' },
              { value: 1, color: 'red' },
            ],
          }),
        ],
      },
      {
        title: 'Growth and onboarding',
        panels: [
          timeseries({
            title: 'Partners by lifecycle stage',
            description:
              'Partners and suppliers in the catalog by stage: prospect, onboarding, active, churned.',
            unit: 'short',
            queries: [
              {
                expr: 'sum by (stage) (ecotone_participants{role=~"partner|supplier"})',
                legend: '{{stage}}',
              },
            ],
            stacked: true,
          }),
          timeseries({
            title: 'Active participants',
            description:
              'Participants (not orchestrator or internal) with an event, a successful traced call or a successful probe in the last 30 days, by role.',
            unit: 'short',
            queries: [{ expr: 'sum by (role) (ecotone_participants_active)', legend: '{{role}}' }],
            stacked: true,
          }),
          stat({
            title: 'Countries',
            description: 'Distinct countries among the participants in the catalog.',
            unit: 'short',
            queries: [{ expr: 'max(ecotone_participant_countries)' }],
            thresholds: NEUTRAL,
          }),
          stat({
            title: 'Onboarding velocity',
            description: 'Participants that reached first value in the last 30 days.',
            unit: 'short',
            queries: [{ expr: 'max(ecotone_onboarding_velocity)' }],
            thresholds: NEUTRAL,
          }),
          stat({
            title: 'Onboarded to first value',
            description:
              'Participants that ever reached first value (signed, then a first transaction or a first_value stage).',
            unit: 'short',
            queries: [{ expr: 'max(ecotone_onboardings_total)' }],
            thresholds: NEUTRAL,
          }),
          stat({
            title: 'Time to first value (p50 / p90)',
            description:
              'Median and 90th percentile over participants of the time from signed to first value.',
            unit: 's',
            queries: [
              { expr: 'max(ecotone_onboarding_time_to_value_seconds{quantile="0.5"})', legend: 'p50' },
              { expr: 'max(ecotone_onboarding_time_to_value_seconds{quantile="0.9"})', legend: 'p90' },
            ],
            thresholds: NEUTRAL,
            width: 12,
          }),
        ],
      },
    ],
  });
}
