import type { KpiMethods, KpiTotalMetric } from '../kpi.ts';
import type { SqliteDb } from './open.ts';

const DAY = 86_400_000;
const OURS = "('orchestrator', 'internal')";

/**
 * The new events of one fold, narrowed to what the rollups need, with their effective time.
 * Keyed by (type, seq) so each rollup statement reads only the rows of its event type.
 */
const BATCH_TABLE = `CREATE TEMP TABLE IF NOT EXISTS kpi_batch (
  type TEXT NOT NULL, seq INTEGER NOT NULL, at INTEGER NOT NULL, participant TEXT NOT NULL,
  integration TEXT NOT NULL, channel TEXT NOT NULL, customer TEXT, user TEXT, amount REAL,
  currency TEXT, key TEXT, num REAL, PRIMARY KEY (type, seq)) WITHOUT ROWID`;

const FILL_BATCH = `INSERT INTO temp.kpi_batch
SELECT e.type, e.seq, max(e.time, e.received_at - @lateness),
  coalesce(e.participant_id, ''), coalesce(e.integration_id, ''),
  coalesce(e.channel, i.channel, ''), e.customer_id, e.user_id, e.amount, e.currency,
  CASE e.type WHEN 'participant.stage' THEN json_extract(e.data, '$.stage')
    WHEN 'ticket.opened' THEN json_extract(e.data, '$.ticket')
    WHEN 'ticket.closed' THEN json_extract(e.data, '$.ticket') END,
  CASE e.type WHEN 'handoff.automated' THEN coalesce(json_extract(e.data, '$.count'), 1)
    WHEN 'feedback' THEN json_extract(e.data, '$.score') END
FROM events e LEFT JOIN integrations i ON i.id = e.integration_id
WHERE e.seq > @from AND e.seq <= @to`;

/**
 * One rollup's share of a fold: `select` aggregates the batch (it reads only temporary tables and
 * the catalog), `into` and `set` add the aggregate to the rollup. The aggregate is staged in a
 * temporary table before the write transaction starts, so the write lock is held only for the
 * upserts of aggregated rows, not for reading and grouping the events.
 */
interface FoldStep {
  into: string;
  select: string;
  /** The ON CONFLICT DO UPDATE assignments; none for a plain insert. */
  set?: string;
}

