import type { KpiCatalog } from './catalog.ts';
import { DAY, dayStart, type KpiStore, type KpiValues } from './types.ts';

/** Window of the ROI, the cross-sell ratio and new revenue streams. */
export const VALUE_WINDOW_DAYS = 30;
const YEAR_MS = 365 * DAY;

export interface ValueInput {
  store: Pick<
    KpiStore,
    'kpiTotals' | 'kpiTransactions' | 'kpiHandoffs' | 'crossSell' | 'customerValue' | 'channelFirstRevenue'
  >;
  catalog: KpiCatalog;
  now: number;
}

const none = (value: string) => (value === '' ? 'none' : value);

/**
 * Value KPIs. Money is never summed across currencies: revenue and lifetime value keep their
 * currency, and the ROI takes only revenue in the value model's currency (no conversion).
 *
 * - cost savings (cumulative): automated hand-offs × costPerManualHandoff, plus
 *   savingsPerStandardIntegration a year for each `connector: standard` integration, accrued
 *   since it entered the catalog;
 * - ROI over the last 30 UTC days (today included): (revenue + savings − cost) / cost, with
 *   cost = yearlyEcosystemCost × 30/365 and the standard-integration savings for 30 days.
 */
export async function computeValue({ store, catalog, now }: ValueInput): Promise<KpiValues> {
  const model = catalog.valueModel;
  const windowFrom = dayStart(now) - (VALUE_WINDOW_DAYS - 1) * DAY;
  const since = now - VALUE_WINDOW_DAYS * DAY;
  const [revenue, handoffs, windowTransactions, windowHandoffs, cross, customers, channels] =
    await Promise.all([
      store.kpiTotals('revenue'),
      store.kpiTotals('handoffs'),
      store.kpiTransactions({ from: windowFrom, to: now + 1 }),
      store.kpiHandoffs({ from: windowFrom, to: now + 1 }),
      store.crossSell(windowFrom),
      store.customerValue(),
      store.channelFirstRevenue(),
    ]);
  const standard = catalog.integrations.filter((i) => i.standard);
  const accrued = standard.reduce(
    (sum, i) => sum + (model.savingsPerStandardIntegration * Math.max(0, now - i.createdAt)) / YEAR_MS,
    0,
  );
  const handoffCount = handoffs.reduce((n, r) => n + r.value, 0);
  const savingsTotal = handoffCount * model.costPerManualHandoff + accrued;

  const windowYears = (VALUE_WINDOW_DAYS * DAY) / YEAR_MS;
  const windowRevenue = windowTransactions
    .filter((t) => t.currency === model.currency)
    .reduce((n, t) => n + t.amount, 0);
  const windowSavings =
    windowHandoffs.reduce((n, h) => n + h.count, 0) * model.costPerManualHandoff +
    standard.length * model.savingsPerStandardIntegration * windowYears;
  const windowCost = model.yearlyEcosystemCost * windowYears;

  return {
    revenue_attributed_total: revenue.map((r) => ({
      labels: { channel: none(r.k1), participant: none(r.k2), currency: r.k3 },
      value: r.value,
    })),
    cross_sell_ratio: cross.customers > 0 ? [{ labels: {}, value: cross.multi / cross.customers }] : [],
    customer_lifetime_value: customers.map((c) => ({
      labels: { segment: c.segment, currency: c.currency },
      value: c.revenue / c.customers,
    })),
    cost_savings_total: [{ labels: { currency: model.currency }, value: savingsTotal }],
    revenue_streams_new: [{ labels: {}, value: channels.filter((c) => c.firstRevenueAt >= since).length }],
    roi_ratio:
      windowCost > 0
        ? [{ labels: {}, value: (windowRevenue + windowSavings - windowCost) / windowCost }]
        : [],
  };
}
