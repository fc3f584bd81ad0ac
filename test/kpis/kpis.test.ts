import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type EventRecord,
  KPI_FOLDS,
  openStore,
  ROLLUP_DURATION_BUCKETS_SECONDS,
  type Store,
} from '../../db/index.ts';
import {
  createKpiCatalog,
  createKpiFold,
  createKpiRunner,
  type HealthReport,
  KPI_FAMILIES,
  type KpiFamily,
  type KpiRunResult,
  type KpiValues,
  kpiJobs,
  startKpiWorker,
} from '../../jobs/kpi/index.ts';
import { applyCatalog } from '../../src/catalog/index.ts';
import { createKpiState } from '../../src/kpis/index.ts';
import { createApp } from '../../src/server/index.ts';
import { startTelemetry } from '../../src/telemetry/index.ts';
import { configFrom, silentLogger, startTestApp, tempDir } from '../helpers.ts';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** "Now" of every run: midday, so the 30-day value window starts 29.5 days back, at midnight. */
const T = Date.parse('2026-03-01T12:00:00Z');

const CATALOG = `
valueModel:
  currency: EUR
  costPerManualHandoff: 2
  savingsPerStandardIntegration: 36500 # 100 a day
  yearlyEcosystemCost: 365000 # 1000 a day
participants:
  - { id: acme, role: orchestrator, country: DE }
  - { id: payco, role: supplier, country: NL, lifecycle: { signed: 2026-01-01, firstValue: 2026-01-11 } }
  - { id: shopx, role: partner, country: FR, lifecycle: { signed: 2026-01-01 } }
  - { id: bigbuy, role: customer, country: DE, stage: onboarding }
  - { id: oldco, role: partner, country: US, stage: churned }
systems:
  - { id: shop, participant: acme }
  - { id: psp, participant: payco }
  - { id: market, participant: shopx }
  - { id: erp, participant: acme }
integrations:
  - id: pay
    from: shop
    to: psp
    tier: critical
    channel: web
    slo: { availability: 0.99, latency: 1s, window: 30d }
    match: [{ service: shop, serverAddress: psp.example }]
    probe: { type: http, url: "http://127.0.0.1:1/health", interval: 30s, timeout: 5s }
  - id: market-orders
    from: shop
    to: market
    tier: high
    channel: marketplace
    match: [{ service: shop, serverAddress: market.example }]
  - { id: erp-sync, from: psp, to: erp, kind: event-stream, tier: medium, labels: { connector: standard } }
workflows:
  - { id: checkout, steps: [pay, market-orders] }
`;

let n = 0;
function event(type: string, at: number, fields: Partial<EventRecord> = {}): EventRecord {
  n++;
  return { id: `e${n}`, type, time: at, hash: `h${n}`, data: {}, ...fields };
}

/** The hand-computed dataset: every figure asserted below is derived from these rows in comments. */
function dataset(): EventRecord[] {
  return [
    // Transactions. tx1 has no channel: the integration's (web) is used.
    event('transaction', T - HOUR, {
      integration: 'pay',
      participant: 'acme',
      customer: 'c1',
      amount: 100,
      currency: 'EUR',
    }),
    event('transaction', T - 2 * HOUR, {
      integration: 'market-orders',
      participant: 'shopx',
      channel: 'marketplace',
      customer: 'c1',
      amount: 50,
      currency: 'EUR',
    }),
    event('transaction', T - 40 * DAY, {
      integration: 'pay',
      participant: 'acme',
      customer: 'c2',
      amount: 30,
      currency: 'EUR',
    }),
    event('transaction', T - DAY, {
      participant: 'shopx',
      channel: 'marketplace',
      customer: 'c3',
      amount: 20,
      currency: 'USD',
    }),
    // Users: u1 twice (latest T-2h), u2 T-5d, u3 T-20d, u4 T-40d.
    event('user.active', T - 2 * HOUR, { user: 'u1' }),
    event('user.active', T - 3 * DAY, { user: 'u1' }),
    event('user.active', T - 5 * DAY, { user: 'u2' }),
    event('user.active', T - 20 * DAY, { user: 'u3' }),
    event('user.active', T - 40 * DAY, { user: 'u4' }),
    // Hand-offs: 5 inside the value window, 1 (count absent) outside it.
    event('handoff.automated', T - HOUR, { integration: 'erp-sync', data: { count: 5 } }),
    event('handoff.automated', T - 31 * DAY, { integration: 'erp-sync' }),
    // Onboarding: shopx reaches first value 5 days ago (signed 2026-01-01 in the catalog).
    event('participant.stage', T - 5 * DAY, { participant: 'shopx', data: { stage: 'first_value' } }),
    // Feedback: payco 8 and 6 with texts; shopx 9 too long ago (100 days).
    event('feedback', T - DAY, { participant: 'payco', data: { score: 8, text: 'great service' } }),
    event('feedback', T - 2 * DAY, { participant: 'payco', data: { score: 6, text: 'slow and broken' } }),
    event('feedback', T - 100 * DAY, { participant: 'shopx', data: { score: 9 } }),
    // Tickets: t1 on pay opened and closed, t2 (no integration) still open.
    event('ticket.opened', T - 2 * HOUR, { integration: 'pay', data: { ticket: 't1' } }),
    event('ticket.opened', T - HOUR, { data: { ticket: 't2' } }),
    event('ticket.closed', T - 30 * MIN, { integration: 'pay', data: { ticket: 't1' } }),
    event('docs.view', T - HOUR, { data: { page: '/a' } }),
    event('docs.view', T - HOUR, { data: { page: '/b' } }),
    event('developer.activity', T - HOUR, { data: { activity: 'sdk_download' } }),
  ];
}