const FOLD_STEPS: FoldStep[] = [
  {
    into: 'kpi_transaction_days (day, integration_id, currency, count, amount)',
    select: `SELECT (at / ${DAY}) * ${DAY}, integration, coalesce(currency, ''), count(*), coalesce(sum(amount), 0)
   FROM temp.kpi_batch WHERE type = 'transaction' GROUP BY 1, 2, 3`,
    set: 'count = count + excluded.count, amount = amount + excluded.amount',
  },
  {
    into: 'kpi_totals (metric, k1, k2, k3, value)',
    select: `SELECT 'transactions', integration, channel, '', count(*) FROM temp.kpi_batch WHERE type = 'transaction' GROUP BY 2, 3
     UNION ALL SELECT 'revenue', channel, participant, coalesce(currency, ''), coalesce(sum(amount), 0)
       FROM temp.kpi_batch WHERE type = 'transaction' GROUP BY 2, 3, 4
     UNION ALL SELECT 'handoffs', integration, '', '', sum(num) FROM temp.kpi_batch WHERE type = 'handoff.automated' GROUP BY 2
     UNION ALL SELECT 'docs_views', '', '', '', count(*) FROM temp.kpi_batch WHERE type = 'docs.view' HAVING count(*) > 0
     UNION ALL SELECT 'developer_activity', '', '', '', count(*) FROM temp.kpi_batch WHERE type = 'developer.activity' HAVING count(*) > 0
     UNION ALL SELECT 'tickets_opened', integration, '', '', count(*) FROM temp.kpi_batch WHERE type = 'ticket.opened' GROUP BY 2
     UNION ALL SELECT 'tickets_closed', integration, '', '', count(*) FROM temp.kpi_batch WHERE type = 'ticket.closed' GROUP BY 2`,
    set: 'value = value + excluded.value',
  },
  {
    into: 'kpi_days (metric, day, k1, value)',
    select: `SELECT 'handoffs', (at / ${DAY}) * ${DAY}, integration, sum(num) FROM temp.kpi_batch
   WHERE type = 'handoff.automated' GROUP BY 2, 3`,
    set: 'value = value + excluded.value',
  },
  {
    into: 'kpi_users (user_id, last_seen)',
    select: `SELECT user, max(at) FROM temp.kpi_batch WHERE type = 'user.active' AND user IS NOT NULL GROUP BY user`,
    set: 'last_seen = max(last_seen, excluded.last_seen)',
  },
  {
    into: 'kpi_customers (customer_id, currency, revenue, transactions, last_seen, ecosystem)',
    select: `SELECT b.customer, coalesce(b.currency, ''), coalesce(sum(b.amount), 0), count(*), max(b.at),
     max(CASE WHEN p.role IS NOT NULL AND p.role NOT IN ${OURS} THEN 1 ELSE 0 END)
   FROM temp.kpi_batch b LEFT JOIN participants p ON p.id = b.participant
   WHERE b.type = 'transaction' AND b.customer IS NOT NULL GROUP BY 1, 2`,
    set: `revenue = revenue + excluded.revenue,
     transactions = transactions + excluded.transactions,
     last_seen = max(last_seen, excluded.last_seen), ecosystem = max(ecosystem, excluded.ecosystem)`,
  },
  {
    into: 'kpi_customer_routes (customer_id, channel, participant_id, last_seen)',
    select: `SELECT customer, channel, participant, max(at) FROM temp.kpi_batch
   WHERE type = 'transaction' AND customer IS NOT NULL GROUP BY 1, 2, 3`,
    set: 'last_seen = max(last_seen, excluded.last_seen)',
  },
  {
    into: 'kpi_channels (channel, first_revenue_at)',
    select: `SELECT channel, min(at) FROM temp.kpi_batch
   WHERE type = 'transaction' AND amount > 0 AND channel != '' GROUP BY 1`,
    set: 'first_revenue_at = min(first_revenue_at, excluded.first_revenue_at)',
  },
  {
    into: 'kpi_participant_activity (participant_id, last_event_at)',
    select: `SELECT participant, max(at) FROM temp.kpi_batch WHERE participant != '' GROUP BY 1`,
    set: 'last_event_at = max(last_event_at, excluded.last_event_at)',
  },
  {
    into: 'kpi_stages (participant_id, stage, first_at)',
    select: `SELECT participant, key, min(at) FROM temp.kpi_batch
   WHERE type = 'participant.stage' AND participant != '' AND key IS NOT NULL GROUP BY 1, 2`,
    set: 'first_at = min(first_at, excluded.first_at)',
  },
  {
    into: 'kpi_tickets (ticket, integration_id, opened_at, closed_at)',
    select: `SELECT key, max(integration), min(CASE WHEN type = 'ticket.opened' THEN at END),
     max(CASE WHEN type = 'ticket.closed' THEN at END)
   FROM temp.kpi_batch WHERE type IN ('ticket.opened', 'ticket.closed') AND key IS NOT NULL GROUP BY 1`,
    set: `integration_id = CASE WHEN integration_id = '' THEN excluded.integration_id ELSE integration_id END,
     opened_at = coalesce(min(opened_at, excluded.opened_at), opened_at, excluded.opened_at),
     closed_at = coalesce(max(closed_at, excluded.closed_at), closed_at, excluded.closed_at)`,
  },
  {
    into: 'kpi_feedback (seq, participant_id, at, score, sentiment, scored)',
    select: `SELECT seq, participant, at, num, NULL, 0 FROM temp.kpi_batch
   WHERE type = 'feedback' AND participant != '' AND num IS NOT NULL`,
  },
];

/** The staging table of step `i`: its aggregate, computed outside the write transaction. */
const stageTable = (i: number) => `kpi_stage_${i}`;

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

/** integration id, count, successes, duration buckets as JSON: one minute of a rollup, read raw. */
type BucketRow = [string, number, number, string];

/**
 * Sums minute rows per integration, bucket by bucket. Rows are read as arrays and their JSON
 * bucket lists parsed one at a time, so an hour of 2,000 integrations stays cheap.
 */
function sumBuckets(rows: Iterable<BucketRow>): [string, number, number, number[]][] {
  const byId = new Map<string, [string, number, number, number[]]>();
  for (const [id, count, good, json] of rows) {
    const buckets = JSON.parse(json) as number[];
    const entry = byId.get(id);
    if (!entry) {
      byId.set(id, [id, count, good, buckets]);
      continue;
    }
    entry[1] += count;
    entry[2] += good;
    const sum = entry[3];
    for (let i = 0; i < buckets.length; i++) sum[i] = (sum[i] ?? 0) + (buckets[i] as number);
  }
  return [...byId.values()];
}

