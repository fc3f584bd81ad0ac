import { ROLLUP_DURATION_BUCKETS_SECONDS } from '../../db/index.ts';
import type { KpiCatalog } from './catalog.ts';
import { type HealthExplanation, type HealthWeights, integrationHealth, rollUp } from './health-score.ts';
import { affectedIntegrations, blastRadius, revenueThrough } from './impact.ts';
import { FEEDBACK_WINDOW_MS } from './qualitative.ts';
import { shareWithin } from './stats.ts';
import { DAY, dayStart, HOUR, type KpiSample, type KpiStore, type KpiValues } from './types.ts';

/** Days of revenue the hourly trailing average is taken over (today included). */
export const REVENUE_TRAILING_DAYS = 7;

export interface HealthSettings {
  weights: HealthWeights;
  tierWeights: Record<string, number>;
  /** Weight of satisfaction in a participant's score (0–1); its integrations count 1 − this. */
  satisfactionWeight: number;
}

/** Data-quality outcome per system (worst over its datasets), from the quality collector. */
export type QualityBySystem = () => ReadonlyMap<string, string>;

export interface HealthInput {
  store: Pick<
    KpiStore,
    | 'listStatusStates'
    | 'availability'
    | 'callCounts'
    | 'callDurations'
    | 'probeMinutes'
    | 'kpiTransactions'
    | 'channelFirstRevenue'
    | 'feedbackSummary'
  >;
  catalog: KpiCatalog;
  settings: HealthSettings;
  quality?: QualityBySystem | undefined;
  now: number;
}

export interface HealthReport {
  values: KpiValues;
  integrations: Map<string, HealthExplanation>;
  participants: Map<string, HealthExplanation>;
  ecosystem: HealthExplanation;
  /** Trailing revenue per hour by integration and currency, for the impact API. */
  hourlyRevenue: Map<string, Map<string, number>>;
  /** Status of each integration when computed. */
  statuses: Map<string, string>;
}

const SEVERITY: Record<string, number> = { pass: 0, warn: 1, fail: 2, error: 3 };
const PROBLEM_STATUSES = new Set(['degraded', 'down']);

/**
 * Trailing revenue per hour of each integration and currency: revenue of the last 7 UTC days
 * (today included) over the hours they cover, counted from the first revenue if that is later,
 * at least one hour.
 */
export async function trailingHourlyRevenue(
  store: Pick<KpiStore, 'kpiTransactions' | 'channelFirstRevenue'>,
  now: number,
): Promise<Map<string, Map<string, number>>> {
  const from = dayStart(now) - (REVENUE_TRAILING_DAYS - 1) * DAY;
  const [rows, channels] = await Promise.all([
    store.kpiTransactions({ from, to: now + 1 }),
    store.channelFirstRevenue(),
  ]);
  const first = Math.min(now, ...channels.map((c) => c.firstRevenueAt));
  const hours = Math.max(1, (now - Math.max(from, first)) / HOUR);
  const hourly = new Map<string, Map<string, number>>();
  for (const row of rows) {
    if (row.integrationId === '' || row.amount <= 0) continue;
    const byCurrency = hourly.get(row.integrationId) ?? new Map<string, number>();
    byCurrency.set(row.currency, (byCurrency.get(row.currency) ?? 0) + row.amount / hours);
    hourly.set(row.integrationId, byCurrency);
  }
  return hourly;
}

/**
 * Health KPIs: the error budget left and the health score of every integration, the scores of
 * participants (tier-weighted mean of their integrations', with satisfaction) and of the
 * ecosystem (tier-weighted mean of every scored integration), and revenue at risk.
 */
