import { createSketch, estimate, mergeSketch } from '../hll.ts';
import { KPI_FOLDS, type KpiMethods, type KpiTotalMetric, type TransactionDayRow } from '../kpi.ts';
import { createKpiFolds } from './kpi-fold.ts';
import { createMinuteSums, type MinuteRow } from './minute-sums.ts';
import type { SqliteDb } from './open.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;

const SEAL_STATEMENTS = [
  `INSERT INTO kpi_call_days (integration_id, day, calls, errors)
   SELECT integration_id, (minute / ${DAY}) * ${DAY}, sum(success + client_error + server_error + error),
     sum(server_error + error)
   FROM request_minutes WHERE minute >= @from AND minute < @until GROUP BY 1, 2
   ON CONFLICT DO UPDATE SET calls = calls + excluded.calls, errors = errors + excluded.errors`,
  `INSERT INTO kpi_totals (metric, k1, k2, k3, value)
   SELECT 'data_exchanges', coalesce(s.participant_id, ''), coalesce(t.participant_id, ''), '',
     sum(r.success + r.client_error + r.server_error + r.error)
   FROM request_minutes r JOIN integrations i ON i.id = r.integration_id
   LEFT JOIN systems s ON s.id = i.source_system_id LEFT JOIN systems t ON t.id = i.target_system_id
   WHERE r.minute >= @from AND r.minute < @until GROUP BY 2, 3
   ON CONFLICT DO UPDATE SET value = value + excluded.value`,
];

/**
 * Minute rows older than the sealed watermark by this much are final (a probe run lands in the
 * minute it started, and is written within seconds of its end): they are read once and kept.
 */
const SETTLE_MS = 5 * 60_000;

/**
 * Labels with their keys sorted (the same object when they already are), so that one series
 * always serialises to one text: its key in `kpi_snapshots`.
 */
export function sortedLabels(labels: Record<string, string>): Record<string, string> {
  const keys = Object.keys(labels);
  for (let i = 1; i < keys.length; i++)
    if ((keys[i - 1] as string) > (keys[i] as string))
      return Object.fromEntries(keys.sort().map((key) => [key, labels[key] as string]));
  return labels;
}

/**
 * The KPI half of the SQLite store: the event folds (kpi-fold.ts), the sealing of request
 * minutes into day rollups, the reads the KPI jobs make, and the snapshots.
 *
 * @example
 * const store = { ...createSqliteStore(options), ...createKpiMethods(db) };
 */