const buckets = (counts: Record<number, number>) =>
  [...ROLLUP_DURATION_BUCKETS_SECONDS, Infinity].map((_, i) => counts[i] ?? 0);

async function load(store: Store) {
  // Every event arrived when it happened (a late one would count at receive time − lateness).
  await store.recordIngest(dataset().map((e) => ({ receivedAt: e.time, events: [e] })));
  await store.recordIngest([
    {
      receivedAt: T,
      // pay, 10 minutes ago: 985 successes and 5 server errors; 890 calls ≤ 0.25 s (bucket 5),
      // 100 between 1 s and 2.5 s (bucket 8), over the 1 s SLO latency.
      requests: [
        {
          integrationId: 'pay',
          minute: T - 10 * MIN,
          requests: { success: 985, client_error: 0, server_error: 5, error: 0 },
          durationSumSeconds: 300,
          durationBuckets: buckets({ 5: 890, 8: 100 }),
        },
      ],
    },
  ]);
  // pay: 10 successful probe runs of 100 ms (bucket 4) 5 minutes ago; status degraded.
  await store.recordProbeBatch({
    runs: Array.from({ length: 10 }, (_, i) => ({
      integrationId: 'pay',
      startedAt: T - 5 * MIN + i * 1000,
      durationMs: 100,
      success: true,
    })),
    states: [
      {
        integrationId: 'pay',
        status: 'degraded',
        since: T - MIN,
        consecutiveFailures: 0,
        consecutiveSuccesses: 10,
        consecutiveSlow: 3,
        lastResultAt: T - MIN,
        lastSuccessAt: T - MIN,
        lastFailureClass: null,
      },
    ],
    transitions: [],
    notifications: [],
  });
}

const SCHEDULE = '0 0 1 1 *';
const HEALTH = {
  weights: { availability: 0.35, latency: 0.2, status: 0.25, quality: 0.1, activity: 0.1 },
  tierWeights: { critical: 4, high: 3, medium: 2, low: 1 },
  satisfactionWeight: 0.2,
};

function engine(store: Store, onPublish?: Parameters<typeof kpiJobs>[0]['publish']) {
  const values = new Map<string, KpiValues[string]>();
  let report: HealthReport | undefined;
  const jobs = kpiJobs({
    store,
    schedules: {
      participation: SCHEDULE,
      usage: SCHEDULE,
      value: SCHEDULE,
      qualitative: SCHEDULE,
      health: SCHEDULE,
      fold: SCHEDULE,
    },
    lateness: 10 * MIN,
    batchSize: 1000,
    snapshotInterval: 5 * MIN,
    health: HEALTH,
    publish: (family: KpiFamily, v, at, r) => {
      for (const [name, samples] of Object.entries(v)) values.set(name, samples);
      if (r) report = r;
      onPublish?.(family, v, at, r);
    },
  });
  return {
    async runAll(now = T) {
      for (const job of jobs)
        await job.run({ now, signal: new AbortController().signal, logger: silentLogger });
    },
    value(name: string, labels: Record<string, string> = {}) {
      const match = (values.get(name) ?? []).filter((s) =>
        Object.entries(labels).every(([k, v]) => s.labels[k] === v),
      );
      if (match.length !== 1) throw new Error(`${name} ${JSON.stringify(labels)}: ${match.length} series`);
      return match[0]?.value as number;
    },
    series: (name: string) => values.get(name) ?? [],
    report: () => report as HealthReport,
    async runJob(name: string, now: number) {
      const job = jobs.find((j) => j.name === name);
      if (!job) throw new Error(`no job ${name}`);
      await job.run({ now, signal: new AbortController().signal, logger: silentLogger });
    },
  };
}

