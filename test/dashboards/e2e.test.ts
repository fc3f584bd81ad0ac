import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARDS, panelQueries, substituteVariables } from '../../dashboards/index.ts';
import { type DemoStack, startDemoStack } from './demo-stack.ts';

const hasPrometheus =
  spawnSync('prometheus', ['--version']).status === 0 && spawnSync('promtool', ['--version']).status === 0;
if (!hasPrometheus)
  console.warn(
    'SKIPPED: prometheus not found; install Debian package "prometheus" (.ci/run does) for the end-to-end test',
  );

/**
 * Families of the KPI engine (issue 5), as docs/metrics.md names them. A panel query that
 * finds no data is marked skipped, not failed, only when a metric it reads is one of these and the
 * demo's /metrics does not export it yet; once the engine exports it, the query is checked.
 */
const KPI_FAMILIES = new Set([
  'ecotone_integration_health_score',
  'ecotone_integration_error_budget_remaining_ratio',
  'ecotone_participants_active',
  'ecotone_onboarding_time_to_value_seconds',
  'ecotone_onboardings_total',
  'ecotone_stakeholder_diversity_index',
  'ecotone_transactions_total',
  'ecotone_active_users',
  'ecotone_data_exchanges_total',
  'ecotone_revenue_attributed_total',
  'ecotone_cross_sell_ratio',
  'ecotone_customer_lifetime_value',
  'ecotone_cost_savings_total',
  'ecotone_revenue_streams_new',
  'ecotone_roi_ratio',
  'ecotone_revenue_at_risk',
  'ecotone_partner_satisfaction_score',
  'ecotone_support_tickets_open',
  'ecotone_docs_views_total',
  'ecotone_developer_activity_total',
  'ecotone_feedback_sentiment',
  'ecotone_ecosystem_health_score',
  'ecotone_participant_health_score',
  'ecotone_integration_revenue_at_risk',
  'ecotone_integrations_active',
  'ecotone_systems_connected',
  'ecotone_onboarding_velocity',
  'ecotone_integration_error_ratio',
  'ecotone_partner_satisfaction_responses',
  'ecotone_support_tickets_opened_total',
  'ecotone_support_tickets_closed_total',
]);

const OUTAGE_INTEGRATION = 'tpl-stock-files';
const QUERIES = Object.values(DASHBOARDS).flatMap((build) => panelQueries(build()));

interface PromResponse {
  status: string;
  error?: string;
  data: { resultType: string; result: unknown[] | [number, string] };
}

describe.skipIf(!hasPrometheus)('dashboards and rules against a real Prometheus scraping the demo', () => {
  let stack: DemoStack;
  let exported: Set<string>;

  const query = async (expr: string): Promise<PromResponse> => {
    const res = await fetch(`${stack.prometheus}/api/v1/query?query=${encodeURIComponent(expr)}`);
    return (await res.json()) as PromResponse;
  };

  beforeAll(async () => {
    stack = await startDemoStack({ scrapeInterval: '2s' });
    // One rejected ingest request, so the rejection panels have a series (the demo sends none).
    await fetch(`${stack.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"events": [',
    });
    // A few healthy scrapes and probe runs first, then the 3PL's SFTP drop goes down.
    await new Promise((r) => setTimeout(r, 20_000));
    await stack.startOutage();
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
  }, 30_000);

  it('fires a burn-rate or down alert for the outage integration', async () => {
    const deadline = Date.now() + 120_000;
    let firing: { labels: Record<string, string>; state: string }[] = [];
    while (Date.now() < deadline) {
      const res = (await (await fetch(`${stack.prometheus}/api/v1/alerts`)).json()) as {
        data: { alerts: { labels: Record<string, string>; state: string }[] };
      };
      firing = res.data.alerts.filter(
        (a) =>
          a.state === 'firing' &&
          a.labels.integration === OUTAGE_INTEGRATION &&
          /^Ecotone(ErrorBudgetBurn\w+|IntegrationDown)$/.test(a.labels.alertname ?? ''),
      );
      if (firing.length > 0) break;
      await new Promise((r) => setTimeout(r, 2_000));
    }
    expect(
      firing.map((a) => a.labels.alertname),
      stack.prometheusLog(),
    ).not.toEqual([]);
    expect(firing[0]?.labels).toMatchObject({ integration: OUTAGE_INTEGRATION, tier: 'medium' });
    // And its status turns down (3 failed runs), so the blast-radius panel has a row.
    while (Date.now() < deadline) {
      const down = await query(`ecotone_integration_status{integration="${OUTAGE_INTEGRATION}"} == 2`);
      if ((down.data.result as unknown[]).length > 0) break;
      await new Promise((r) => setTimeout(r, 2_000));
    }
    console.info(
      `firing for ${OUTAGE_INTEGRATION}: ${firing.map((a) => `${a.labels.alertname} (${a.labels.severity})`).join(', ')}`,
    );
    // Everything scraped by now: the families the demo exports, for the KPI marks below.
    const text = await (await fetch(`${stack.url}/metrics`)).text();
    exported = new Set(
      [...text.matchAll(/^(ecotone_\w+?)(?:_bucket|_sum|_count)?[{ ]/gm)].map((m) => m[1] as string),
    );
    for (const name of text.matchAll(/^(ecotone_\w+)[{ ]/gm)) exported.add(name[1] as string);
  }, 130_000);

  it('the rules loaded without errors', async () => {
    const res = (await (await fetch(`${stack.prometheus}/api/v1/rules`)).json()) as {
      data: { groups: { rules: { health: string; name: string; lastError?: string }[] }[] };
    };
    const rules = res.data.groups.flatMap((g) => g.rules);
    expect(rules.length).toBeGreaterThan(50);
    expect(rules.filter((r) => r.health === 'err').map((r) => `${r.name}: ${r.lastError}`)).toEqual([]);
  });

  it.for(QUERIES.map((q) => ({ ...q, name: `${q.dashboard} / ${q.panel} / ${q.refId}` })))(
    '$name returns data',
    async (q, ctx) => {
      const expr = substituteVariables(q.expr, { rateInterval: '1m', range: '1h' });
      const res = await query(expr);
      expect(res.status, `${expr}: ${res.error}`).toBe('success');
      const result = res.data.result;
      const empty =
        res.data.resultType === 'vector' || res.data.resultType === 'matrix'
          ? (result as unknown[]).length === 0
          : false;
      if (empty) {
        const missing = [...new Set([...q.expr.matchAll(/\becotone_\w+/g)].map((m) => m[0] as string))]
          .map((name) => name.replace(/_(bucket|sum|count)$/, ''))
          .filter((name) => !exported?.has(name));
        const pending = missing.filter((name) => KPI_FAMILIES.has(name));
        if (pending.length > 0 && pending.length === missing.length)
          ctx.skip(`KPI family not in the demo's /metrics yet: ${pending.join(', ')}`);
      }
      expect(empty, `no data for ${expr}`).toBe(false);
    },
  );
});
