import type Database from 'better-sqlite3';
import { addToSketch, createSketch, mergeSketch } from '../hll.ts';
import type { KpiFoldName, KpiFoldResult } from '../kpi.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const OURS = "('orchestrator', 'internal')";

/** An event's effective time: its own, or the edge of the lateness window when it came later. */
const AT = 'max(e.time, e.received_at - @lateness)';
const BATCH = 'e.seq > @from AND e.seq <= @to';
/**
 * A transaction's channel: its own, else its integration's (looked up only when the event has
 * none), else none.
 */
const CHANNEL =
  "coalesce(e.channel, (SELECT i.channel FROM integrations i WHERE i.id = e.integration_id), '')";
/** The integrations' channels, for reads that resolve a transaction's channel in JavaScript. */
const READ_CHANNELS = 'SELECT id, channel FROM integrations WHERE channel IS NOT NULL';

/** Rows per read of a batch's users: bounds the memory of a long catch-up. */
const USER_CHUNK = 200_000;
/** Separates the values of a concatenated column (never in an id: ids are printable). */
const SEPARATOR = '\u001f';

/**
 * The users of `user.active` events and the UTC hour of each one's effective time, as two lists
 * in one row (both aggregates see the rows in the same order, so they stay aligned): one string
 * per column crosses into JavaScript instead of two values per event.
 */
const READ_USERS = `SELECT group_concat(e.user_id, char(31)), group_concat((${AT} / ${HOUR}) * ${HOUR}, char(31))
FROM events e WHERE ${BATCH} AND e.type = 'user.active' AND e.user_id IS NOT NULL`;

/** Transactions by integration and own channel (usage). */
const READ_TRANSACTION_ROUTES = `SELECT coalesce(e.integration_id, ''), e.channel FROM events e
WHERE ${BATCH} AND e.type = 'transaction'`;

/**
 * Transactions with what the value rollups need: effective time, participant, integration, own
 * channel, names a customer, amount, currency.
 */
const READ_TRANSACTIONS = `SELECT ${AT}, coalesce(e.participant_id, ''), coalesce(e.integration_id, ''), e.channel,
  e.customer_id IS NOT NULL, coalesce(e.amount, 0), coalesce(e.currency, '')
FROM events e WHERE ${BATCH} AND e.type = 'transaction'`;
type TransactionRow = [number, string, string, string | null, number, number, string];

/** Hand-offs: effective time, integration, count (1 when the event has none). */
const READ_HANDOFFS = `SELECT ${AT}, coalesce(e.integration_id, ''), coalesce(e.data ->> '$.count', 1) FROM events e
WHERE ${BATCH} AND e.type = 'handoff.automated'`;

/** Events that name a participant, any type: participant, effective time (grouped in JavaScript, no sort). */
const READ_ACTIVITY = `SELECT e.participant_id, ${AT} FROM events e WHERE ${BATCH} AND e.participant_id IS NOT NULL`;

/** Onboarding stages reached: participant, stage, effective time. */
const READ_STAGES = `SELECT e.participant_id, e.data ->> '$.stage', ${AT} FROM events e
WHERE ${BATCH} AND e.type = 'participant.stage' AND e.participant_id IS NOT NULL AND e.data ->> '$.stage' IS NOT NULL`;

/** The qualitative events: type, effective time, participant, integration, ticket, feedback score, seq. */
const READ_QUALITATIVE = `SELECT e.type, ${AT}, coalesce(e.participant_id, ''), coalesce(e.integration_id, ''),
  CASE WHEN e.type IN ('ticket.opened', 'ticket.closed') THEN e.data ->> '$.ticket' END,
  CASE e.type WHEN 'feedback' THEN e.data ->> '$.score' END, e.seq
FROM events e
WHERE ${BATCH} AND e.type IN ('docs.view', 'developer.activity', 'ticket.opened', 'ticket.closed', 'feedback')`;
type QualitativeRow = [string, number, string, string, string | null, number | null, number];