describe('KPI engine over a hand-computed dataset', () => {
  let store: Store;
  let remove: () => Promise<void>;
  let kpis: ReturnType<typeof engine>;

  beforeEach(async () => {
    const dir = await tempDir();
    remove = dir.remove;
    const config = configFrom(CATALOG, dir.dir);
    store = openStore({ path: config.settings.storage.path });
    // The catalog entered 10 days ago: the standard integration has earned 10 days of savings.
    await applyCatalog(store, config, { source: 'test', now: T - 10 * DAY });
    await load(store);
    kpis = engine(store);
    await kpis.runAll();
  });
  afterEach(async () => {
    await store.close();
    await remove();
  });

  it('participation', () => {
    // payco (feedback events, probe-verified pay) and shopx (events) are active; bigbuy is not,
    // oldco neither; the orchestrator is not counted.
    expect(kpis.value('participants_active', { role: 'supplier' })).toBe(1);
    expect(kpis.value('participants_active', { role: 'partner' })).toBe(1);
    expect(kpis.value('participants_active', { role: 'customer' })).toBe(0);
    // pay has successful calls and probe runs; the other two nothing.
    expect(kpis.value('integrations_active', { tier: 'critical' })).toBe(1);
    expect(kpis.value('integrations_active', { tier: 'high' })).toBe(0);
    // shop, psp, market, erp.
    expect(kpis.value('systems_connected')).toBe(4);
    // payco (catalog firstValue) and shopx (event); only shopx's is within 30 days.
    expect(kpis.value('onboardings_total')).toBe(2);
    expect(kpis.value('onboarding_velocity')).toBe(1);
    // payco 10 days; shopx 2026-01-01 → 2026-02-24T12:00 = 54.5 days. Median of [10, 54.5] =
    // 32.25 days; p90 = 10 + 0.9 × 44.5 = 50.05 days.
    expect(kpis.value('onboarding_time_to_value_seconds', { quantile: '0.5' })).toBeCloseTo(
      32.25 * 86_400,
      6,
    );
    expect(kpis.value('onboarding_time_to_value_seconds', { quantile: '0.9' })).toBeCloseTo(
      50.05 * 86_400,
      6,
    );
    // Members (onboarding and active): acme, payco, shopx, bigbuy. Roles all different: ln 4.
    // Countries DE 2, NL 1, FR 1: −(½ ln ½ + 2 × ¼ ln ¼) = ½ ln 2 + ½ ln 4.
    expect(kpis.value('stakeholder_diversity_index', { dimension: 'role' })).toBeCloseTo(Math.log(4), 12);
    expect(kpis.value('stakeholder_diversity_index', { dimension: 'country' })).toBeCloseTo(
      0.5 * Math.log(2) + 0.5 * Math.log(4),
      12,
    );
    // Counts cover every participant, oldco included.
    expect(kpis.value('participant_counts', { dimension: 'country', value: 'DE' })).toBe(2);
    expect(kpis.value('participant_counts', { dimension: 'role', value: 'partner' })).toBe(2);
  });

  it('usage', () => {
    // tx1 and tx3 on pay (web from the integration), tx2 on market-orders, tx4 on no integration.
    expect(kpis.value('transactions_total', { integration: 'pay', channel: 'web' })).toBe(2);
    expect(kpis.value('transactions_total', { integration: 'market-orders', channel: 'marketplace' })).toBe(
      1,
    );
    expect(kpis.value('transactions_total', { integration: 'none', channel: 'marketplace' })).toBe(1);
    // Latest activity: u1 T-2h, u2 T-5d, u3 T-20d, u4 T-40d.
    expect(kpis.value('active_users', { window: '1d' })).toBe(1);
    expect(kpis.value('active_users', { window: '7d' })).toBe(2);
    expect(kpis.value('active_users', { window: '30d' })).toBe(3);
    // The 990 calls of pay (shop: acme → psp: payco), still in an open minute.
    expect(kpis.value('data_exchanges_total', { source: 'acme', target: 'payco' })).toBe(990);
    // Last hour: 5 of 990 calls failed; 0 of 10 probe runs; together 5 of 1000.
    expect(kpis.value('integration_error_ratio', { integration: 'pay', source: 'traces' })).toBeCloseTo(
      5 / 990,
      12,
    );
    expect(kpis.value('integration_error_ratio', { integration: 'pay', source: 'probes' })).toBe(0);
    expect(kpis.value('integration_error_ratio', { integration: 'pay', source: 'combined' })).toBeCloseTo(
      0.005,
      12,
    );
  });

  it('value', () => {
    expect(
      kpis.value('revenue_attributed_total', { channel: 'web', participant: 'acme', currency: 'EUR' }),
    ).toBe(130);
    expect(kpis.value('revenue_attributed_total', { channel: 'marketplace', currency: 'EUR' })).toBe(50);
    expect(kpis.value('revenue_attributed_total', { channel: 'marketplace', currency: 'USD' })).toBe(20);
    // Customers in 30 days: c1 (web/acme and marketplace/shopx) and c3; c2 was 40 days ago.
    expect(kpis.value('cross_sell_ratio')).toBe(0.5);
    // c1 150 EUR through shopx (ecosystem), c3 20 USD through shopx, c2 30 EUR through acme (direct).
    expect(kpis.value('customer_lifetime_value', { segment: 'ecosystem', currency: 'EUR' })).toBe(150);
    expect(kpis.value('customer_lifetime_value', { segment: 'ecosystem', currency: 'USD' })).toBe(20);
    expect(kpis.value('customer_lifetime_value', { segment: 'direct', currency: 'EUR' })).toBe(30);
    // 6 hand-offs × 2 + erp-sync (standard) 36500 a year × 10 days = 12 + 1000.
    expect(kpis.value('cost_savings_total', { currency: 'EUR' })).toBeCloseTo(1012, 9);
    // web's first revenue was 40 days ago; marketplace's yesterday.
    expect(kpis.value('revenue_streams_new')).toBe(1);
    // 30 days: revenue 100 + 50 EUR (tx4 is USD, tx3 too old); savings 5 × 2 + 36500 × 30/365 =
    // 3010; cost 365000 × 30/365 = 30000. (150 + 3010 − 30000) / 30000.
    expect(kpis.value('roi_ratio')).toBeCloseTo((150 + 3010 - 30_000) / 30_000, 12);
  });

  it('qualitative', () => {
    // payco: (8 + 6) / 2; shopx's answer is older than 90 days.
    expect(kpis.value('partner_satisfaction_score', { participant: 'payco' })).toBe(7);
    expect(kpis.value('partner_satisfaction_responses', { participant: 'payco' })).toBe(2);
    expect(kpis.series('partner_satisfaction_score')).toHaveLength(1);
    // AFINN: "great service" = 3 / 2 words = 1.5; "slow and broken" = −1 / 3 words.
    expect(kpis.value('feedback_sentiment', { participant: 'payco' })).toBeCloseTo((1.5 - 1 / 3) / 2, 12);
    expect(kpis.value('support_tickets_open', { integration: 'none' })).toBe(1);
    expect(kpis.series('support_tickets_open')).toHaveLength(1);
    expect(kpis.value('support_tickets_opened_total', { integration: 'pay' })).toBe(1);
    expect(kpis.value('support_tickets_opened_total', { integration: 'none' })).toBe(1);
    expect(kpis.value('support_tickets_closed_total', { integration: 'pay' })).toBe(1);
    expect(kpis.value('docs_views_total')).toBe(2);
    expect(kpis.value('developer_activity_total')).toBe(1);
  });

  it('health, error budget, blast radius and revenue at risk', () => {
    // SLO window: 10 probe runs (all good) + 990 calls (5 bad): availability 995/1000;
    // budget = 1 − 0.005 / 0.01 = 0.5 → availability score 50.
    expect(kpis.value('integration_error_budget_remaining_ratio', { integration: 'pay' })).toBeCloseTo(
      0.5,
      12,
    );
    // Latency: 890 calls + 10 probe runs within 1 s of 1000 → 90. Status degraded → 50.
    // Quality: no datasets (not counted). Activity: traffic → 100. Weights .35 .2 .25 .1 (of .9):
    // (.35 × 50 + .2 × 90 + .25 × 50 + .1 × 100) / .9 = 58 / .9.
    const pay = kpis.value('integration_health_score', { integration: 'pay' });
    expect(pay).toBeCloseTo(58 / 0.9, 9);
    const explained = kpis.report().integrations.get('pay');
    expect(explained?.components.map((c) => c.name)).toEqual([
      'availability',
      'status',
      'latency',
      'quality',
      'activity',
    ]);
    expect(explained?.components[0]?.lowered).toMatch(
      /99\.500% over 30d against the SLO 99\.000%: 50\.0% of the error budget left/,
    );
    expect(explained?.summary).toMatch(/^availability took 19\.4 points/);
    // market-orders is traced but saw no traffic: activity 0 is its only component.
    expect(kpis.value('integration_health_score', { integration: 'market-orders' })).toBe(0);
    // erp-sync: nothing can observe it, no status: no score.
    expect(kpis.series('integration_health_score')).toHaveLength(2);
    // Ecosystem: (4 × 58/.9 + 3 × 0) / 7.
    expect(kpis.value('ecosystem_health_score')).toBeCloseTo((4 * (58 / 0.9)) / 7, 9);
    // payco: its integrations (pay; erp-sync unscored) × 0.8 + satisfaction 7 × 10 × 0.2.
    expect(kpis.value('participant_health_score', { participant: 'payco' })).toBeCloseTo(
      0.8 * (58 / 0.9) + 14,
      9,
    );
    // pay is degraded. Its radius: downstream erp-sync (leaves psp), workflow step market-orders.
    // Revenue per hour over today and the 6 days before (156 hours, first revenue long before):
    // pay 100 + market-orders 50 → 150 / 156 EUR per hour.
    expect(kpis.value('revenue_at_risk', { currency: 'EUR' })).toBeCloseTo(150 / 156, 12);
    expect(kpis.value('integration_revenue_at_risk', { integration: 'pay', currency: 'EUR' })).toBeCloseTo(
      150 / 156,
      12,
    );
    expect(kpis.value('integration_revenue_at_risk', { integration: 'market-orders', currency: 'EUR' })).toBe(
      0,
    );
  });

  it('folds incrementally: nothing new reads nothing, late events count once', async () => {
    const before = await store.kpiWatermarks();
    for (const fold of KPI_FOLDS)
      expect(await store.foldKpiEvents({ fold, lateness: 10 * MIN, limit: 1000, now: T + MIN })).toEqual({
        events: 0,
        watermark: before.folds[fold],
      });
    await kpis.runAll(T + MIN);
    expect(kpis.value('transactions_total', { integration: 'pay', channel: 'web' })).toBe(2);
    expect(kpis.value('revenue_attributed_total', { channel: 'web', currency: 'EUR' })).toBe(130);

    // Two late events received at T + 2 min: one 3 minutes late (inside the 10-minute lateness:
    // it counts at its own time), one 2 days late (counts at T + 2 min − 10 min, today).
    const received = T + 2 * MIN;
    await store.recordIngest([
      {
        receivedAt: received,
        events: [
          event('transaction', received - 3 * MIN, {
            integration: 'pay',
            customer: 'c9',
            amount: 10,
            currency: 'EUR',
          }),
          event('transaction', received - 2 * DAY, {
            integration: 'pay',
            customer: 'c9',
            amount: 5,
            currency: 'EUR',
          }),
        ],
      },
    ]);
    await kpis.runAll(T + 3 * MIN);
    await kpis.runAll(T + 4 * MIN);
    expect(kpis.value('transactions_total', { integration: 'pay', channel: 'web' })).toBe(4);
    expect(
      kpis.value('revenue_attributed_total', { channel: 'web', participant: 'none', currency: 'EUR' }),
    ).toBe(15);
    const today = await store.kpiTransactions({ from: T - 12 * HOUR, to: T + 12 * HOUR });
    expect(today.filter((r) => r.integrationId === 'pay').reduce((s, r) => s + r.amount, 0)).toBe(115);
    for (const fold of KPI_FOLDS)
      expect(
        (await store.foldKpiEvents({ fold, lateness: 10 * MIN, limit: 1000, now: T + 5 * MIN })).events,
      ).toBe(0);
  });

  it('reads a past day once and again after a late event lands on it', async () => {
    const midnight = Date.parse('2026-03-01T00:00:00Z');
    const pay = async (days: number) =>
      (await store.kpiTransactions({ from: midnight - (days - 1) * DAY, to: T + 1 }))
        .filter((r) => r.integrationId === 'pay' && r.currency === 'EUR')
        .reduce((sum, r) => sum + r.amount, 0);
    const [today, week, month] = [await pay(1), await pay(7), await pay(30)];
    // Paid a minute before midnight, received two minutes after: inside the 10-minute lateness,
    // so it counts on the day before today, which both windows have read already.
    await store.recordIngest([
      {
        receivedAt: midnight + 2 * MIN,
        events: [
          event('transaction', midnight - MIN, {
            integration: 'pay',
            customer: 'c7',
            amount: 40,
            currency: 'EUR',
          }),
        ],
      },
    ]);
    await store.foldKpiEvents({ fold: 'value', lateness: 10 * MIN, limit: 1000, now: T });
    expect(await pay(7)).toBe(week + 40);
    expect(await pay(30)).toBe(month + 40);
    // Today's window has no past day: unchanged.
    expect(await pay(1)).toBe(today);
  });

  it('folds every family between runs in the kpi:fold job, which publishes nothing', async () => {
    const published: KpiFamily[] = [];
    const jobs = engine(store, (family) => published.push(family));
    const before = await store.kpiWatermarks();
    const received = T + MIN;
    await store.recordIngest([
      {
        receivedAt: received,
        events: [
          event('transaction', received, { integration: 'pay', customer: 'c9', amount: 7, currency: 'EUR' }),
          event('user.active', received, { user: 'u-new' }),
        ],
      },
    ]);
    await jobs.runJob('kpi:fold', T + 2 * MIN);
    expect(published).toEqual([]);
    const after = await store.kpiWatermarks();
    for (const fold of KPI_FOLDS) expect(after.folds[fold]).toBe(before.folds[fold] + 2);
    // The value run finds nothing new to fold and reads the folded transaction: pay's channel is
    // web, and the event names no participant.
    await jobs.runJob('kpi:value', T + 2 * MIN);
    expect(published).toEqual(['value']);
    expect(
      jobs.value('revenue_attributed_total', { channel: 'web', participant: 'none', currency: 'EUR' }),
    ).toBe(7);
    expect((await store.kpiWatermarks()).folds).toEqual(after.folds);
  });

  it('skips a fold task while another fold is in progress, and folds what is left at the next', async () => {
    await store.recordIngest([
      {
        receivedAt: T + MIN,
        events: [
          event('transaction', T + MIN, { integration: 'pay', customer: 'c9', amount: 7, currency: 'EUR' }),
          event('docs.view', T + MIN),
        ],
      },
    ]);
    const fold = createKpiFold({ store, lateness: 10 * MIN, batchSize: 1000 });
    const value = fold('value', T + 2 * MIN);
    expect(await fold('fold', T + 2 * MIN)).toEqual({ events: 0, minutes: 0 });
    expect((await value).events).toBe(2);
    // Value has nothing left; participation, usage and qualitative read the two events each.
    expect((await fold('fold', T + 2 * MIN)).events).toBe(3 * 2);
    expect((await fold('fold', T + 2 * MIN)).events).toBe(0);
  });

  it('seals request minutes once past the lateness window, without counting them twice', async () => {
    // At T + 1 min the minute T − 10 min is past the window: it moves into the day rollups.
    await kpis.runAll(T + MIN);
    expect((await store.kpiWatermarks()).sealedUntil).toBe(T - 9 * MIN);
    expect(kpis.value('data_exchanges_total', { source: 'acme', target: 'payco' })).toBe(990);
    await kpis.runAll(T + 2 * MIN);
    expect(kpis.value('data_exchanges_total', { source: 'acme', target: 'payco' })).toBe(990);
    expect(kpis.value('integration_error_budget_remaining_ratio', { integration: 'pay' })).toBeCloseTo(
      0.5,
      12,
    );
  });

  it('stores snapshots and serves them through the API', async () => {
    const rows = await store.listKpiSnapshots({ name: 'active_users', from: 0, to: T, limit: 100 });
    expect(rows.map((r) => [r.labels.window, r.value])).toEqual([
      ['1d', 1],
      ['30d', 3],
      ['7d', 2],
    ]);
  });
});

