import {
  blob,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';

/**
 * Columns every catalog table shares. `spec` holds the entry exactly as validated (JSON), so a
 * field that only the config knows about needs no migration; the typed columns are the ones
 * queries filter and group by. Times are Unix milliseconds. `retiredAt` is set when an entry
 * leaves the file: the row and everything recorded against it stay.
 */
const catalogColumns = () => ({
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  owner: text('owner'),
  spec: text('spec', { mode: 'json' }).notNull(),
  specHash: text('spec_hash').notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
  retiredAt: integer('retired_at'),
});

export const participants = sqliteTable(
  'participants',
  {
    ...catalogColumns(),
    role: text('role').notNull(),
    country: text('country').notNull(),
    industry: text('industry'),
    stage: text('stage').notNull(),
  },
  (t) => [index('participants_role_stage').on(t.role, t.stage)],
);

export const systems = sqliteTable(
  'systems',
  {
    ...catalogColumns(),
    participantId: text('participant_id').notNull(),
    kind: text('kind').notNull(),
  },
  (t) => [index('systems_participant').on(t.participantId)],
);

export const integrations = sqliteTable(
  'integrations',
  {
    ...catalogColumns(),
    sourceSystemId: text('source_system_id').notNull(),
    targetSystemId: text('target_system_id').notNull(),
    kind: text('kind').notNull(),
    tier: text('tier').notNull(),
    channel: text('channel'),
    /** `file`: declared in ecosystem.yaml (retired when it leaves it); `api`: created through the API (e.g. an adopted discovered edge), never retired by an apply. */
    origin: text('origin', { enum: ['file', 'api'] })
      .notNull()
      .default('file'),
  },
  (t) => [
    index('integrations_source').on(t.sourceSystemId),
    index('integrations_target').on(t.targetSystemId),
    index('integrations_tier').on(t.tier),
  ],
);

export const workflows = sqliteTable('workflows', { ...catalogColumns() });

export const datasets = sqliteTable(
  'datasets',
  {
    ...catalogColumns(),
    systemId: text('system_id').notNull(),
  },
  (t) => [index('datasets_system').on(t.systemId)],
);

/** The value model is one row: the catalog holds one. */
export const valueModel = sqliteTable('value_model', {
  id: integer('id').primaryKey(),
  currency: text('currency').notNull(),
  costPerManualHandoff: real('cost_per_manual_handoff').notNull(),
  savingsPerStandardIntegration: real('savings_per_standard_integration').notNull(),
  yearlyEcosystemCost: real('yearly_ecosystem_cost').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** One row per `apply` that changed something: when, from where, and what changed. */
export const catalogRevisions = sqliteTable('catalog_revisions', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  appliedAt: integer('applied_at').notNull(),
  source: text('source').notNull(),
  hash: text('hash').notNull(),
  summary: text('summary', { mode: 'json' }).notNull(),
});

/** History of scheduled job runs, pruned by retention. */
export const jobRuns = sqliteTable(
  'job_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    job: text('job').notNull(),
    startedAt: integer('started_at').notNull(),
    durationMs: real('duration_ms').notNull(),
    outcome: text('outcome', { enum: ['success', 'failure'] }).notNull(),
    error: text('error'),
  },
  (t) => [index('job_runs_started').on(t.startedAt), index('job_runs_job_started').on(t.job, t.startedAt)],
);

/** Raw probe runs, newest kept for the `probeResults` retention window. The body is never stored. */
export const probeResults = sqliteTable(
  'probe_results',
  {
    id: integer('id').primaryKey(),
    integrationId: text('integration_id').notNull(),
    startedAt: integer('started_at').notNull(),
    durationMs: real('duration_ms').notNull(),
    success: integer('success', { mode: 'boolean' }).notNull(),
    failureClass: text('failure_class'),
    reason: text('reason'),
    statusCode: integer('status_code'),
    tlsExpiresAt: integer('tls_expires_at'),
    /** Phase timings in ms, e.g. `{"dns":3,"connect":9,"total":41}`. */
    phases: text('phases', { mode: 'json' }).$type<Record<string, number>>(),
  },
  (t) => [
    index('probe_results_integration_started').on(t.integrationId, t.startedAt),
    index('probe_results_started').on(t.startedAt),
  ],
);

/**
 * Probe runs summed per integration and UTC minute, hour or day (`bucket_start` is the run's
 * start floored to the resolution). Failures are counted per class, one column each (see
 * ROLLUP_FAILURE_CLASSES); `duration_buckets` is a JSON array of run counts per
 * ROLLUP_DURATION_BUCKETS_SECONDS bound plus +Inf, not cumulative. Each resolution has its own
 * retention window.
 */
export const probeRollups = sqliteTable(
  'probe_rollups',
  {
    resolution: text('resolution', { enum: ['minute', 'hour', 'day'] }).notNull(),
    integrationId: text('integration_id').notNull(),
    bucketStart: integer('bucket_start').notNull(),
    runs: integer('runs').notNull(),
    successes: integer('successes').notNull(),
    failuresTimeout: integer('failures_timeout').notNull(),
    failuresDns: integer('failures_dns').notNull(),
    failuresConnectRefused: integer('failures_connect_refused').notNull(),
    failuresConnectReset: integer('failures_connect_reset').notNull(),
    failuresTls: integer('failures_tls').notNull(),
    failuresStatus: integer('failures_status').notNull(),
    failuresCondition: integer('failures_condition').notNull(),
    failuresBodyTooLarge: integer('failures_body_too_large').notNull(),
    failuresOther: integer('failures_other').notNull(),
    durationSumMs: real('duration_sum_ms').notNull(),
    durationBuckets: text('duration_buckets', { mode: 'json' }).$type<number[]>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.resolution, t.integrationId, t.bucketStart] }),
    index('probe_rollups_resolution_bucket').on(t.resolution, t.bucketStart),
  ],
);

