import { and, desc, eq, isNotNull, ne, sql } from 'drizzle-orm';
import type { QualityMethods, StoredQualityResult, StoredSchemaObservation } from '../quality.ts';
import * as schema from '../schema.ts';
import type { SqliteDb } from './open.ts';

type ResultRow = typeof schema.qualityResults.$inferSelect;
type SchemaRow = typeof schema.datasetSchemas.$inferSelect;

function toResult(row: ResultRow): StoredQualityResult {
  const result: StoredQualityResult = {
    id: row.id,
    datasetId: row.datasetId,
    runAt: row.runAt,
    durationMs: row.durationMs,
    check: row.check,
    type: row.checkType,
    outcome: row.outcome,
    value: row.value,
    unit: row.unit,
    threshold: row.threshold,
    message: row.message,
  };
  if (row.rows !== null) result.rows = row.rows;
  if (row.observed !== null) result.observed = row.observed;
  if (row.details !== null) result.details = row.details;
  return result;
}

const toObservation = (row: SchemaRow): StoredSchemaObservation => ({
  datasetId: row.datasetId,
  observedAt: row.observedAt,
  columns: row.columns,
  changes: row.changes as StoredSchemaObservation['changes'],
});

/**
 * The data-quality half of the SQLite store. A run writes a handful of rows, so everything goes
 * through drizzle; reads of the latest result per check use the (dataset, check, run) index.
 *
 * @example
 * const store = { ...createSqliteStore(options), ...createQualityMethods(db) };
 */
export function createQualityMethods(db: SqliteDb): QualityMethods {
  const r = schema.qualityResults;
  const s = schema.datasetSchemas;
  const writeRun = db.$client.transaction((run: Parameters<QualityMethods['recordQualityRun']>[0]) => {
    for (const result of run.results) {
      db.insert(r)
        .values({
          datasetId: run.datasetId,
          check: result.check,
          checkType: result.type,
          runAt: run.startedAt,
          durationMs: run.durationMs,
          outcome: result.outcome,
          value: result.value === null || Number.isFinite(result.value) ? result.value : null,
          unit: result.unit,
          threshold: result.threshold,
          message: result.message,
          rows: result.rows ?? null,
          observed: result.observed ?? null,
          details: result.details ?? null,
        })
        .run();
    }
    if (run.columns && run.schemaChanges) {
      db.insert(s)
        .values({
          datasetId: run.datasetId,
          observedAt: run.startedAt,
          columns: run.columns,
          changes: run.schemaChanges,
        })
        .run();
    }
  });

  return {
    async recordQualityRun(run) {
      writeRun.immediate(run);
    },

    async latestQualityResults(query = {}) {
      const latest = db
        .select({ id: sql<number>`max(${r.id})` })
        .from(r)
        .where(query.datasetId === undefined ? undefined : eq(r.datasetId, query.datasetId))
        .groupBy(r.datasetId, r.check);
      return db
        .select()
        .from(r)
        .where(sql`${r.id} IN ${latest}`)
        .orderBy(r.datasetId, r.check)
        .all()
        .map(toResult);
    },

    async listQualityResults({ datasetId, check, limit }) {
      return db
        .select()
        .from(r)
        .where(and(eq(r.datasetId, datasetId), check === undefined ? undefined : eq(r.check, check)))
        .orderBy(desc(r.runAt), desc(r.id))
        .limit(limit)
        .all()
        .map(toResult);
    },

    async qualityObservations({ datasetId, check, limit }) {
      return db
        .select({ observed: r.observed })
        .from(r)
        .where(
          and(eq(r.datasetId, datasetId), eq(r.check, check), ne(r.outcome, 'error'), isNotNull(r.observed)),
        )
        .orderBy(desc(r.runAt), desc(r.id))
        .limit(limit)
        .all()
        .map((row) => row.observed as number);
    },

    async lastDatasetSchema(datasetId) {
      const row = db
        .select()
        .from(s)
        .where(eq(s.datasetId, datasetId))
        .orderBy(desc(s.observedAt), desc(s.id))
        .limit(1)
        .get();
      return row ? toObservation(row) : undefined;
    },

    async listSchemaChanges({ datasetId, limit }) {
      return db
        .select()
        .from(s)
        .where(and(eq(s.datasetId, datasetId), ne(s.changes, sql`'[]'`)))
        .orderBy(desc(s.observedAt), desc(s.id))
        .limit(limit)
        .all()
        .map(toObservation);
    },

    async countSchemaChanges() {
      return db
        .select({ datasetId: s.datasetId, changes: sql<number>`count(*)`.mapWith(Number) })
        .from(s)
        .where(ne(s.changes, sql`'[]'`))
        .groupBy(s.datasetId)
        .orderBy(s.datasetId)
        .all();
    },
  };
}