/**
 * Merges one candidate (value `x`, day `d`) into a "two most recent distinct values" pair
 * (v1, d1), (v2, d2) with d1 ≥ d2: the assignments of the four columns, each reading the old row.
 */
function mergeRecent(v: string): string {
  const [v1, d1, v2, d2] = [`${v}1`, `${v}1_day`, `${v}2`, `${v}2_day`];
  const x = `excluded.${v1}`;
  const d = `excluded.${d1}`;
  return `${v1} = CASE WHEN ${x} = ${v1} THEN ${v1} WHEN ${d} > ${d1} THEN ${x} ELSE ${v1} END,
  ${d1} = CASE WHEN ${x} = ${v1} THEN max(${d1}, ${d}) WHEN ${d} > ${d1} THEN ${d} ELSE ${d1} END,
  ${v2} = CASE WHEN ${x} = ${v1} THEN ${v2} WHEN ${d} > ${d1} THEN ${v1} WHEN ${x} = ${v2} THEN ${v2}
    WHEN ${d} > ${d2} THEN ${x} ELSE ${v2} END,
  ${d2} = CASE WHEN ${x} = ${v1} THEN ${d2} WHEN ${d} > ${d1} THEN ${d1} WHEN ${x} = ${v2} THEN max(${d2}, ${d})
    WHEN ${d} > ${d2} THEN ${d} ELSE ${d2} END`;
}

/** The candidate's currency as a JSON string (`"EUR"`) and as text. */
const CURRENCY_JSON = 'substr(excluded.currencies, 2, length(excluded.currencies) - 2)';
const CURRENCY = '(excluded.currencies ->> 0)';
const REVENUE_PATH = `'$."' || ${CURRENCY} || '"'`;

/**
 * Per-customer state, one upsert per `transaction` that names a customer, in seq order per
 * customer: sorted by customer, the upserts walk the table's b-tree in key order. A row is
 * rewritten only when something the KPIs read changes: a later day or a new channel or
 * participant among the two most recent, the ecosystem flag, a new currency, or the revenue of a
 * direct customer. Triggers keep `kpi_customer_segments` in step.
 */
const FOLD_CUSTOMERS = `INSERT INTO kpi_customers
  (customer_id, ch1, ch1_day, ch2, ch2_day, p1, p1_day, p2, p2_day, ecosystem, currencies, direct_revenue)
SELECT customer, channel, day, NULL, 0, participant, day, NULL, 0, ecosystem, json_array(currency),
  CASE ecosystem WHEN 1 THEN '{}' ELSE json_object(currency, amount) END
FROM (SELECT e.customer_id AS customer, ${CHANNEL} AS channel,
    ${AT} / ${DAY} AS day, coalesce(e.participant_id, '') AS participant,
    coalesce(e.participant_id IN (SELECT id FROM participants WHERE role NOT IN ${OURS}), 0) AS ecosystem,
    coalesce(e.currency, '') AS currency, coalesce(e.amount, 0) AS amount
  FROM events e
  WHERE ${BATCH} AND e.type = 'transaction' AND e.customer_id IS NOT NULL ORDER BY e.customer_id, e.seq)
WHERE true
ON CONFLICT DO UPDATE SET ${mergeRecent('ch')}, ${mergeRecent('p')},
  ecosystem = max(ecosystem, excluded.ecosystem),
  currencies = CASE WHEN instr(currencies, ${CURRENCY_JSON}) > 0 THEN currencies
    ELSE json_insert(currencies, '$[#]', ${CURRENCY}) END,
  direct_revenue = CASE WHEN max(ecosystem, excluded.ecosystem) = 1 THEN '{}'
    ELSE json_set(direct_revenue, ${REVENUE_PATH},
      coalesce(json_extract(direct_revenue, ${REVENUE_PATH}), 0) + json_extract(excluded.direct_revenue, ${REVENUE_PATH})) END
WHERE excluded.ch1_day > ch1_day OR (excluded.ch1 IS NOT ch1 AND excluded.ch1_day > ch2_day)
  OR (excluded.p1 IS NOT p1 AND excluded.p1_day > p2_day) OR excluded.ecosystem > ecosystem
  OR instr(currencies, ${CURRENCY_JSON}) = 0 OR (ecosystem = 0 AND excluded.ecosystem = 0)`;