/** The hysteresis state of each integration, one row each, so a restart resumes where it was. */
export const integrationStatus = sqliteTable('integration_status', {
  integrationId: text('integration_id').primaryKey(),
  status: text('status', { enum: ['unknown', 'healthy', 'degraded', 'down'] }).notNull(),
  since: integer('since').notNull(),
  consecutiveFailures: integer('consecutive_failures').notNull(),
  consecutiveSuccesses: integer('consecutive_successes').notNull(),
  consecutiveSlow: integer('consecutive_slow').notNull(),
  lastResultAt: integer('last_result_at'),
  lastSuccessAt: integer('last_success_at'),
  lastFailureClass: text('last_failure_class'),
});

/** Every status change of an integration, pruned by retention. */
export const statusEvents = sqliteTable(
  'status_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    integrationId: text('integration_id').notNull(),
    at: integer('at').notNull(),
    fromStatus: text('from_status', { enum: ['unknown', 'healthy', 'degraded', 'down'] }).notNull(),
    toStatus: text('to_status', { enum: ['unknown', 'healthy', 'degraded', 'down'] }).notNull(),
    reason: text('reason').notNull(),
  },
  (t) => [
    index('status_events_integration_at').on(t.integrationId, t.at),
    index('status_events_at').on(t.at),
  ],
);

/**
 * Notifications waiting for, or done with, delivery (transactional outbox). `key` is unique so a
 * replayed write enqueues nothing new. A row is pending while `delivered_at` and `abandoned_at`
 * are both null; only settled rows are pruned.
 */
export const notificationOutbox = sqliteTable(
  'notification_outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    key: text('key').notNull(),
    channelId: text('channel_id').notNull(),
    integrationId: text('integration_id').notNull(),
    payload: text('payload', { mode: 'json' }).notNull(),
    createdAt: integer('created_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    deliveredAt: integer('delivered_at'),
    abandonedAt: integer('abandoned_at'),
    lastError: text('last_error'),
  },
  (t) => [
    uniqueIndex('notification_outbox_key').on(t.key),
    index('notification_outbox_due').on(t.deliveredAt, t.abandonedAt, t.nextAttemptAt),
    index('notification_outbox_created').on(t.createdAt),
  ],
);

/**
 * Business events, one row per event id. `seq` orders rows by arrival and is what incremental
 * jobs keep as their watermark; `hash` is the content hash that tells an honest retry (same id,
 * same content: a duplicate) from an id reused for different content (a conflict).
 */