describe('KPI API', () => {
  it('lists definitions, serves history, explains scores and impact', async () => {
    const { dir, remove } = await tempDir();
    const config = configFrom(CATALOG, dir);
    const t = await startTestApp(config);
    try {
      const list = (await (await t.app.request('/api/v1/kpis')).json()) as { items: { name: string }[] };
      expect(list.items.find((k: { name: string }) => k.name === 'roi_ratio')).toMatchObject({
        metric: 'ecotone_roi_ratio',
        window: '30d',
        values: [],
      });
      expect((await t.app.request('/api/v1/kpis/nope')).status).toBe(404);
      const history = await t.app.request('/api/v1/kpis/active_users?from=2026-01-01T00:00:00Z&step=60');
      expect(history.status).toBe(200);
      expect((await t.app.request('/api/v1/kpis/active_users?from=yesterday')).status).toBe(400);
      expect((await t.app.request('/api/v1/health/integration/pay')).status).toBe(404);
      const impact: unknown = await (await t.app.request('/api/v1/integrations/pay/impact')).json();
      expect(impact).toMatchObject({
        downstream: ['erp-sync'],
        upstream: [],
        workflows: ['checkout'],
        workflowIntegrations: ['market-orders'],
        participants: ['payco', 'shopx'],
        status: 'unknown',
        atRisk: false,
      });
      expect((await t.app.request('/api/v1/integrations/nope/impact')).status).toBe(404);
    } finally {
      await t.close();
      await remove();
    }
  });
});