/**
 * Where the aggregates of a batch go: one `INSERT … SELECT … FROM json_each(?)` per rollup, so
 * they cross into SQLite as one JSON array each instead of one call per row.
 */
const MERGES = {
  totals: { columns: 'kpi_totals (metric, k1, k2, k3, value)', set: 'value = value + excluded.value' },
  transactionDays: {
    columns: 'kpi_transaction_days (day, integration_id, currency, count, amount)',
    set: 'count = count + excluded.count, amount = amount + excluded.amount',
  },
  days: { columns: 'kpi_days (metric, day, k1, value)', set: 'value = value + excluded.value' },
  channels: {
    columns: 'kpi_channels (channel, first_revenue_at)',
    set: 'first_revenue_at = min(first_revenue_at, excluded.first_revenue_at)',
  },
  activity: {
    columns: 'kpi_participant_activity (participant_id, last_event_at)',
    set: 'last_event_at = max(last_event_at, excluded.last_event_at)',
  },
  stages: {
    columns: 'kpi_stages (participant_id, stage, first_at)',
    set: 'first_at = min(first_at, excluded.first_at)',
  },
  tickets: {
    columns: 'kpi_tickets (ticket, integration_id, opened_at, closed_at)',
    set: `integration_id = CASE WHEN integration_id = '' THEN excluded.integration_id ELSE integration_id END,
     opened_at = coalesce(min(opened_at, excluded.opened_at), opened_at, excluded.opened_at),
     closed_at = coalesce(max(closed_at, excluded.closed_at), closed_at, excluded.closed_at)`,
  },
  feedback: { columns: 'kpi_feedback (seq, participant_id, at, score, sentiment, scored)', set: undefined },
} as const;
type MergeName = keyof typeof MERGES;

function mergeSql({ columns, set }: { columns: string; set: string | undefined }): string {
  const values = columns
    .split(',')
    .map((_, i) => `value ->> ${i}`)
    .join(', ');
  return `INSERT INTO ${columns} SELECT ${values} FROM json_each(?) WHERE true${set ? ` ON CONFLICT DO UPDATE SET ${set}` : ''}`;
}

type Key = string | number;

/**
 * Rows of aggregates by a key of up to three parts, indexed by nested maps (no composite key
 * strings to build and hash per event). `get` finds a key's row, `add` inserts the first one;
 * callers fold into rows in place.
 */
class Rollup<Row extends (string | number | null)[]> {
  readonly rows: Row[] = [];
  private readonly index = new Map<Key, Map<Key, Map<Key, Row>>>();
  get(a: Key, b: Key = '', c: Key = ''): Row | undefined {
    return this.index.get(a)?.get(b)?.get(c);
  }
  add(row: Row, a: Key, b: Key = '', c: Key = ''): Row {
    let second = this.index.get(a);
    if (!second) {
      second = new Map();
      this.index.set(a, second);
    }
    let third = second.get(b);
    if (!third) {
      third = new Map();
      second.set(b, third);
    }
    third.set(c, row);
    this.rows.push(row);
    return row;
  }
  get size(): number {
    return this.rows.length;
  }
  json(): string {
    return JSON.stringify(this.rows);
  }
}

/** Cumulative counters of `kpi_totals`, one rollup per metric keyed (k1, k2, k3). */
class Totals {
  private readonly metrics = new Map<string, Rollup<[string, string, string, string, number]>>();
  add(metric: string, k1: string, k2: string, k3: string, value: number): void {
    let rollup = this.metrics.get(metric);
    if (!rollup) {
      rollup = new Rollup();
      this.metrics.set(metric, rollup);
    }
    const row = rollup.get(k1, k2, k3) ?? rollup.add([metric, k1, k2, k3, 0], k1, k2, k3);
    row[4] += value;
  }
  get size(): number {
    let n = 0;
    for (const rollup of this.metrics.values()) n += rollup.size;
    return n;
  }
  json(): string {
    return JSON.stringify([...this.metrics.values()].flatMap((rollup) => rollup.rows));
  }
}