export const events = sqliteTable(
  'events',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    id: text('id').notNull(),
    type: text('type').notNull(),
    time: integer('time').notNull(),
    receivedAt: integer('received_at').notNull(),
    source: text('source'),
    participantId: text('participant_id'),
    integrationId: text('integration_id'),
    channel: text('channel'),
    customerId: text('customer_id'),
    userId: text('user_id'),
    amount: real('amount'),
    currency: text('currency'),
    /** The reference the event named that is not in the catalog, when kept as unattributed. */
    unattributed: text('unattributed'),
    hash: text('hash').notNull(),
    data: text('data', { mode: 'json' }).notNull(),
  },
  (t) => [
    // Every index costs each insert: the KPI fold reads by `seq`, retention by `received_at`.
    uniqueIndex('events_id').on(t.id),
    index('events_received').on(t.receivedAt),
  ],
);

/**
 * Calls seen in traces, summed per integration and UTC minute (of the span's end). Outcomes
 * have a column each; `duration_buckets` is a JSON array of counts per
 * ROLLUP_DURATION_BUCKETS_SECONDS bound plus +Inf, not cumulative.
 */
export const requestMinutes = sqliteTable(
  'request_minutes',
  {
    integrationId: text('integration_id').notNull(),
    minute: integer('minute').notNull(),
    success: integer('success').notNull(),
    clientError: integer('client_error').notNull(),
    serverError: integer('server_error').notNull(),
    error: integer('error').notNull(),
    durationSumSeconds: real('duration_sum_seconds').notNull(),
    durationBuckets: text('duration_buckets', { mode: 'json' }).$type<number[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.integrationId, t.minute] }), index('request_minutes_minute').on(t.minute)],
);

/** Workflow runs seen in traces, per workflow and UTC minute; durations of completed runs only. */
export const workflowMinutes = sqliteTable(
  'workflow_minutes',
  {
    workflowId: text('workflow_id').notNull(),
    minute: integer('minute').notNull(),
    started: integer('started').notNull(),
    completed: integer('completed').notNull(),
    failed: integer('failed').notNull(),
    abandoned: integer('abandoned').notNull(),
    durationSumSeconds: real('duration_sum_seconds').notNull(),
    durationBuckets: text('duration_buckets', { mode: 'json' }).$type<number[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.workflowId, t.minute] }), index('workflow_minutes_minute').on(t.minute)],
);

/**
 * Calls between two services that no integration in the catalog matched: integrations nobody
 * declared. One row per (caller, callee) service pair. `status` is `open` until the edge is
 * adopted into the catalog (`adopted`, with the integration it became) or dismissed (`ignored`).
 */
export const discoveredEdges = sqliteTable(
  'discovered_edges',
  {
    id: text('id').primaryKey(),
    callerService: text('caller_service').notNull(),
    calleeService: text('callee_service').notNull(),
    callerSystemId: text('caller_system_id'),
    calleeSystemId: text('callee_system_id'),
    firstSeen: integer('first_seen').notNull(),
    lastSeen: integer('last_seen').notNull(),
    calls: integer('calls').notNull(),
    errors: integer('errors').notNull(),
    status: text('status', { enum: ['open', 'adopted', 'ignored'] })
      .notNull()
      .default('open'),
    integrationId: text('integration_id'),
  },
  (t) => [
    uniqueIndex('discovered_edges_pair').on(t.callerService, t.calleeService),
    index('discovered_edges_last_seen').on(t.lastSeen),
  ],
);

/**
 * API tokens. Only the SHA-256 of a token is stored; the token itself is shown once, when it is
 * created. A token bound to a participant may only send that participant's events.
 */
export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    hash: text('hash').notNull(),
    scopes: text('scopes', { mode: 'json' }).$type<string[]>().notNull(),
    participantId: text('participant_id'),
    createdAt: integer('created_at').notNull(),
    revokedAt: integer('revoked_at'),
  },
  (t) => [uniqueIndex('api_tokens_hash').on(t.hash), index('api_tokens_name').on(t.name)],
);

/**
 * Dataset quality check results, one row per check per run, pruned by retention. `value` is
 * what was compared with the thresholds, in `unit`; `observed` is the raw figure later runs
 * compare with (newest timestamp, row count, the anomaly check's figure); `threshold` and
 * `details` are JSON.
 */
