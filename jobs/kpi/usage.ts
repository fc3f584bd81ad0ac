import type { KpiCatalog } from './catalog.ts';
import { DAY, HOUR, type KpiSample, type KpiStore, type KpiValues } from './types.ts';

/** Windows of `ecotone_active_users`. */
export const ACTIVE_USER_WINDOWS = [
  { name: '1d', ms: DAY },
  { name: '7d', ms: 7 * DAY },
  { name: '30d', ms: 30 * DAY },
] as const;

/** Window of the error ratios. */
export const ERROR_RATIO_WINDOW_MS = HOUR;

export interface UsageInput {
  store: Pick<KpiStore, 'kpiTotals' | 'countActiveUsers' | 'recentCalls' | 'callDurations' | 'probeMinutes'>;
  catalog: KpiCatalog;
  now: number;
}

const none = (value: string) => (value === '' ? 'none' : value);

/**
 * Usage KPIs: transactions by integration and channel, distinct active users per window,
 * calls between participant pairs (sealed day rollups plus the open minutes), and error ratios
 * over the last hour from traces, probes and both.
 */
export async function computeUsage({ store, catalog, now }: UsageInput): Promise<KpiValues> {
  const since = now - ERROR_RATIO_WINDOW_MS;
  const [transactions, users, exchanges, live, hourCalls, hourProbes] = await Promise.all([
    store.kpiTotals('transactions'),
    store.countActiveUsers(ACTIVE_USER_WINDOWS.map((w) => now - w.ms)),
    store.kpiTotals('data_exchanges'),
    store.recentCalls(),
    store.callDurations({ from: Math.floor(since / 60_000) * 60_000, to: now + 1 }),
    store.probeMinutes({ from: since, to: now + 1 }),
  ]);
  const byId = new Map(catalog.integrations.map((i) => [i.id, i]));
  const pairs = new Map<string, number>();
  for (const row of exchanges) pairs.set(`${row.k1}\n${row.k2}`, row.value);
  for (const row of live) {
    const integration = byId.get(row.integrationId);
    if (!integration) continue;
    const key = `${integration.sourceParticipant}\n${integration.targetParticipant}`;
    pairs.set(key, (pairs.get(key) ?? 0) + row.calls);
  }
  const errorRatio: KpiSample[] = [];
  const probesById = new Map(hourProbes.map((p) => [p.integrationId, p]));
  const callsById = new Map(hourCalls.map((c) => [c.integrationId, c]));
  for (const integration of catalog.integrations) {
    const labels = {
      integration: integration.id,
      tier: integration.tier,
      participant: integration.participant,
    };
    const calls = callsById.get(integration.id);
    const probes = probesById.get(integration.id);
    if (calls && calls.calls > 0)
      errorRatio.push({ labels: { ...labels, source: 'traces' }, value: calls.errors / calls.calls });
    if (probes && probes.runs > 0)
      errorRatio.push({ labels: { ...labels, source: 'probes' }, value: 1 - probes.successes / probes.runs });
    const total = (calls?.calls ?? 0) + (probes?.runs ?? 0);
    if (total > 0)
      errorRatio.push({
        labels: { ...labels, source: 'combined' },
        value: ((calls?.errors ?? 0) + (probes ? probes.runs - probes.successes : 0)) / total,
      });
  }
  return {
    transactions_total: transactions.map((r) => ({
      labels: { integration: none(r.k1), channel: none(r.k2) },
      value: r.value,
    })),
    active_users: ACTIVE_USER_WINDOWS.map((w, i) => ({ labels: { window: w.name }, value: users[i] ?? 0 })),
    data_exchanges_total: [...pairs].map(([key, value]) => {
      const [source = '', target = ''] = key.split('\n');
      return { labels: { source: none(source), target: none(target) }, value };
    }),
    integration_error_ratio: errorRatio,
  };
}