export function createKpiMethods(db: SqliteDb): KpiMethods {
  const client = db.$client;
  let prepared: ReturnType<typeof prepare> | undefined;

  function prepare() {
    return {
      watermarks: client.prepare<[], { seq: number; minute: number }>(
        "SELECT seq, minute FROM kpi_watermarks WHERE name = 'kpi'",
      ),
      transactionDay: client.prepare<[number], TransactionDayRow>(
        `SELECT integration_id AS integrationId, currency, count, amount FROM kpi_transaction_days WHERE day = ?`,
      ),
      transactionsFrom: client.prepare<[number, number], TransactionDayRow>(
        `SELECT integration_id AS integrationId, currency, count, amount FROM kpi_transaction_days WHERE day >= ? AND day < ?`,
      ),
      foldNames: client.prepare<[], { name: string; seq: number }>('SELECT name, seq FROM kpi_watermarks'),
      sketchesSince: client.prepare<[number], { hour: number; registers: Buffer }>(
        'SELECT hour, registers FROM kpi_user_sketches WHERE hour >= ? ORDER BY hour DESC',
      ),
      saveMinute: client.prepare<[number, number]>(
        "INSERT INTO kpi_watermarks (name, seq, minute, updated_at) VALUES ('kpi', 0, ?, ?) ON CONFLICT DO UPDATE SET minute = excluded.minute, updated_at = excluded.updated_at",
      ),
      firstMinute: client.prepare<[], { minute: number | null }>(
        'SELECT min(minute) AS minute FROM request_minutes',
      ),
      countMinutes: client.prepare<[number, number], { n: number }>(
        'SELECT count(*) AS n FROM request_minutes WHERE minute >= ? AND minute < ?',
      ),
      seal: SEAL_STATEMENTS.map((s) => client.prepare(s)),
      probeMinutes: client
        .prepare<[number, number], MinuteRow>(
          `SELECT bucket_start, integration_id, runs, successes, runs - successes, duration_buckets FROM probe_rollups
           WHERE resolution = 'minute' AND bucket_start >= ? AND bucket_start < ?`,
        )
        .raw(true),
      callMinutes: client
        .prepare<[number, number], MinuteRow>(
          `SELECT minute, integration_id, success + client_error + server_error + error, success + client_error,
             server_error + error, duration_buckets
           FROM request_minutes WHERE minute >= ? AND minute < ?`,
        )
        .raw(true),
    };
  }
  const statements = () => {
    prepared ??= prepare();
    return prepared;
  };

  /**
   * Transaction rows of past UTC days per day, read once and kept until a fold on this
   * connection writes to that day again (late events); today is always read live.
   */
  const transactionDays = new Map<number, TransactionDayRow[]>();
  const fold = createKpiFolds(client, (days) => {
    for (const day of days) transactionDays.delete(day);
  });
  const probeSums = createMinuteSums((from, to) => statements().probeMinutes.iterate(from, to));
  const callSums = createMinuteSums((from, to) => statements().callMinutes.iterate(from, to));
  const settled = async () => (await sealedUntil()) - SETTLE_MS;

  const seal = client.transaction((until: number, now: number) => {
    const s = statements();
    let from = s.watermarks.get()?.minute ?? 0;
    if (from === 0) from = s.firstMinute.get()?.minute ?? until;
    if (until <= from) return { rows: 0, sealedUntil: from };
    const rows = s.countMinutes.get(from, until)?.n ?? 0;
    if (rows > 0) for (const statement of s.seal) statement.run({ from, until });
    s.saveMinute.run(until, now);
    return { rows, sealedUntil: until };
  });

  const all = <T>(sql: string, ...params: unknown[]) => client.prepare(sql).all(...params) as T[];

  async function sealedUntil(): Promise<number> {
    return statements().watermarks.get()?.minute ?? 0;
  }

  return {
    async foldKpiEvents({ fold: name, ...options }) {
      return fold(name, options);
    },

    async sealKpiCalls({ until, now }) {
      return seal.immediate(until, now);
    },

    async kpiWatermarks() {
      const s = statements();
      const seqs = new Map(s.foldNames.all().map((row) => [row.name, row.seq]));
      const folds = Object.fromEntries(KPI_FOLDS.map((name) => [name, seqs.get(name) ?? 0])) as Record<
        (typeof KPI_FOLDS)[number],
        number
      >;
      return { folds, sealedUntil: await sealedUntil() };
    },

    async kpiTotals(metric: KpiTotalMetric) {
      return all('SELECT k1, k2, k3, value FROM kpi_totals WHERE metric = ? ORDER BY k1, k2, k3', metric);
    },

    async kpiTransactions({ from, to }) {
      const s = statements();
      const first = Math.ceil(from / DAY) * DAY;
      const today = Math.max(first, Math.floor(to / DAY) * DAY);
      for (const day of transactionDays.keys()) if (day < first - 31 * DAY) transactionDays.delete(day);
      const sums = new Map<string, TransactionDayRow>();
      const add = (row: TransactionDayRow) => {
        const key = `${row.integrationId}\n${row.currency}`;
        const sum = sums.get(key);
        if (sum) {
          sum.count += row.count;
          sum.amount += row.amount;
        } else sums.set(key, { ...row });
      };
      for (let day = first; day < today; day += DAY) {
        let rows = transactionDays.get(day);
        if (!rows) {
          rows = s.transactionDay.all(day);
          transactionDays.set(day, rows);
        }
        for (const row of rows) add(row);
      }
      for (const row of s.transactionsFrom.all(today, to)) add(row);
      return [...sums.values()].sort((a, b) =>
        a.integrationId === b.integrationId
          ? a.currency < b.currency
            ? -1
            : 1
          : a.integrationId < b.integrationId
            ? -1
            : 1,
      );
    },

    async kpiHandoffs({ from, to }) {
      return all(
        `SELECT k1 AS integrationId, sum(value) AS count FROM kpi_days
         WHERE metric = 'handoffs' AND day >= ? AND day < ? GROUP BY 1 ORDER BY 1`,
        from,
        to,
      );
    },

    async countActiveUsers(since) {
      // Bounds from the latest to the earliest; each estimate is of the union of its hours.
      const bounds = since
        .map((bound, i) => ({ hour: Math.floor(bound / HOUR) * HOUR, i }))
        .sort((x, y) => y.hour - x.hour);
      const counts = new Array<number>(since.length).fill(0);
      if (bounds.length === 0) return counts;
      const union = createSketch();
      let next = 0;
      for (const { hour, registers } of statements().sketchesSince.iterate(
        bounds[bounds.length - 1]?.hour ?? 0,
      )) {
        for (; next < bounds.length && hour < (bounds[next] as { hour: number }).hour; next++)
          counts[(bounds[next] as { i: number }).i] = estimate(union);
        mergeSketch(union, registers);
      }
      for (; next < bounds.length; next++) counts[(bounds[next] as { i: number }).i] = estimate(union);
      return counts;
    },

    async crossSell(since) {
      // kpi_customers keeps UTC day numbers.
      const day = Math.floor(since / DAY);
      const row = client
        .prepare<[number, number], { customers: number | null; multi: number | null }>(
          'SELECT sum(ch1_day >= ?) AS customers, sum(max(ch2_day, p2_day) >= ?) AS multi FROM kpi_customers',
        )
        .get(day, day);
      return { customers: row?.customers ?? 0, multi: row?.multi ?? 0 };
    },

    async customerValue() {
      return all(
        `SELECT s.segment, s.currency, s.customers,
           CASE s.segment WHEN 'direct' THEN s.revenue
             ELSE coalesce(t.value, 0) - coalesce(d.revenue, 0) END AS revenue
         FROM kpi_customer_segments s
         LEFT JOIN kpi_totals t ON t.metric = 'customer_revenue' AND t.k1 = s.currency AND t.k2 = '' AND t.k3 = ''
         LEFT JOIN kpi_customer_segments d ON d.segment = 'direct' AND d.currency = s.currency
         WHERE s.customers > 0 ORDER BY 1, 2`,
      );
    },

    async channelFirstRevenue() {
      return all('SELECT channel, first_revenue_at AS firstRevenueAt FROM kpi_channels ORDER BY channel');
    },

    async participantActivity() {
      return all(
        'SELECT participant_id AS participantId, last_event_at AS lastEventAt FROM kpi_participant_activity ORDER BY 1',
      );
    },

    async kpiStages() {
      return all(
        'SELECT participant_id AS participantId, stage, first_at AS firstAt FROM kpi_stages ORDER BY 1, 2',
      );
    },

    async openTickets() {
      return all(
        `SELECT integration_id AS integrationId, count(*) AS open FROM kpi_tickets
         WHERE closed_at IS NULL AND opened_at IS NOT NULL GROUP BY 1 ORDER BY 1`,
      );
    },

    async unscoredFeedback(limit) {
      return all(
        `SELECT f.seq AS seq, json_extract(e.data, '$.text') AS text FROM kpi_feedback f
         LEFT JOIN events e ON e.seq = f.seq WHERE f.scored = 0 ORDER BY f.seq LIMIT ?`,
        limit,
      );
    },

    async scoreFeedback(rows) {
      const update = client.prepare<[number | null, number]>(
        'UPDATE kpi_feedback SET sentiment = ?, scored = 1 WHERE seq = ?',
      );
      client
        .transaction(() => {
          for (const row of rows) update.run(row.sentiment, row.seq);
        })
        .immediate();
    },

    async feedbackSummary(since) {
      return all(
        `SELECT participant_id AS participantId, count(*) AS responses, sum(score) AS scoreSum,
           count(sentiment) AS texts, coalesce(sum(sentiment), 0) AS sentimentSum
         FROM kpi_feedback WHERE at >= ? GROUP BY 1 ORDER BY 1`,
        since,
      );
    },

    async callCounts({ from, to }) {
      const sealed = await sealedUntil();
      return all(
        `SELECT integrationId, sum(calls) AS calls, sum(errors) AS errors FROM (
           SELECT integration_id AS integrationId, calls, errors FROM kpi_call_days WHERE day >= ? AND day < ?
           UNION ALL
           SELECT integration_id, success + client_error + server_error + error, server_error + error
           FROM request_minutes WHERE minute >= ?)
         GROUP BY 1 ORDER BY 1`,
        from,
        to,
        sealed,
      );
    },

    async recentCalls() {
      const sealed = await sealedUntil();
      return all(
        `SELECT integration_id AS integrationId, sum(success + client_error + server_error + error) AS calls,
           sum(server_error + error) AS errors
         FROM request_minutes WHERE minute >= ? GROUP BY 1 ORDER BY 1`,
        sealed,
      );
    },

    async probeMinutes({ from, to }) {
      return probeSums(from, to, await settled()).map(({ integrationId, count, good, durationBuckets }) => ({
        integrationId,
        runs: count,
        successes: good,
        durationBuckets,
      }));
    },

    async callDurations({ from, to }) {
      return callSums(from, to, await settled()).map(({ integrationId, count, errors, durationBuckets }) => ({
        integrationId,
        calls: count,
        errors,
        durationBuckets,
      }));
    },

    async recordKpiSnapshots(at, rows) {
      // One statement over one JSON array: tens of thousands of series cost one call, not one
      // each. The labels are stored as SQLite renders the (key-sorted) object: minified JSON.
      const series = rows
        .filter((row) => Number.isFinite(row.value))
        .map((row) => [row.name, sortedLabels(row.labels), row.value]);
      if (series.length === 0) return;
      client
        .prepare<[number, string]>(
          `INSERT INTO kpi_snapshots (name, labels, at, value)
           SELECT value ->> 0, value -> 1, ?, value ->> 2 FROM json_each(?) WHERE true
           ON CONFLICT DO UPDATE SET value = excluded.value`,
        )
        .run(at, JSON.stringify(series));
    },

    async listKpiSnapshots({ name, from, to, labels, limit }) {
      const conditions = Object.keys(labels ?? {}).map(() => 'json_extract(labels, ?) = ?');
      const params = Object.entries(labels ?? {}).flatMap(([k, v]) => [`$."${k}"`, v]);
      const rows = all<{ labels: string; at: number; value: number }>(
        `SELECT labels, at, value FROM kpi_snapshots WHERE name = ? AND at >= ? AND at <= ?
         ${conditions.map((c) => `AND ${c}`).join(' ')} ORDER BY at, labels LIMIT ?`,
        name,
        from,
        to,
        ...params,
        limit,
      );
      return rows.map((row) => ({ ...row, labels: JSON.parse(row.labels) as Record<string, string> }));
    },
  };
}