export const qualityResults = sqliteTable(
  'quality_results',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    datasetId: text('dataset_id').notNull(),
    check: text('check_name').notNull(),
    checkType: text('check_type').notNull(),
    runAt: integer('run_at').notNull(),
    durationMs: real('duration_ms').notNull(),
    outcome: text('outcome', { enum: ['pass', 'warn', 'fail', 'error'] }).notNull(),
    value: real('value'),
    unit: text('unit').notNull(),
    threshold: text('threshold', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    message: text('message').notNull(),
    rows: integer('rows'),
    observed: real('observed'),
    details: text('details', { mode: 'json' }).$type<Record<string, unknown>>(),
  },
  (t) => [
    index('quality_results_dataset_check_run').on(t.datasetId, t.check, t.runAt),
    index('quality_results_run').on(t.runAt),
  ],
);

/**
 * Observed columns of a dataset: the first observation, then one row per change, with the
 * changes (added, removed, retyped columns) from the row before. Not pruned: it grows only
 * when a schema changes, and the latest row is what the next run compares with.
 */
export const datasetSchemas = sqliteTable(
  'dataset_schemas',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    datasetId: text('dataset_id').notNull(),
    observedAt: integer('observed_at').notNull(),
    columns: text('columns', { mode: 'json' })
      .$type<{ name: string; type: string; sourceType: string }[]>()
      .notNull(),
    /** Empty for a dataset's first observation. */
    changes: text('changes', { mode: 'json' })
      .$type<{ column: string; change: string; from?: string; to?: string }[]>()
      .notNull(),
  },
  (t) => [index('dataset_schemas_dataset_observed').on(t.datasetId, t.observedAt)],
);

/**
 * KPI engine state. `kpi_watermarks` holds what each incremental fold has read: `seq` the last
 * event folded, `minute` the first request minute not yet sealed into `kpi_call_days`.
 */