/** The aggregates of one batch, as JSON arrays per rollup (only those with rows). */
type Aggregates = Partial<Record<MergeName, string>>;

function toJson(rollups: Partial<Record<MergeName, { size: number; json(): string }>>): Aggregates {
  const out: Aggregates = {};
  for (const [name, rollup] of Object.entries(rollups))
    if (rollup && rollup.size > 0) out[name as MergeName] = rollup.json();
  return out;
}

type Range = { lateness: number; from: number; to: number };
type Read = <Row>(sql: string, range: Range) => Row[];

/** One fold's work on a batch: `stage` reads and aggregates (no lock), `apply` writes (under the write lock). */
interface FoldPlan<Staged> {
  stage(read: Read, range: Range): Staged;
  apply(write: (name: MergeName, json: string) => void, staged: Staged, range: Range, now: number): void;
}

const integrationChannels = (read: Read) =>
  new Map(read<[string, string]>(READ_CHANNELS, { lateness: 0, from: 0, to: 0 }));

const applyAggregates = (write: (name: MergeName, json: string) => void, aggregates: Aggregates) => {
  for (const [name, json] of Object.entries(aggregates)) write(name as MergeName, json);
};

/**
 * The four event folds. Each reads only its own event types since its own watermark, so a job
 * run costs what its family reads of the new events; `health` reads what the others fold.
 */
