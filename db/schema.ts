import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

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