describe('KPI API over computed scores', () => {
  it('explains a score, its impact and the current KPI values after the jobs ran', async () => {
    const { dir, remove } = await tempDir();
    const config = configFrom(CATALOG, dir);
    const store = openStore({ path: config.settings.storage.path });
    const telemetry = startTelemetry({ serviceVersion: 'test', cardinalityLimit: 1000 });
    try {
      await applyCatalog(store, config, { source: 'test', now: T - 10 * DAY });
      await load(store);
      const state = createKpiState();
      await engine(store, state.publish).runAll();
      const app = createApp({
        config,
        store,
        telemetry,
        logger: silentLogger,
        schedulerRunning: () => true,
        version: 'test',
        kpis: { state, catalog: createKpiCatalog(store) },
      });
      const get = async (path: string) => {
        const response = await app.request(path);
        expect(response.status, path).toBe(200);
        return (await response.json()) as Record<string, unknown>;
      };

      // pay, as in the engine test: availability 50 (.35), latency 90 (.2), status 50 (.25),
      // activity 100 (.1); quality has no data, so the counted weights sum to .9 and the score
      // is 58 / .9. Lost points are share × (100 − score): availability .35/.9 × 50 = 19.44,
      // status .25/.9 × 50 = 13.89, latency .2/.9 × 10 = 2.22; together 100 − 58/.9.
      const pay = await get('/api/v1/health/integration/pay');
      expect(pay).toMatchObject({ kind: 'integration', id: 'pay', computedAt: new Date(T).toISOString() });
      expect(pay.score).toBeCloseTo(58 / 0.9, 9);
      expect(pay.summary).toMatch(/^availability took 19\.4 points: availability 99\.500% over 30d/);
      const components = pay.components as {
        name: string;
        weight: number;
        share: number;
        score: number | null;
        value: number | string | null;
        lost: number;
        lowered: string | null;
      }[];
      expect(components.map((c) => [c.name, c.weight, c.score, c.value, c.lowered])).toEqual([
        [
          'availability',
          0.35,
          50,
          expect.closeTo(0.5, 12),
          'availability 99.500% over 30d against the SLO 99.000%: 50.0% of the error budget left (5 of 1000 checks and calls failed)',
        ],
        ['status', 0.25, 50, 'degraded', 'status is degraded'],
        [
          'latency',
          0.2,
          90,
          0.9,
          '10.0% of 1000 calls and probe runs in the last hour slower than the SLO latency 1000 ms',
        ],
        ['quality', 0.1, null, null, null],
        ['activity', 0.1, 100, 1000, null],
      ]);
      const lost = Object.fromEntries(components.map((c) => [c.name, c.lost]));
      expect(lost.availability).toBeCloseTo((0.35 / 0.9) * 50, 9);
      expect(lost.status).toBeCloseTo((0.25 / 0.9) * 50, 9);
      expect(lost.latency).toBeCloseTo((0.2 / 0.9) * 10, 9);
      expect(lost.quality).toBe(0);
      expect(components.reduce((n, c) => n + c.lost, 0)).toBeCloseTo(100 - 58 / 0.9, 9);
      expect(components.find((c) => c.name === 'quality')?.share).toBe(0);
      expect(components.find((c) => c.name === 'availability')?.share).toBeCloseTo(0.35 / 0.9, 12);

      // Ecosystem: (4 × 58/.9 + 3 × 0) / 7, explained by its integrations.
      const ecosystem = await get('/api/v1/health/ecosystem/all');
      expect(ecosystem.score).toBeCloseTo((4 * (58 / 0.9)) / 7, 9);
      expect((ecosystem.components as { name: string }[]).map((c) => c.name)).toEqual([
        'integration:market-orders',
        'integration:pay',
      ]);

      // pay is degraded: its radius (itself, erp-sync downstream, market-orders in its workflow)
      // carries pay 100 + market-orders 50 EUR over 156 hours, all of it at risk.
      expect(await get('/api/v1/integrations/pay/impact')).toEqual({
        integration: 'pay',
        status: 'degraded',
        atRisk: true,
        downstream: ['erp-sync'],
        upstream: [],
        workflows: ['checkout'],
        workflowIntegrations: ['market-orders'],
        participants: ['payco', 'shopx'],
        revenuePerHour: [{ currency: 'EUR', amount: expect.closeTo(150 / 156, 12) }],
        revenueAtRisk: [{ currency: 'EUR', amount: expect.closeTo(150 / 156, 12) }],
      });
      // market-orders has no status: the same revenue flows through it (pay is in its workflow),
      // none of it at risk.
      expect(await get('/api/v1/integrations/market-orders/impact')).toMatchObject({
        status: 'unknown',
        atRisk: false,
        workflowIntegrations: ['pay'],
        revenuePerHour: [{ currency: 'EUR', amount: expect.closeTo(150 / 156, 12) }],
        revenueAtRisk: [{ currency: 'EUR', amount: 0 }],
      });

      type Kpi = { name: string; computedAt: string | null; values: { labels: object; value: number }[] };
      const kpis = (await get('/api/v1/kpis')).items as Kpi[];
      const kpi = (name: string) => kpis.find((k) => k.name === name) as Kpi;
      expect(kpi('roi_ratio')).toMatchObject({
        computedAt: new Date(T).toISOString(),
        values: [{ labels: {}, value: expect.closeTo((150 + 3010 - 30_000) / 30_000, 12) }],
      });
      expect(kpi('active_users').values).toEqual([
        { labels: { window: '1d' }, value: 1 },
        { labels: { window: '7d' }, value: 2 },
        { labels: { window: '30d' }, value: 3 },
      ]);
      expect(kpi('ecosystem_health_score').values[0]?.value).toBeCloseTo((4 * (58 / 0.9)) / 7, 9);
      // Filtered: only the series of pay where the KPI has an integration label; others whole.
      const filtered = (await get('/api/v1/kpis?integration=pay')).items as Kpi[];
      const only = (name: string) => filtered.find((k) => k.name === name) as Kpi;
      expect(only('transactions_total').values).toEqual([
        { labels: { integration: 'pay', channel: 'web' }, value: 2 },
      ]);
      expect(only('integration_revenue_at_risk').values).toEqual([
        {
          labels: { integration: 'pay', tier: 'critical', participant: 'payco', currency: 'EUR' },
          value: expect.closeTo(150 / 156, 12),
        },
      ]);
      expect(only('active_users').values).toHaveLength(3);
    } finally {
      await telemetry.shutdown();
      await store.close();
      await remove();
    }
  });
});