function foldPlans(client: Database.Database, onTransactionDays: (days: number[]) => void) {
  const readUsers = client.prepare(READ_USERS).raw(true);
  const usersWatermark = client
    .prepare<[], number>("SELECT seq FROM kpi_watermarks WHERE name = 'users'")
    .pluck();
  const saveUsersWatermark = client.prepare<[number, number]>(
    "INSERT INTO kpi_watermarks (name, seq, minute, updated_at) VALUES ('users', ?, 0, ?) ON CONFLICT DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at",
  );
  const storedSketch = client
    .prepare<[number], Buffer>('SELECT registers FROM kpi_user_sketches WHERE hour = ?')
    .pluck();
  const saveSketch = client.prepare<[number, Uint8Array]>(
    'INSERT INTO kpi_user_sketches (hour, registers) VALUES (?, ?) ON CONFLICT DO UPDATE SET registers = excluded.registers',
  );
  const foldCustomers = client.prepare(FOLD_CUSTOMERS);

  /** Sketches of the users of `user.active` events in the range, per hour, read in chunks. */
  function sketchUsers(range: Range): Map<number, Uint8Array> {
    const sketches = new Map<number, Uint8Array>();
    let sketch: Uint8Array | undefined;
    let sketchHour = Number.NaN;
    // In chunks of seq: a catch-up over weeks of events never builds one huge string.
    for (let from = range.from; from < range.to; from += USER_CHUNK) {
      const [users, hours] = readUsers.get({ ...range, from, to: Math.min(range.to, from + USER_CHUNK) }) as [
        string | null,
        string | null,
      ];
      if (users === null || hours === null) continue;
      const ids = users.split(SEPARATOR);
      const starts = hours.split(SEPARATOR);
      for (let i = 0; i < ids.length; i++) {
        const hour = Number(starts[i]);
        if (hour !== sketchHour) {
          sketchHour = hour;
          sketch = sketches.get(hour);
          if (!sketch) {
            sketch = createSketch();
            sketches.set(hour, sketch);
          }
        }
        addToSketch(sketch as Uint8Array, ids[i] as string);
      }
    }
    return sketches;
  }

  const usage: FoldPlan<{ totals: Totals; sketches: Map<number, Uint8Array> }> = {
    stage(read, range) {
      const totals = new Totals();
      const channels = integrationChannels(read);
      for (const [integration, channel] of read<[string, string | null]>(READ_TRANSACTION_ROUTES, range))
        totals.add('transactions', integration, channel ?? channels.get(integration) ?? '', '', 1);
      // The users' own watermark is behind only while the sketches are rebuilt after an upgrade.
      const usersFrom = Math.min(range.from, usersWatermark.get() ?? range.from);
      return { totals, sketches: sketchUsers({ ...range, from: usersFrom }) };
    },
    apply(write, staged, range, now) {
      if (staged.totals.size > 0) write('totals', staged.totals.json());
      for (const [hour, sketch] of staged.sketches) {
        const stored = storedSketch.get(hour);
        if (stored) mergeSketch(sketch, stored);
        saveSketch.run(hour, sketch);
      }
      saveUsersWatermark.run(range.to, now);
    },
  };

  const value: FoldPlan<{ aggregates: Aggregates; days: number[] }> = {
    stage(read, range) {
      const totals = new Totals();
      const transactionDays = new Rollup<[number, string, string, number, number]>();
      const days = new Rollup<[string, number, string, number]>();
      const channels = new Rollup<[string, number]>();
      const integrationChannel = integrationChannels(read);
      for (const [at, participant, integration, own, customer, amount, currency] of read<TransactionRow>(
        READ_TRANSACTIONS,
        range,
      )) {
        const channel = own ?? integrationChannel.get(integration) ?? '';
        const day = Math.floor(at / DAY) * DAY;
        const row =
          transactionDays.get(day, integration, currency) ??
          transactionDays.add([day, integration, currency, 0, 0], day, integration, currency);
        row[3] += 1;
        row[4] += amount;
        totals.add('revenue', channel, participant, currency, amount);
        if (customer) totals.add('customer_revenue', currency, '', '', amount);
        if (amount > 0 && channel !== '') {
          const first = channels.get(channel) ?? channels.add([channel, at], channel);
          if (at < first[1]) first[1] = at;
        }
      }
      for (const [at, integration, count] of read<[number, string, number]>(READ_HANDOFFS, range)) {
        totals.add('handoffs', integration, '', '', count);
        const day = Math.floor(at / DAY) * DAY;
        const row =
          days.get(day, integration) ?? days.add(['handoffs', day, integration, 0], day, integration);
        row[3] += count;
      }
      const touched = [...new Set(transactionDays.rows.map((row) => row[0]))];
      return { aggregates: toJson({ totals, transactionDays, days, channels }), days: touched };
    },
    apply(write, { aggregates, days }, range) {
      foldCustomers.run(range);
      applyAggregates(write, aggregates);
      onTransactionDays(days);
    },
  };

  const participation: FoldPlan<Aggregates> = {
    stage(read, range) {
      const activity = new Rollup<[string, number]>();
      for (const [participant, at] of read<[string, number]>(READ_ACTIVITY, range)) {
        const row = activity.get(participant) ?? activity.add([participant, at], participant);
        if (at > row[1]) row[1] = at;
      }
      const stages = new Rollup<[string, string, number]>();
      for (const [participant, stage, at] of read<[string, string, number]>(READ_STAGES, range)) {
        const row =
          stages.get(participant, stage) ?? stages.add([participant, stage, at], participant, stage);
        if (at < row[2]) row[2] = at;
      }
      return toJson({ activity, stages });
    },
    apply: (write, aggregates) => applyAggregates(write, aggregates),
  };

  const qualitative: FoldPlan<Aggregates> = {
    stage(read, range) {
      const totals = new Totals();
      const tickets = new Rollup<[string, string, number | null, number | null]>();
      const feedback: [number, string, number, number, null, number][] = [];
      for (const [type, at, participant, integration, ticket, score, seq] of read<QualitativeRow>(
        READ_QUALITATIVE,
        range,
      )) {
        if (type === 'docs.view') totals.add('docs_views', '', '', '', 1);
        else if (type === 'developer.activity') totals.add('developer_activity', '', '', '', 1);
        else if (type === 'feedback') {
          if (participant !== '' && score !== null)
            feedback.push([seq, participant, at, Number(score), null, 0]);
        } else {
          const opened = type === 'ticket.opened';
          totals.add(opened ? 'tickets_opened' : 'tickets_closed', integration, '', '', 1);
          if (ticket === null) continue;
          const row = tickets.get(ticket) ?? tickets.add([ticket, integration, null, null], ticket);
          if (integration > row[1]) row[1] = integration;
          if (opened && (row[2] === null || at < row[2])) row[2] = at;
          if (!opened && (row[3] === null || at > row[3])) row[3] = at;
        }
      }
      return toJson({
        totals,
        tickets,
        feedback: { size: feedback.length, json: () => JSON.stringify(feedback) },
      });
    },
    apply: (write, aggregates) => applyAggregates(write, aggregates),
  };

  return { usage, value, participation, qualitative } as Record<KpiFoldName, FoldPlan<unknown>>;
}

