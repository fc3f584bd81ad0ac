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
    // Business events for every KPI family the demo's random traffic may not reach in a short
    // run: one customer buying through two channels (cross-sell), feedback with text, a ticket.
    const events = [
      ['web', 'storefront-checkout', 'northwind'],
      ['marketplace', 'marketplace-orders', 'bazaaro'],
    ].map(([channel, integration, participant], i) => ({
      id: `e2e-sale-${i}`,
      type: 'transaction',
      participant,
      integration,
      data: { amount: 40 + i, currency: 'EUR', customer: 'e2e-customer', channel },
    }));
    events.push(
      {
        id: 'e2e-feedback',
        type: 'feedback',
        participant: 'bazaaro',
        data: { score: 8, text: 'great support' },
      } as never,
      {
        id: 'e2e-ticket',
        type: 'ticket.opened',
        integration: 'marketplace-orders',
        data: { ticket: 'T-1' },
      } as never,
    );
    const sent = await fetch(`${stack.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    expect(sent.status, await sent.clone().text()).toBe(200);
    // A few healthy scrapes and probe runs first, then the 3PL's SFTP drop goes down.
    await new Promise((r) => setTimeout(r, 20_000));
    await stack.runJobs('kpi:');
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
    // Everything scraped by now: the families the demo exports, named when a query finds no data.
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
    async (q) => {
      const expr = substituteVariables(q.expr, { rateInterval: '1m', range: '1h' });
      const res = await query(expr);
      expect(res.status, `${expr}: ${res.error}`).toBe('success');
      const result = res.data.result;
      const empty =
        res.data.resultType === 'vector' || res.data.resultType === 'matrix'
          ? (result as unknown[]).length === 0
          : false;
      const missing = [...new Set([...q.expr.matchAll(/\becotone_\w+/g)].map((m) => m[0] as string))]
        .map((name) => name.replace(/_(bucket|sum|count)$/, ''))
        .filter((name) => !exported?.has(name));
      expect(
        empty,
        `no data for ${expr}${missing.length > 0 ? ` (not exported: ${missing.join(', ')})` : ''}`,
      ).toBe(false);
    },
  );
});