export const kpiWatermarks = sqliteTable('kpi_watermarks', {
  name: text('name').primaryKey(),
  seq: integer('seq').notNull().default(0),
  minute: integer('minute').notNull().default(0),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * Cumulative KPI counters folded from events and sealed request minutes, never pruned (so a
 * counter survives event retention). Keys that do not apply are `''`.
 */
export const kpiTotals = sqliteTable(
  'kpi_totals',
  {
    metric: text('metric').notNull(),
    k1: text('k1').notNull(),
    k2: text('k2').notNull(),
    k3: text('k3').notNull(),
    value: real('value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.metric, t.k1, t.k2, t.k3] })],
);

/**
 * Transactions per UTC day (of their effective time), integration and currency, for the windowed
 * value KPIs (ROI) and the trailing revenue behind revenue at risk. Channel and participant are
 * left out on purpose: no windowed KPI needs them, and with them nearly every transaction was a
 * row of its own (all-time totals by channel and participant are in `kpi_totals`).
 */
export const kpiTransactionDays = sqliteTable(
  'kpi_transaction_days',
  {
    day: integer('day').notNull(),
    integrationId: text('integration_id').notNull(),
    currency: text('currency').notNull(),
    count: integer('count').notNull(),
    amount: real('amount').notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.integrationId, t.currency] })],
);

/** Per UTC day sums of other event kinds (`handoffs` by integration), for windowed KPIs. */
export const kpiDays = sqliteTable(
  'kpi_days',
  {
    metric: text('metric').notNull(),
    day: integer('day').notNull(),
    k1: text('k1').notNull(),
    value: real('value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.metric, t.day, t.k1] })],
);

/**
 * Distinct `user.active` users per UTC hour of their effective time, as HyperLogLog registers
 * (2^14 one-byte registers, see db/hll.ts): a window's distinct users is the estimate of
 * the union of its hours, so the state grows with hours, not with users.
 */
export const kpiUserSketches = sqliteTable('kpi_user_sketches', {
  hour: integer('hour').primaryKey(),
  registers: blob('registers', { mode: 'buffer' }).notNull(),
});

/**
 * One row per customer, rewritten only when it changes: the two most recent distinct channels
 * and the two most recent distinct participants with the UTC day each was last used (the
 * cross-sell ratio needs only the second ones), whether the customer ever transacted through a
 * participant that is not ours, the currencies it paid in (a JSON array, `["EUR","USD"]`), and,
 * while it is a direct customer, its revenue per currency (JSON), which moves to the ecosystem
 * segment if it becomes one. Days are UTC day numbers (days since 1970-01-01; 0 for none);
 * `ch1_day` is the customer's latest transaction day.
 *
 * A WITHOUT ROWID table (migration 0007; drizzle cannot declare it): the row lives in the
 * primary key's b-tree, so the fold's upsert is one lookup and one write.
 */
export const kpiCustomers = sqliteTable('kpi_customers', {
  customerId: text('customer_id').primaryKey(),
  ch1: text('ch1').notNull(),
  ch1Day: integer('ch1_day').notNull(),
  ch2: text('ch2'),
  ch2Day: integer('ch2_day').notNull(),
  p1: text('p1').notNull(),
  p1Day: integer('p1_day').notNull(),
  p2: text('p2'),
  p2Day: integer('p2_day').notNull(),
  ecosystem: integer('ecosystem').notNull(),
  currencies: text('currencies').notNull(),
  directRevenue: text('direct_revenue').notNull(),
});

/**
 * Customers per segment and currency, and the revenue of direct customers per currency, kept by
 * triggers on `kpi_customers` (ecosystem revenue is the customers' total revenue minus this).
 */
export const kpiCustomerSegments = sqliteTable(
  'kpi_customer_segments',
  {
    segment: text('segment').notNull(),
    currency: text('currency').notNull(),
    customers: integer('customers').notNull(),
    revenue: real('revenue').notNull(),
  },
  (t) => [primaryKey({ columns: [t.segment, t.currency] })],
);

/** When each channel first had revenue (new revenue streams). */
export const kpiChannels = sqliteTable('kpi_channels', {
  channel: text('channel').primaryKey(),
  firstRevenueAt: integer('first_revenue_at').notNull(),
});

/** Each participant's latest event, and the first time it reached each onboarding stage. */
export const kpiParticipantActivity = sqliteTable('kpi_participant_activity', {
  participantId: text('participant_id').primaryKey(),
  lastEventAt: integer('last_event_at').notNull(),
});

export const kpiStages = sqliteTable(
  'kpi_stages',
  {
    participantId: text('participant_id').notNull(),
    stage: text('stage').notNull(),
    firstAt: integer('first_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.participantId, t.stage] })],
);

/** Support tickets: open while `closed_at` is null. */
export const kpiTickets = sqliteTable(
  'kpi_tickets',
  {
    ticket: text('ticket').primaryKey(),
    integrationId: text('integration_id').notNull(),
    openedAt: integer('opened_at'),
    closedAt: integer('closed_at'),
  },
  (t) => [index('kpi_tickets_open').on(t.closedAt)],
);

/** Feedback answers; `sentiment` is scored by the qualitative job after the fold (null until then). */
export const kpiFeedback = sqliteTable(
  'kpi_feedback',
  {
    seq: integer('seq').primaryKey(),
    participantId: text('participant_id').notNull(),
    at: integer('at').notNull(),
    score: real('score').notNull(),
    sentiment: real('sentiment'),
    scored: integer('scored').notNull().default(0),
  },
  (t) => [
    index('kpi_feedback_at').on(t.at),
    index('kpi_feedback_scored').on(t.scored),
    // Covers the per-participant summary: grouped in index order, no sort.
    index('kpi_feedback_participant').on(t.participantId, t.at, t.score, t.sentiment),
  ],
);

/** Traced calls per integration and UTC day, sealed from `request_minutes` once past the lateness window. */
export const kpiCallDays = sqliteTable(
  'kpi_call_days',
  {
    integrationId: text('integration_id').notNull(),
    day: integer('day').notNull(),
    calls: integer('calls').notNull(),
    errors: integer('errors').notNull(),
  },
  (t) => [primaryKey({ columns: [t.integrationId, t.day] }), index('kpi_call_days_day').on(t.day)],
);

/** KPI values over time: one row per KPI, label set and snapshot time, pruned by retention. */
export const kpiSnapshots = sqliteTable(
  'kpi_snapshots',
  {
    name: text('name').notNull(),
    /** The series' labels as canonical JSON (keys sorted), `{}` for none. */
    labels: text('labels').notNull(),
    at: integer('at').notNull(),
    value: real('value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.name, t.at, t.labels] }), index('kpi_snapshots_at').on(t.at)],
);