/**
 * The KPI event folds over one connection. Each fold has its own watermark in `kpi_watermarks`
 * (named after it) and works in batches of at most `limit` events: the batch is read and
 * aggregated in a deferred (read) transaction, then written in an immediate one with the new
 * watermark, so the write lock is held only while the aggregates are added. Per-user and
 * per-customer state is written in SQL straight from the events: a row is rewritten only when it
 * changes.
 *
 * @example
 * const fold = createKpiFolds(client);
 * fold('usage', { lateness: 600_000, limit: 10_000, now: Date.now() }); // { events: 10000, watermark: 52000 }
 */
export function createKpiFolds(
  client: Database.Database,
  /** Told the UTC days of `kpi_transaction_days` a fold wrote to, inside its transaction. */
  onTransactionDays: (days: number[]) => void = () => {},
): (name: KpiFoldName, options: { lateness: number; limit: number; now: number }) => KpiFoldResult {
  const plans = foldPlans(client, onTransactionDays);
  const watermark = client.prepare<[string], number>('SELECT seq FROM kpi_watermarks WHERE name = ?').pluck();
  const saveWatermark = client.prepare<[string, number, number]>(
    'INSERT INTO kpi_watermarks (name, seq, minute, updated_at) VALUES (?, ?, 0, ?) ON CONFLICT DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at',
  );
  const batchEnd = client.prepare<[number, number], { seq: number | null; n: number }>(
    'SELECT max(seq) AS seq, count(*) AS n FROM (SELECT seq FROM events WHERE seq > ? ORDER BY seq LIMIT ?)',
  );
  const statements = new Map<string, Database.Statement>();
  const read: Read = <Row>(sql: string, range: Range) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = client.prepare(sql).raw(true);
      statements.set(sql, statement);
    }
    return statement.all(range) as Row[];
  };
  const merges = new Map<MergeName, Database.Statement<[string]>>();
  const write = (name: MergeName, json: string) => {
    let statement = merges.get(name);
    if (!statement) {
      statement = client.prepare<[string]>(mergeSql(MERGES[name]));
      merges.set(name, statement);
    }
    statement.run(json);
  };

  function stageBatch(name: KpiFoldName, lateness: number, from: number, limit: number) {
    const end = batchEnd.get(from, limit);
    if (!end || end.n === 0 || end.seq === null) return undefined;
    const range = { lateness, from, to: end.seq };
    return { range, n: end.n, staged: plans[name].stage(read, range) };
  }
  const stage = client.transaction(stageBatch);

  const apply = client.transaction(
    (
      name: KpiFoldName,
      lateness: number,
      limit: number,
      now: number,
      batch: ReturnType<typeof stageBatch>,
    ) => {
      const current = watermark.get(name) ?? 0;
      // Another connection folded in between: stage again, now under the lock.
      const fresh =
        batch && batch.range.from === current ? batch : stageBatch(name, lateness, current, limit);
      if (!fresh) return { events: 0, watermark: current };
      plans[name].apply(write, fresh.staged, fresh.range, now);
      saveWatermark.run(name, fresh.range.to, now);
      return { events: fresh.n, watermark: fresh.range.to };
    },
  );

  return (name, { lateness, limit, now }) => {
    const from = watermark.get(name) ?? 0;
    const batch = stage.deferred(name, lateness, from, limit);
    if (!batch) return { events: 0, watermark: from };
    return apply.immediate(name, lateness, limit, now, batch);
  };
}
