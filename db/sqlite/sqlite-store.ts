import type { Statement } from 'better-sqlite3';
import { and, count, countDistinct, desc, eq, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import * as schema from '../schema.ts';
import {
  type ApplyResult,
  CATALOG_KINDS,
  type CatalogKind,
  type CatalogRows,
  type CatalogSnapshot,
  type CatalogStats,
  type IntegrationLabels,
  type JobRun,
  type KindChanges,
  type ListQuery,
  type Page,
  PRUNABLE_KINDS,
  type PrunableKind,
  type Store,
  type StoreHealth,
  type ValueModelInput,
} from '../store.ts';
import { CATALOG_TABLES, filterConditions } from './catalog-tables.ts';
import { canonical, entryHash as hash } from './entry-hash.ts';
import { createIngestMethods } from './ingest-store.ts';
import { createKpiMethods } from './kpi-store.ts';
import { expectedMigrations, openSqlite, type SqliteOptions } from './open.ts';
import { createProbeMethods } from './probe-store.ts';
import { createQualityMethods } from './quality-store.ts';
import { createTokenMethods } from './token-store.ts';

const emptyChanges = (): KindChanges => ({
  created: [],
  updated: [],
  retired: [],
  restored: [],
  unchanged: 0,
});

/**
 * Where each prunable kind lives: rows of `table` whose `column` is before the bound, narrowed by
 * `where` (a fixed SQL condition) when the table holds more than one kind or rows that must stay.
 */
const PRUNE_TARGETS = {
  jobRuns: { table: 'job_runs', column: 'started_at' },
  probeResults: { table: 'probe_results', column: 'started_at' },
  probeRollupsMinute: { table: 'probe_rollups', column: 'bucket_start', where: "resolution = 'minute'" },
  probeRollupsHour: { table: 'probe_rollups', column: 'bucket_start', where: "resolution = 'hour'" },
  probeRollupsDay: { table: 'probe_rollups', column: 'bucket_start', where: "resolution = 'day'" },
  statusEvents: { table: 'status_events', column: 'at' },
  // Pending notifications are never pruned, however old: only delivered or abandoned ones go.
  notifications: {
    table: 'notification_outbox',
    column: 'created_at',
    where: '(delivered_at IS NOT NULL OR abandoned_at IS NOT NULL)',
  },
  events: { table: 'events', column: 'received_at' },
  requestMinutes: { table: 'request_minutes', column: 'minute' },
  workflowMinutes: { table: 'workflow_minutes', column: 'minute' },
  // Adopted and ignored edges stay: they record a decision.
  discoveredEdges: { table: 'discovered_edges', column: 'last_seen', where: "status = 'open'" },
  qualityResults: { table: 'quality_results', column: 'run_at' },
  kpiSnapshots: { table: 'kpi_snapshots', column: 'at' },
} as const satisfies Record<PrunableKind, { table: string; column: string; where?: string }>;

function pruneSql(kind: PrunableKind): string {
  const target: { table: string; column: string; where?: string } = PRUNE_TARGETS[kind];
  const conditions = [`${target.column} < ?`, ...(target.where ? [target.where] : [])].join(' AND ');
  return `DELETE FROM ${target.table} WHERE rowid IN (SELECT rowid FROM ${target.table} WHERE ${conditions} LIMIT ?)`;
}

/**
 * The SQLite store: one better-sqlite3 connection in WAL mode. Writes are synchronous under the
 * hood, so each method is one short transaction; the async signatures are for other backends.
 */
export function createSqliteStore(options: SqliteOptions): Store {
  const db = openSqlite(options);
  const client = db.$client;
  const migrations = expectedMigrations();
  const pruneStatements = Object.fromEntries(
    PRUNABLE_KINDS.map((kind) => [kind, client.prepare(pruneSql(kind))]),
  ) as Record<PrunableKind, Statement<[number, number]>>;

  function applyKind<K extends CatalogKind>(
    kind: K,
    entries: CatalogSnapshot[K],
    now: number,
    changes: KindChanges,
  ): void {
    const table = CATALOG_TABLES[kind];
    // Integrations created through the API (origin `api`) are not the file's to retire.
    const origin = kind === 'integrations' ? schema.integrations.origin : sql<string>`'file'`;
    const existing = new Map(
      db
        .select({ id: table.id, specHash: table.specHash, retiredAt: table.retiredAt, origin })
        .from(table)
        .all()
        .map((row) => [row.id, row]),
    );
    for (const entry of entries) {
      const { owner, ...columns } = entry;
      const specHash = hash(entry);
      const before = existing.get(entry.id);
      existing.delete(entry.id);
      const values = {
        ...columns,
        ...(kind === 'integrations' ? { origin: 'file' } : {}),
        owner: owner ?? null,
        specHash,
        updatedAt: now,
        retiredAt: null,
      };
      if (!before) {
        db.insert(table)
          .values({ ...values, createdAt: now } as never)
          .run();
        changes.created.push(entry.id);
      } else if (before.retiredAt !== null || before.specHash !== specHash || before.origin !== 'file') {
        db.update(table)
          .set(values as never)
          .where(eq(table.id, entry.id))
          .run();
        (before.retiredAt !== null ? changes.restored : changes.updated).push(entry.id);
      } else {
        changes.unchanged += 1;
      }
    }
    for (const [id, row] of existing) {
      if (row.retiredAt !== null || row.origin !== 'file') continue;
      db.update(table)
        .set({ retiredAt: now, updatedAt: now } as never)
        .where(eq(table.id, id))
        .run();
      changes.retired.push(id);
    }
  }

  function applyValueModel(model: ValueModelInput, now: number): boolean {
    const current = db.select().from(schema.valueModel).where(eq(schema.valueModel.id, 1)).get();
    if (current) {
      const { id: _id, updatedAt: _u, ...stored } = current;
      if (canonical(stored) === canonical({ ...stored, ...model })) return false;
    }
    db.insert(schema.valueModel)
      .values({ id: 1, ...model, updatedAt: now })
      .onConflictDoUpdate({ target: schema.valueModel.id, set: { ...model, updatedAt: now } })
      .run();
    return true;
  }

  const applyTransaction = client.transaction(
    (snapshot: CatalogSnapshot, source: string, now: number): ApplyResult => {
      const changes = Object.fromEntries(
        CATALOG_KINDS.map((k) => [k, emptyChanges()]),
      ) as ApplyResult['changes'];
      for (const kind of CATALOG_KINDS) applyKind(kind, snapshot[kind], now, changes[kind]);
      const valueModelChanged = applyValueModel(snapshot.valueModel, now);
      const changed =
        valueModelChanged ||
        CATALOG_KINDS.some((k) => {
          const c = changes[k];
          return c.created.length + c.updated.length + c.retired.length + c.restored.length > 0;
        });
      if (!changed) return { changed, revision: null, changes, valueModelChanged };
      const summary = Object.fromEntries(
        CATALOG_KINDS.map((k) => [
          k,
          {
            created: changes[k].created.length,
            updated: changes[k].updated.length,
            retired: changes[k].retired.length,
            restored: changes[k].restored.length,
          },
        ]),
      );
      const row = db
        .insert(schema.catalogRevisions)
        .values({ appliedAt: now, source, hash: hash(snapshot), summary })
        .returning({ id: schema.catalogRevisions.id })
        .get();
      return { changed, revision: row.id, changes, valueModelChanged };
    },
  );

  const sourceSystems = alias(schema.systems, 'source_systems');
  const targetSystems = alias(schema.systems, 'target_systems');
  const sourceParticipants = alias(schema.participants, 'source_participants');
  const targetParticipants = alias(schema.participants, 'target_participants');

  return {
    async applyCatalog(snapshot, { source, now }) {
      return applyTransaction.immediate(snapshot, source, now);
    },

    async list<K extends CatalogKind>(kind: K, query: ListQuery<K>): Promise<Page<CatalogRows[K]>> {
      const table = CATALOG_TABLES[kind];
      const where = filterConditions(db, kind, query.filter, query.includeRetired ?? false);
      const items = db
        .select()
        .from(table)
        .where(where)
        .orderBy(table.id)
        .limit(query.limit)
        .offset(query.offset ?? 0)
        .all() as CatalogRows[K][];
      const total = db.select({ n: count() }).from(table).where(where).get()?.n ?? 0;
      return { items, total };
    },

    async get<K extends CatalogKind>(kind: K, id: string) {
      const table = CATALOG_TABLES[kind];
      return db.select().from(table).where(eq(table.id, id)).get() as CatalogRows[K] | undefined;
    },

    async getValueModel() {
      const row = db.select().from(schema.valueModel).where(eq(schema.valueModel.id, 1)).get();
      if (!row) return undefined;
      const { id: _id, updatedAt: _u, ...model } = row;
      return model;
    },

    async catalogRevision() {
      const row = db
        .select({ id: sql<number | null>`max(${schema.catalogRevisions.id})` })
        .from(schema.catalogRevisions)
        .get();
      return row?.id ?? 0;
    },

    async catalogStats(): Promise<CatalogStats> {
      const p = schema.participants;
      const participants = db
        .select({ role: p.role, stage: p.stage, count: count() })
        .from(p)
        .where(isNull(p.retiredAt))
        .groupBy(p.role, p.stage)
        .all();
      const countries =
        db
          .select({ n: countDistinct(p.country) })
          .from(p)
          .where(isNull(p.retiredAt))
          .get()?.n ?? 0;
      const systems =
        db.select({ n: count() }).from(schema.systems).where(isNull(schema.systems.retiredAt)).get()?.n ?? 0;
      const i = schema.integrations;
      const integrations = db
        .select({ tier: i.tier, count: count() })
        .from(i)
        .where(isNull(i.retiredAt))
        .groupBy(i.tier)
        .all();
      return { participants, systems, integrations, countries };
    },

    async integrationLabels(): Promise<IntegrationLabels[]> {
      const i = schema.integrations;
      return db
        .select({
          integration: i.id,
          tier: i.tier,
          kind: i.kind,
          sourceSystem: i.sourceSystemId,
          targetSystem: i.targetSystemId,
          sourceParticipant: sql<string>`coalesce(${sourceSystems.participantId}, '')`,
          targetParticipant: sql<string>`coalesce(${targetSystems.participantId}, '')`,
          sourceRole: sql<string>`coalesce(${sourceParticipants.role}, '')`,
          targetRole: sql<string>`coalesce(${targetParticipants.role}, '')`,
        })
        .from(i)
        .leftJoin(sourceSystems, eq(sourceSystems.id, i.sourceSystemId))
        .leftJoin(targetSystems, eq(targetSystems.id, i.targetSystemId))
        .leftJoin(sourceParticipants, eq(sourceParticipants.id, sourceSystems.participantId))
        .leftJoin(targetParticipants, eq(targetParticipants.id, targetSystems.participantId))
        .where(isNull(i.retiredAt))
        .orderBy(i.id)
        .all();
    },

    async recordJobRun(run: JobRun) {
      db.insert(schema.jobRuns)
        .values({ ...run, error: run.error ?? null })
        .run();
    },

    async lastJobSuccess(job: string) {
      const j = schema.jobRuns;
      const row = db
        .select({ at: sql<number>`${j.startedAt} + ${j.durationMs}` })
        .from(j)
        .where(and(eq(j.job, job), eq(j.outcome, 'success')))
        .orderBy(desc(j.startedAt))
        .limit(1)
        .get();
      return row?.at;
    },

    async listJobRuns({ job, limit }) {
      const j = schema.jobRuns;
      const rows = db
        .select()
        .from(j)
        .where(job === undefined ? undefined : eq(j.job, job))
        .orderBy(desc(j.startedAt), desc(j.id))
        .limit(limit)
        .all();
      return rows.map(({ id: _id, error, ...run }) => (error === null ? run : { ...run, error }));
    },

    ...createProbeMethods(db),
    ...createQualityMethods(db),
    ...createKpiMethods(db),
    ...createIngestMethods(db),
    ...createTokenMethods(db),

    async prune(kind: PrunableKind, before: number, limit: number) {
      return pruneStatements[kind].run(before, limit).changes;
    },

    async health(): Promise<StoreHealth> {
      try {
        const { n } = client.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number };
        if (n < migrations) return { ok: false, detail: `${n} of ${migrations} migrations applied` };
        return { ok: true };
      } catch (error) {
        return { ok: false, detail: (error as Error).message };
      }
    },

    async close() {
      if (client.open) client.close();
    },
  };
}
