import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  bars,
  dashboard,
  datasourceVariable,
  higherIsBetter,
  higherIsWorse,
  labelVariable,
  NEUTRAL,
  stat,
  table,
  timeseries,
} from './kit.ts';

/** Participation and usage: who takes part, how much flows, and how partners feel about it. */
export function participationUsage(): Dashboard {
  return dashboard({
    uid: 'ecotone-participation-usage',
    title: 'Ecotone / Participation and usage',
    description:
      'Who takes part in the ecosystem (participants by role, stage and country, diversity) and how much it is used (transactions, active users, data exchanges, traced calls), with partner satisfaction, tickets, docs and developer activity.',
    tags: ['partners', 'usage'],
    from: 'now-7d',
    variables: [
      datasourceVariable(),
      labelVariable(
        'participant',
        'Participant',
        'label_values(ecotone_integration_info, participant)',
        'Counterpart participant of the integrations.',
      ),
    ],
    rows: [
      {
        title: 'Participants',
        panels: [
          table({
            title: 'Participants by role and stage',
            description:
              'Participants in the catalog by role (orchestrator, partner, supplier, customer, internal) and lifecycle stage.',
            unit: 'short',
            queries: [{ expr: 'sum by (role, stage) (ecotone_participants) > 0' }],
          }),
          timeseries({
            title: 'Participants by role',
            description: 'Participants in the catalog over time, by role.',
            unit: 'short',
            queries: [{ expr: 'sum by (role) (ecotone_participants)', legend: '{{role}}' }],
            stacked: true,
          }),
          stat({
            title: 'Countries',
            description: 'Distinct countries among the participants in the catalog.',
            unit: 'short',
            queries: [{ expr: 'max(ecotone_participant_countries)' }],
          }),
          stat({
            title: 'Systems',
            description: 'Systems in the catalog.',
            unit: 'short',
            queries: [{ expr: 'max(ecotone_systems)' }],
          }),
          stat({
            title: 'Integrations',
            description: 'Integrations in the catalog, all tiers.',
            unit: 'short',
            queries: [{ expr: 'sum(ecotone_integrations)' }],
          }),
          stat({
            title: 'Stakeholder diversity',
            description:
              'Shannon index (nats) of onboarding and active participants over roles and over countries: 0 when all are of one kind, ln(n) when evenly spread over n kinds.',
            unit: 'short',
            queries: [{ expr: 'ecotone_stakeholder_diversity_index', legend: '{{dimension}}' }],
            thresholds: higherIsBetter(0.5, 1),
            decimals: 2,
          }),
          stat({
            title: 'Active integrations',
            description: 'Integrations with a successful traced call or probe run in the last 30 days.',
            unit: 'short',
            queries: [{ expr: 'sum(ecotone_integrations_active)' }],
          }),
          stat({
            title: 'Systems connected',
            description: 'Systems that are the source or target of at least one integration in the catalog.',
            unit: 'short',
            queries: [{ expr: 'max(ecotone_systems_connected)' }],
          }),
          bars({
            title: 'Participant health score',
            description:
              'Tier-weighted mean of the health scores of each participant\u2019s integrations, with its satisfaction (0-100).',
            unit: 'short',
            queries: [
              {
                expr: 'ecotone_participant_health_score{participant=~"$participant"}',
                legend: '{{participant}}',
              },
            ],
            thresholds: higherIsBetter(60, 80),
            min: 0,
            max: 100,
          }),
        ],
      },
      {
        title: 'Usage',
        panels: [
          timeseries({
            title: 'Transactions by channel',
            description: 'Transaction events per second, by channel.',
            unit: 'ops',
            queries: [
              {
                expr: 'sum by (channel) (rate(ecotone_transactions_total[$__rate_interval]))',
                legend: '{{channel}}',
              },
            ],
            stacked: true,
          }),
          timeseries({
            title: 'Active users',
            description: 'Distinct users of user.active events over the last 1, 7 and 30 days.',
            unit: 'short',
            queries: [{ expr: 'sum by (window) (ecotone_active_users)', legend: '{{window}}' }],
          }),
          timeseries({
            title: 'Data exchanges',
            description:
              'Traced calls per second between two participants (source to target), every outcome; the ten busiest pairs.',
            unit: 'ops',
            queries: [
              {
                expr: 'topk(10, sum by (source, target) (rate(ecotone_data_exchanges_total[$__rate_interval])))',
                legend: '{{source}} \u2192 {{target}}',
              },
            ],
          }),
          timeseries({
            title: 'Traced calls by participant',
            description: 'Calls per second seen in traces, by counterpart participant.',
            unit: 'reqps',
            queries: [
              {
                expr: 'sum by (participant) (rate(ecotone_integration_requests_total{participant=~"$participant"}[$__rate_interval]))',
                legend: '{{participant}}',
              },
            ],
            stacked: true,
          }),
        ],
      },
      {
        title: 'Partner experience',
        panels: [
          bars({
            title: 'Partner satisfaction',
            description: 'Mean feedback score (0-10) of each partner over the last 90 days.',
            unit: 'short',
            queries: [
              {
                expr: 'ecotone_partner_satisfaction_score{participant=~"$participant"}',
                legend: '{{participant}}',
              },
            ],
            min: 0,
            max: 10,
            thresholds: higherIsBetter(6, 8),
          }),
          stat({
            title: 'Support tickets open',
            description: 'Support tickets opened and not closed, across integrations.',
            unit: 'short',
            queries: [{ expr: 'sum(ecotone_support_tickets_open)' }],
            thresholds: higherIsWorse(10, 50),
          }),
          stat({
            title: 'Feedback sentiment',
            description:
              'Mean sentiment of partners\u2019 feedback texts over the last 90 days (AFINN comparative score: below 0 negative, above 0 positive).',
            unit: 'short',
            queries: [{ expr: 'avg(ecotone_feedback_sentiment{participant=~"$participant"})' }],
            thresholds: higherIsBetter(-0.1, 0.1),
            decimals: 2,
          }),
          timeseries({
            title: 'Docs views and developer activity',
            description: 'docs.view and developer.activity events per hour.',
            unit: 'short',
            queries: [
              {
                expr: 'sum(rate(ecotone_docs_views_total[$__rate_interval])) * 3600',
                legend: 'docs views/h',
              },
              {
                expr: 'sum(rate(ecotone_developer_activity_total[$__rate_interval])) * 3600',
                legend: 'developer actions/h',
              },
            ],
            thresholds: NEUTRAL,
          }),
        ],
      },
    ],
  });
}