/** Labels as canonical JSON: keys sorted, so one series always has one key. */
export function canonicalLabels(labels: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1))));
}

/**
 * The KPI half of the SQLite store. Folds run as INSERT … SELECT … GROUP BY over a temporary
 * copy of the new events, so each event is read from the events table once per fold and the
 * aggregation happens in SQLite, not in JavaScript.
 *
 * @example
 * const store = { ...createSqliteStore(options), ...createKpiMethods(db) };
 */
export function createKpiMethods(db: SqliteDb): KpiMethods {
  const client = db.$client;
  let prepared: ReturnType<typeof prepare> | undefined;

  function prepare() {
    client.exec(BATCH_TABLE);
    for (const [i, step] of FOLD_STEPS.entries())
      client.exec(`CREATE TEMP TABLE IF NOT EXISTS ${stageTable(i)} AS ${step.select} LIMIT 0`);
    return {
      watermarks: client.prepare<[], { seq: number; minute: number }>(
        "SELECT seq, minute FROM kpi_watermarks WHERE name = 'kpi'",
      ),
      saveSeq: client.prepare<[number, number]>(
        "INSERT INTO kpi_watermarks (name, seq, minute, updated_at) VALUES ('kpi', ?, 0, ?) ON CONFLICT DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at",
      ),
      saveMinute: client.prepare<[number, number]>(
        "INSERT INTO kpi_watermarks (name, seq, minute, updated_at) VALUES ('kpi', 0, ?, ?) ON CONFLICT DO UPDATE SET minute = excluded.minute, updated_at = excluded.updated_at",
      ),
      batchEnd: client.prepare<[number, number], { seq: number | null; n: number }>(
        'SELECT max(seq) AS seq, count(*) AS n FROM (SELECT seq FROM events WHERE seq > ? ORDER BY seq LIMIT ?)',
      ),
      clearBatch: client.prepare('DELETE FROM temp.kpi_batch'),
      fillBatch: client.prepare(FILL_BATCH),
      stage: FOLD_STEPS.map((step, i) => ({
        clear: client.prepare(`DELETE FROM temp.${stageTable(i)}`),
        fill: client.prepare(`INSERT INTO temp.${stageTable(i)} ${step.select}`),
        apply: client.prepare(
          `INSERT INTO ${step.into} SELECT * FROM temp.${stageTable(i)} WHERE true${step.set ? ` ON CONFLICT DO UPDATE SET ${step.set}` : ''}`,
        ),
      })),
      firstMinute: client.prepare<[], { minute: number | null }>(
        'SELECT min(minute) AS minute FROM request_minutes',
      ),
      countMinutes: client.prepare<[number, number], { n: number }>(
        'SELECT count(*) AS n FROM request_minutes WHERE minute >= ? AND minute < ?',
      ),
      seal: SEAL_STATEMENTS.map((s) => client.prepare(s)),
      probeMinutes: client.prepare(
        `SELECT integration_id, runs, successes, duration_buckets FROM probe_rollups
         WHERE resolution = 'minute' AND bucket_start >= ? AND bucket_start < ?`,
      ),
      callMinutes: client.prepare(
        `SELECT integration_id, success + client_error + server_error + error, 0, duration_buckets
         FROM request_minutes WHERE minute >= ? AND minute < ?`,
      ),
    };
  }
  const statements = () => {
    prepared ??= prepare();
    return prepared;
  };

  /**
   * Reads the next batch after `from` and aggregates it into the staging tables. Writes only
   * temporary tables, so outside a write transaction it takes no lock that ingest waits on.
   */
  function stageBatch(lateness: number, from: number, limit: number) {
    const s = statements();
    const end = s.batchEnd.get(from, limit);
    if (!end || end.n === 0 || end.seq === null) return undefined;
    s.clearBatch.run();
    s.fillBatch.run({ lateness, from, to: end.seq });
    for (const step of s.stage) {
      step.clear.run();
      step.fill.run();
    }
    s.clearBatch.run();
    return { seq: end.seq, n: end.n };
  }

  const stage = client.transaction(stageBatch);

  const apply = client.transaction(
    (
      lateness: number,
      limit: number,
      now: number,
      from: number,
      staged: { seq: number; n: number } | undefined,
    ) => {
      const s = statements();
      const current = s.watermarks.get()?.seq ?? 0;
      // Another connection folded in between: stage again, now under the lock.
      const batch = current === from ? staged : stageBatch(lateness, current, limit);
      if (!batch) return { events: 0, watermark: current };
      for (const step of s.stage) step.apply.run();
      s.saveSeq.run(batch.seq, now);
      return { events: batch.n, watermark: batch.seq };
    },
  );

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
    async foldKpiEvents({ lateness, limit, now }) {
      const from = statements().watermarks.get()?.seq ?? 0;
      const staged = stage.deferred(lateness, from, limit);
      if (!staged) return { events: 0, watermark: from };
      return apply.immediate(lateness, limit, now, from, staged);
    },

    async sealKpiCalls({ until, now }) {
      return seal.immediate(until, now);
    },

    async kpiWatermarks() {
      const row = statements().watermarks.get();
      return { seq: row?.seq ?? 0, sealedUntil: row?.minute ?? 0 };
    },

    async kpiTotals(metric: KpiTotalMetric) {
      return all('SELECT k1, k2, k3, value FROM kpi_totals WHERE metric = ? ORDER BY k1, k2, k3', metric);
    },

    async kpiTransactions({ from, to }) {
      return all(
        `SELECT integration_id AS integrationId, currency, sum(count) AS count, sum(amount) AS amount
         FROM kpi_transaction_days WHERE day >= ? AND day < ? GROUP BY 1, 2 ORDER BY 1, 2`,
        from,
        to,
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
      const statement = client.prepare<[number], { n: number }>(
        'SELECT count(*) AS n FROM kpi_users WHERE last_seen >= ?',
      );
      return since.map((bound) => statement.get(bound)?.n ?? 0);
    },

    async crossSell(since) {
      const row = client
        .prepare<[number], { customers: number; multi: number | null }>(
          `SELECT count(*) AS customers, sum(CASE WHEN channels >= 2 OR participants >= 2 THEN 1 ELSE 0 END) AS multi
           FROM (SELECT count(DISTINCT channel) AS channels, count(DISTINCT participant_id) AS participants
                 FROM kpi_customer_routes WHERE last_seen >= ? GROUP BY customer_id)`,
        )
        .get(since);
      return { customers: row?.customers ?? 0, multi: row?.multi ?? 0 };
    },

    async customerValue() {
      return all(
        `SELECT CASE WHEN ecosystem = 1 THEN 'ecosystem' ELSE 'direct' END AS segment, currency,
           count(*) AS customers, sum(revenue) AS revenue
         FROM (SELECT customer_id, currency, revenue,
                 max(ecosystem) OVER (PARTITION BY customer_id) AS ecosystem FROM kpi_customers)
         GROUP BY 1, 2 ORDER BY 1, 2`,
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

    async recentCalls(since) {
      const sealed = since ?? (await sealedUntil());
      return all(
        `SELECT integration_id AS integrationId, sum(success + client_error + server_error + error) AS calls,
           sum(server_error + error) AS errors
         FROM request_minutes WHERE minute >= ? GROUP BY 1 ORDER BY 1`,
        sealed,
      );
    },

    async probeMinutes({ from, to }) {
      return sumBuckets(statements().probeMinutes.raw(true).iterate(from, to) as Iterable<BucketRow>).map(
        ([integrationId, runs, successes, durationBuckets]) => ({
          integrationId,
          runs,
          successes,
          durationBuckets,
        }),
      );
    },

    async callDurations({ from, to }) {
      return sumBuckets(statements().callMinutes.raw(true).iterate(from, to) as Iterable<BucketRow>).map(
        ([integrationId, calls, , durationBuckets]) => ({ integrationId, calls, durationBuckets }),
      );
    },

    async recordKpiSnapshots(at, rows) {
      const insert = client.prepare<[string, string, number, number]>(
        'INSERT INTO kpi_snapshots (name, labels, at, value) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET value = excluded.value',
      );
      client
        .transaction(() => {
          for (const row of rows)
            if (Number.isFinite(row.value)) insert.run(row.name, canonicalLabels(row.labels), at, row.value);
        })
        .immediate();
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