describe('customer state behind the cross-sell ratio and lifetime value', () => {
  it('keeps the two latest channels and participants per customer, and moves a customer who joins the ecosystem', async () => {
    const dir = await tempDir();
    const config = configFrom(CATALOG, dir.dir);
    const store = openStore({ path: config.settings.storage.path });
    await applyCatalog(store, config, { source: 'test', now: T - 50 * DAY });
    const kpis = engine(store);
    const tx = (
      customer: string,
      at: number,
      channel: string,
      participant: string,
      amount: number,
      currency = 'EUR',
    ) => event('transaction', at, { customer, channel, participant, amount, currency });
    const record = (events: EventRecord[]) =>
      store.recordIngest(events.map((e) => ({ receivedAt: e.time, events: [e] })));
    // acme is ours (orchestrator): its customers are direct; shopx is a partner.
    await record([
      // c5: web (day −20, −3) and marketplace (day −10), acme only: two channels in the window.
      tx('c5', T - 20 * DAY, 'web', 'acme', 10),
      tx('c5', T - 10 * DAY, 'marketplace', 'acme', 20),
      tx('c5', T - 3 * DAY, 'web', 'acme', 5, 'USD'),
      // c6: app 40 days ago (outside the window), web 2 days ago: one channel in the window.
      tx('c6', T - 40 * DAY, 'app', 'acme', 7),
      tx('c6', T - 2 * DAY, 'web', 'acme', 8),
      // c7: one transaction through shopx: an ecosystem customer.
      tx('c7', T - DAY, 'web', 'shopx', 100),
    ]);
    await kpis.runAll(T);
    // In the last 30 UTC days: c5, c6, c7; with two channels or participants: c5 only.
    expect(kpis.value('cross_sell_ratio')).toBeCloseTo(1 / 3, 12);
    // Direct: c5 30 EUR and 5 USD, c6 15 EUR; ecosystem: c7 100 EUR.
    expect(kpis.value('customer_lifetime_value', { segment: 'direct', currency: 'EUR' })).toBe(22.5);
    expect(kpis.value('customer_lifetime_value', { segment: 'direct', currency: 'USD' })).toBe(5);
    expect(kpis.value('customer_lifetime_value', { segment: 'ecosystem', currency: 'EUR' })).toBe(100);

    // c5 now buys through shopx: it becomes an ecosystem customer and takes all its revenue along.
    // c6 buys on web again: 2 EUR more of direct revenue.
    await record([tx('c5', T + MIN, 'app', 'shopx', 1), tx('c6', T + MIN, 'web', 'acme', 2)]);
    await kpis.runAll(T + 2 * MIN);
    expect(kpis.value('customer_lifetime_value', { segment: 'ecosystem', currency: 'EUR' })).toBe(
      (100 + 31) / 2,
    );
    expect(kpis.value('customer_lifetime_value', { segment: 'ecosystem', currency: 'USD' })).toBe(5);
    expect(kpis.value('customer_lifetime_value', { segment: 'direct', currency: 'EUR' })).toBe(17);
    expect(kpis.series('customer_lifetime_value').map((s) => s.labels)).not.toContainEqual({
      segment: 'direct',
      currency: 'USD',
    });
    // c5's latest channels are app (today) and web (3 days ago): still two.
    expect(kpis.value('cross_sell_ratio')).toBeCloseTo(1 / 3, 12);
    await store.close();
    await dir.remove();
  });
});

