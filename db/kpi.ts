/**
 * The KPI part of the storage boundary: incremental folds of events and traced calls into
 * rollups, reads of those rollups, and KPI snapshots. Each fold reads only its own event types
 * since its own watermark and writes its batch in one transaction with that watermark, so a crash
 * never counts anything twice. Times are Unix milliseconds.
 */

/**
 * The event folds, one per KPI family that reads events (`health` reads what they fold):
 * `participation` (participant activity, onboarding stages), `usage` (transactions by
 * integration and channel, active-user sketches), `value` (revenue, transaction days, hand-offs,
 * channels, customers), `qualitative` (docs views, developer activity, tickets, feedback).
 */
export const KPI_FOLDS = ['participation', 'usage', 'value', 'qualitative'] as const;
export type KpiFoldName = (typeof KPI_FOLDS)[number];

/** Cumulative counters kept in `kpi_totals`; the keys each uses are in the comment. */
export const KPI_TOTAL_METRICS = [
  'transactions', // integration, channel
  'revenue', // channel, participant, currency
  'customer_revenue', // currency: transactions that name a customer
  'handoffs', // integration
  'docs_views',
  'developer_activity',
  'tickets_opened', // integration
  'tickets_closed', // integration
  'data_exchanges', // source participant, target participant
] as const;
export type KpiTotalMetric = (typeof KPI_TOTAL_METRICS)[number];

export interface KpiTotalRow {
  k1: string;
  k2: string;
  k3: string;
  value: number;
}

export interface KpiFoldResult {
  /** Events read by this fold (0 when nothing new arrived). */
  events: number;
  /** The last event seq folded so far. */
  watermark: number;
}

export interface KpiSealResult {
  /** Request-minute rows sealed by this call. */
  rows: number;
  /** Minutes before this are sealed into the day rollups; later ones are read live. */
  sealedUntil: number;
}

export interface TransactionDayRow {
  integrationId: string;
  currency: string;
  count: number;
  amount: number;
}

export interface CallCounts {
  integrationId: string;
  calls: number;
  errors: number;
}

export interface KpiSnapshotRow {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface KpiMethods {
  /**
   * Folds the next batch (up to `limit` events of any type after the fold's watermark) into the
   * fold's rollups, in one transaction with its new watermark. An event counts at its effective
   * time, max(time, receivedAt − lateness): a late event inside the lateness window lands where
   * it happened, a later one at the edge of the window. The batch is read and aggregated before
   * the write transaction, so the write lock is held only while the aggregates are added.
   */
  foldKpiEvents(options: {
    fold: KpiFoldName;
    lateness: number;
    limit: number;
    now: number;
  }): Promise<KpiFoldResult>;
  /**
   * Seals request minutes in [watermark, until) into per-day call counts and the
   * data-exchange totals, and moves the minute watermark to `until`. A call added to a minute
   * after it is sealed is not counted.
   */
  sealKpiCalls(options: { until: number; now: number }): Promise<KpiSealResult>;
  /** The last event seq each fold has read, and the first unsealed request minute (0 before the first fold). */
  kpiWatermarks(): Promise<{ folds: Record<KpiFoldName, number>; sealedUntil: number }>;
  kpiTotals(metric: KpiTotalMetric): Promise<KpiTotalRow[]>;
  /** Transactions summed over the UTC days starting in [from, to), by integration and currency. */
  kpiTransactions(query: { from: number; to: number }): Promise<TransactionDayRow[]>;
  /** `handoffs` per integration summed over the days starting in [from, to). */
  kpiHandoffs(query: { from: number; to: number }): Promise<{ integrationId: string; count: number }[]>;
  /** Distinct users seen in the UTC hour of each bound or later, in order (exact to the hour). */
  countActiveUsers(since: number[]): Promise<number[]>;
  /**
   * Customers who transacted on the UTC day of `since` or later, and those among them who did so
   * through two or more channels or participants in that time.
   */
  crossSell(since: number): Promise<{ customers: number; multi: number }>;
  /** Customers and their revenue per segment and currency. */
  customerValue(): Promise<
    { segment: 'ecosystem' | 'direct'; currency: string; customers: number; revenue: number }[]
  >;
  channelFirstRevenue(): Promise<{ channel: string; firstRevenueAt: number }[]>;
  participantActivity(): Promise<{ participantId: string; lastEventAt: number }[]>;
  kpiStages(): Promise<{ participantId: string; stage: string; firstAt: number }[]>;
  openTickets(): Promise<{ integrationId: string; open: number }[]>;
  /** Feedback answers not yet scored for sentiment, with their text (null when none). */
  unscoredFeedback(limit: number): Promise<{ seq: number; text: string | null }[]>;
  scoreFeedback(rows: { seq: number; sentiment: number | null }[]): Promise<void>;
  /** Per participant over answers at or after `since`: count and sum of scores; sentiment over answers with text. */
  feedbackSummary(
    since: number,
  ): Promise<
    { participantId: string; responses: number; scoreSum: number; texts: number; sentimentSum: number }[]
  >;
  /** Calls and errors per integration: sealed days starting in [from, to) plus every unsealed minute. */
  callCounts(query: { from: number; to: number }): Promise<CallCounts[]>;
  /** Calls and errors per integration in the request minutes not yet sealed. */
  recentCalls(): Promise<CallCounts[]>;
  /**
   * Probe runs, successes and duration bucket counts per integration from the minute rollups
   * starting in [from, to). Settled minutes may be served from memory.
   */
  probeMinutes(query: {
    from: number;
    to: number;
  }): Promise<{ integrationId: string; runs: number; successes: number; durationBuckets: number[] }[]>;
  /**
   * Traced calls, failed calls (`server_error`, `error`) and duration bucket counts per
   * integration from the request minutes in [from, to). Settled minutes may be served from memory.
   */
  callDurations(query: {
    from: number;
    to: number;
  }): Promise<{ integrationId: string; calls: number; errors: number; durationBuckets: number[] }[]>;
  recordKpiSnapshots(at: number, rows: KpiSnapshotRow[]): Promise<void>;
  /** Snapshots of one KPI in [from, to], oldest first, optionally only series whose labels include `labels`. */
  listKpiSnapshots(query: {
    name: string;
    from: number;
    to: number;
    labels?: Record<string, string>;
    limit: number;
  }): Promise<{ labels: Record<string, string>; at: number; value: number }[]>;
}