export async function computeHealth(input: HealthInput): Promise<HealthReport> {
  const { store, catalog, settings, now } = input;
  const windows = [...new Set(catalog.integrations.map((i) => i.slo.windowMs))];
  const hourFrom = now - HOUR;
  const [states, minutes, probeMinutes, hourlyRevenue, feedback, ...windowed] = await Promise.all([
    store.listStatusStates(),
    store.callDurations({ from: Math.floor(hourFrom / 60_000) * 60_000, to: now + 1 }),
    store.probeMinutes({ from: hourFrom, to: now + 1 }),
    trailingHourlyRevenue(store, now),
    store.feedbackSummary(now - FEEDBACK_WINDOW_MS),
    ...windows.map(async (ms) => {
      const from = dayStart(now - ms) + DAY;
      const [probes, calls] = await Promise.all([
        store.availability({ resolution: 'day', from, to: now + 1 }),
        store.callCounts({ from, to: now + 1 }),
      ]);
      return { ms, probes, calls };
    }),
  ]);
  const status = new Map(states.map((s) => [s.integrationId, s.status as string]));
  const bounds = ROLLUP_DURATION_BUCKETS_SECONDS;
  const latencyCounts = new Map<string, number[]>();
  const hourTraffic = new Map<string, number>();
  const addCounts = (id: string, counts: number[]) => {
    const sum = latencyCounts.get(id) ?? new Array<number>(bounds.length + 1).fill(0);
    counts.forEach((n, i) => {
      sum[i] = (sum[i] ?? 0) + n;
    });
    latencyCounts.set(id, sum);
    hourTraffic.set(id, (hourTraffic.get(id) ?? 0) + counts.reduce((a, b) => a + b, 0));
  };
  for (const m of minutes) addCounts(m.integrationId, m.durationBuckets);
  for (const p of probeMinutes) addCounts(p.integrationId, p.durationBuckets);
  const windowTotals = new Map<number, Map<string, { total: number; good: number }>>();
  for (const { ms, probes, calls } of windowed) {
    const totals = new Map<string, { total: number; good: number }>();
    const add = (id: string, total: number, good: number) => {
      const t = totals.get(id) ?? { total: 0, good: 0 };
      t.total += total;
      t.good += good;
      totals.set(id, t);
    };
    for (const p of probes) add(p.integrationId, p.runs, p.successes);
    for (const c of calls) add(c.integrationId, c.calls, c.calls - c.errors);
    windowTotals.set(ms, totals);
  }
  const quality = input.quality?.();

  const integrations = new Map<string, HealthExplanation>();
  const budget: KpiSample[] = [];
  const scores: KpiSample[] = [];
  for (const integration of catalog.integrations) {
    const labels = {
      integration: integration.id,
      tier: integration.tier,
      participant: integration.participant,
    };
    const window = windowTotals.get(integration.slo.windowMs)?.get(integration.id);
    const counts = latencyCounts.get(integration.id);
    const share = counts ? shareWithin(counts, bounds, integration.slo.latencyMs / 1000) : undefined;
    let worst: string | undefined;
    const systems: string[] = [];
    for (const system of [integration.source, integration.target]) {
      const outcome = quality?.get(system);
      if (outcome === undefined) continue;
      systems.push(system);
      if (worst === undefined || (SEVERITY[outcome] ?? 0) > (SEVERITY[worst] ?? 0)) worst = outcome;
    }
    const explanation = integrationHealth({
      id: integration.id,
      weights: settings.weights,
      slo: integration.slo,
      window,
      withinLatency:
        share === undefined ? undefined : { share, observations: counts?.reduce((a, b) => a + b, 0) ?? 0 },
      status: status.get(integration.id) ?? 'unknown',
      quality: worst === undefined ? undefined : { outcome: worst, systems },
      recentTraffic:
        integration.probed || integration.traced ? (hourTraffic.get(integration.id) ?? 0) : undefined,
      now,
    });
    integrations.set(integration.id, explanation);
    const availability = explanation.components.find((c) => c.name === 'availability');
    if (typeof availability?.value === 'number') budget.push({ labels, value: availability.value });
    if (explanation.score !== null) scores.push({ labels, value: explanation.score });
  }

  const tierWeight = (tier: string) => settings.tierWeights[tier] ?? 1;
  const byId = new Map(catalog.integrations.map((i) => [i.id, i]));
  const byParticipant = new Map<string, string[]>();
  for (const i of catalog.integrations)
    byParticipant.set(i.participant, [...(byParticipant.get(i.participant) ?? []), i.id]);
  const member = (id: string) => {
    const i = byId.get(id);
    const e = integrations.get(id);
    return i && e && e.score !== null
      ? [{ id, tier: i.tier, weight: tierWeight(i.tier), score: e.score, summary: e.summary }]
      : [];
  };
  const satisfaction = new Map(feedback.map((f) => [f.participantId, f]));
  const participants = new Map<string, HealthExplanation>();
  const participantScores: KpiSample[] = [];
  for (const participant of catalog.participants) {
    const members = (byParticipant.get(participant.id) ?? []).flatMap(member);
    const answers = satisfaction.get(participant.id);
    const extra = answers
      ? [
          {
            name: 'satisfaction',
            weight: settings.satisfactionWeight,
            score: (answers.scoreSum / answers.responses) * 10,
            value: answers.scoreSum / answers.responses,
            unit: 'mean feedback score (0–10) over 90 days',
            lowered: `mean satisfaction ${(answers.scoreSum / answers.responses).toFixed(1)} of 10 over ${answers.responses} answers`,
          },
        ]
      : [];
    if (members.length === 0 && extra.length === 0) continue;
    const explanation = rollUp(
      'participant',
      participant.id,
      now,
      members,
      extra,
      1 - settings.satisfactionWeight,
    );
    participants.set(participant.id, explanation);
    if (explanation.score !== null)
      participantScores.push({ labels: { participant: participant.id }, value: explanation.score });
  }
  const ecosystem = rollUp(
    'ecosystem',
    'ecosystem',
    now,
    catalog.integrations.flatMap((i) => member(i.id)),
  );

  const atRisk: KpiSample[] = [];
  const totalAffected = new Set<string>();
  const currencies = new Set([...hourlyRevenue.values()].flatMap((m) => [...m.keys()]));
  for (const integration of catalog.integrations) {
    const labels = {
      integration: integration.id,
      tier: integration.tier,
      participant: integration.participant,
    };
    const problem = PROBLEM_STATUSES.has(status.get(integration.id) ?? 'unknown');
    const radius = problem ? blastRadius(catalog, integration.id) : undefined;
    const affected = radius ? affectedIntegrations(radius) : new Set<string>();
    for (const id of affected) totalAffected.add(id);
    const revenue = revenueThrough(affected, hourlyRevenue);
    for (const currency of currencies)
      atRisk.push({ labels: { ...labels, currency }, value: revenue.get(currency) ?? 0 });
  }
  const total = revenueThrough(totalAffected, hourlyRevenue);
  const currencyList = currencies.size > 0 ? [...currencies] : [catalog.valueModel.currency];

  return {
    values: {
      integration_health_score: scores,
      integration_error_budget_remaining_ratio: budget,
      participant_health_score: participantScores,
      ecosystem_health_score: ecosystem.score === null ? [] : [{ labels: {}, value: ecosystem.score }],
      revenue_at_risk: currencyList.map((currency) => ({
        labels: { currency },
        value: total.get(currency) ?? 0,
      })),
      integration_revenue_at_risk: atRisk,
    },
    integrations,
    participants,
    ecosystem,
    hourlyRevenue,
    statuses: status,
  };
}