describe('KPI worker', () => {
  const signal = new AbortController().signal;
  const options = { lateness: 10 * MIN, batchSize: 1000, snapshotInterval: 5 * MIN, health: HEALTH };
  let dir: { dir: string; remove: () => Promise<void> };
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await dir.remove();
  });
  /** A store file with the catalog and the hand-computed dataset, and a worker on it. */
  async function loadedWorker() {
    const config = configFrom(CATALOG, dir.dir);
    const path = config.settings.storage.path;
    const store = openStore({ path });
    await applyCatalog(store, config, { source: 'test', now: T - 10 * DAY });
    await load(store);
    return { store, worker: startKpiWorker({ ...options, store: { path }, logger: silentLogger }) };
  }

  it('computes on its own connection what the jobs compute in this thread', async () => {
    const { store, worker } = await loadedWorker();
    const onWorker = new Map<KpiFamily, KpiRunResult>();
    for (const family of KPI_FAMILIES) onWorker.set(family, await worker.run(family, T, signal));
    await worker.stop(5_000);
    // The worker folded every event; in this thread the fold finds nothing new, the values agree.
    expect(onWorker.get('participation')?.folded.events).toBe(dataset().length);
    expect((await store.kpiWatermarks()).folds).toEqual(
      Object.fromEntries(KPI_FOLDS.map((fold) => [fold, dataset().length])),
    );
    const inThread = createKpiRunner({ ...options, store });
    for (const family of KPI_FAMILIES) {
      const { values, report, folded } = await inThread(family, T, signal);
      expect(folded).toEqual({ events: 0, minutes: 0 });
      expect(onWorker.get(family)?.values).toEqual(values);
      expect(onWorker.get(family)?.report).toEqual(report);
    }
    expect(onWorker.get('health')?.report?.integrations.get('pay')?.score).toBeTypeOf('number');
    await store.close();
  });

  it('runs the fold task: every family folded, no values, nothing left for the family runs', async () => {
    const { store, worker } = await loadedWorker();
    const folded = await worker.run('fold', T, signal);
    // Each of the four folds read every event once (its batches span all types).
    expect(folded).toEqual({
      values: {},
      folded: { events: 4 * dataset().length, minutes: expect.any(Number) },
    });
    for (const family of KPI_FAMILIES) expect((await worker.run(family, T, signal)).folded.events).toBe(0);
    await worker.stop(5_000);
    await store.close();
  });

  it('fails the run when the worker crashes and starts a fresh one for the next', async () => {
    // A file where the database folder should be: the worker cannot open the store and dies.
    const blocker = join(dir.dir, 'blocked');
    await writeFile(blocker, '');
    const worker = startKpiWorker({
      ...options,
      store: { path: join(blocker, 'kpi.db') },
      logger: silentLogger,
    });
    await expect(worker.run('usage', T, signal)).rejects.toThrow(/kpi worker crashed/);
    await rm(blocker);
    await mkdir(blocker);
    const run = await worker.run('usage', T, signal);
    expect(run.values.transactions_total).toEqual([]);
    await worker.stop(5_000);
  });

  it('stops after the run in flight and runs nothing after', async () => {
    const worker = startKpiWorker({
      ...options,
      store: { path: join(dir.dir, 'kpi.db') },
      logger: silentLogger,
    });
    const inFlight = worker.run('qualitative', T, signal);
    await worker.stop(5_000);
    expect((await inFlight).values.docs_views_total).toEqual([{ labels: {}, value: 0 }]);
    await expect(worker.run('usage', T, signal)).rejects.toThrow('kpi worker stopped');
  });
});
