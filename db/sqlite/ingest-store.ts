import { createHash } from 'node:crypto';
import { and, asc, count, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { mergeStoredBuckets } from '../rollups.ts';
import * as schema from '../schema.ts';
import type {
  DiscoveredEdge,
  EdgeDelta,
  IngestWrite,
  IngestWriteResult,
  RequestMinute,
  Store,
  WorkflowMinute,
} from '../store.ts';
import { entryHash } from './entry-hash.ts';
import type { SqliteDb } from './open.ts';

type IngestMethods = Pick<
  Store,
  | 'recordIngest'
  | 'listRequestMinutes'
  | 'listWorkflowMinutes'
  | 'listDiscoveredEdges'
  | 'getDiscoveredEdge'
  | 'countDiscoveredEdges'
  | 'adoptDiscoveredEdge'
  | 'setDiscoveredEdgeStatus'
>;

/** A discovered edge's id: stable for its (caller, callee) pair, short enough for a URL. */
export function edgeId(caller: string, callee: string): string {
  return `edge_${createHash('sha256').update(`${caller}\u0000${callee}`).digest('hex').slice(0, 16)}`;
}

/** Thrown inside a savepoint to undo one request without failing the others of its group. */
class ConflictRollback extends Error {
  readonly conflicts: { index: number; id: string }[];
  constructor(conflicts: { index: number; id: string }[]) {
    super('event id conflict');
    this.conflicts = conflicts;
  }
}

/**
 * The ingest half of the SQLite store. The write path is the hot one (events and spans at tens of
 * thousands per second), so its statements are raw, prepared once and bound positionally; a group
 * of requests shares one transaction so they share one disk sync.
 */
export function createIngestMethods(db: SqliteDb): IngestMethods {
  const client = db.$client;

  const insertEvent = client.prepare(
    `INSERT INTO events
       (id, type, time, received_at, source, participant_id, integration_id, channel, customer_id,
        user_id, amount, currency, unattributed, hash, data)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO NOTHING`,
  );
  const storedHash = client.prepare('SELECT hash FROM events WHERE id = ?').pluck();
  const selectRequestBuckets = client
    .prepare('SELECT duration_buckets FROM request_minutes WHERE integration_id = ? AND minute = ?')
    .pluck();
  const upsertRequestMinute = client.prepare(
    `INSERT INTO request_minutes
       (integration_id, minute, success, client_error, server_error, error, duration_sum_seconds, duration_buckets)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (integration_id, minute) DO UPDATE SET
       success = success + excluded.success,
       client_error = client_error + excluded.client_error,
       server_error = server_error + excluded.server_error,
       error = error + excluded.error,
       duration_sum_seconds = duration_sum_seconds + excluded.duration_sum_seconds,
       duration_buckets = excluded.duration_buckets`,
  );
  const selectWorkflowBuckets = client
    .prepare('SELECT duration_buckets FROM workflow_minutes WHERE workflow_id = ? AND minute = ?')
    .pluck();
  const upsertWorkflowMinute = client.prepare(
    `INSERT INTO workflow_minutes
       (workflow_id, minute, started, completed, failed, abandoned, duration_sum_seconds, duration_buckets)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (workflow_id, minute) DO UPDATE SET
       started = started + excluded.started,
       completed = completed + excluded.completed,
       failed = failed + excluded.failed,
       abandoned = abandoned + excluded.abandoned,
       duration_sum_seconds = duration_sum_seconds + excluded.duration_sum_seconds,
       duration_buckets = excluded.duration_buckets`,
  );
  const upsertEdge = client.prepare(
    `INSERT INTO discovered_edges
       (id, caller_service, callee_service, caller_system_id, callee_system_id, first_seen, last_seen, calls, errors)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (caller_service, callee_service) DO UPDATE SET
       caller_system_id = coalesce(excluded.caller_system_id, caller_system_id),
       callee_system_id = coalesce(excluded.callee_system_id, callee_system_id),
       first_seen = min(first_seen, excluded.first_seen),
       last_seen = max(last_seen, excluded.last_seen),
       calls = calls + excluded.calls,
       errors = errors + excluded.errors`,
  );

  function writeRequestMinute(m: RequestMinute): void {
    const stored = selectRequestBuckets.get(m.integrationId, m.minute);
    upsertRequestMinute.run(
      m.integrationId,
      m.minute,
      m.requests.success,
      m.requests.client_error,
      m.requests.server_error,
      m.requests.error,
      m.durationSumSeconds,
      mergeStoredBuckets(stored, m.durationBuckets),
    );
  }

  function writeWorkflowMinute(m: WorkflowMinute): void {
    const stored = selectWorkflowBuckets.get(m.workflowId, m.minute);
    upsertWorkflowMinute.run(
      m.workflowId,
      m.minute,
      m.started,
      m.completed,
      m.failed,
      m.abandoned,
      m.durationSumSeconds,
      mergeStoredBuckets(stored, m.durationBuckets),
    );
  }

  function writeEdge(e: EdgeDelta): void {
    upsertEdge.run(
      edgeId(e.caller, e.callee),
      e.caller,
      e.callee,
      e.callerSystem ?? null,
      e.calleeSystem ?? null,
      e.firstSeen,
      e.lastSeen,
      e.calls,
      e.errors,
    );
  }

  /** One request inside its savepoint; throws ConflictRollback to undo it. */
  const writeOne = client.transaction((write: IngestWrite): IngestWriteResult => {
    let inserted = 0;
    let duplicates = 0;
    const conflicts: { index: number; id: string }[] = [];
    const events = write.events ?? [];
    for (let i = 0; i < events.length; i++) {
      const e = events[i] as NonNullable<IngestWrite['events']>[number];
      const { changes } = insertEvent.run(
        e.id,
        e.type,
        e.time,
        write.receivedAt,
        e.source ?? null,
        e.participant ?? null,
        e.integration ?? null,
        e.channel ?? null,
        e.customer ?? null,
        e.user ?? null,
        e.amount ?? null,
        e.currency ?? null,
        e.unattributed ?? null,
        e.hash,
        JSON.stringify(e.data),
      );
      if (changes === 1) inserted += 1;
      else if (storedHash.get(e.id) === e.hash) duplicates += 1;
      else conflicts.push({ index: i, id: e.id });
    }
    if (conflicts.length > 0) throw new ConflictRollback(conflicts);
    for (const m of write.requests ?? []) writeRequestMinute(m);
    for (const m of write.workflows ?? []) writeWorkflowMinute(m);
    for (const e of write.edges ?? []) writeEdge(e);
    return { ok: true, inserted, duplicates };
  });

  const writeGroup = client.transaction((writes: IngestWrite[]): IngestWriteResult[] =>
    writes.map((write) => {
      try {
        // A transaction function called inside another runs as a savepoint.
        return writeOne(write);
      } catch (error) {
        if (error instanceof ConflictRollback) return { ok: false, conflicts: error.conflicts };
        throw error;
      }
    }),
  );

  const edgeColumns = {
    id: schema.discoveredEdges.id,
    callerService: schema.discoveredEdges.callerService,
    calleeService: schema.discoveredEdges.calleeService,
    callerSystemId: schema.discoveredEdges.callerSystemId,
    calleeSystemId: schema.discoveredEdges.calleeSystemId,
    firstSeen: schema.discoveredEdges.firstSeen,
    lastSeen: schema.discoveredEdges.lastSeen,
    calls: schema.discoveredEdges.calls,
    errors: schema.discoveredEdges.errors,
    status: schema.discoveredEdges.status,
    integrationId: schema.discoveredEdges.integrationId,
  };

  const adoptTransaction = client.transaction(
    (
      id: string,
      integration: Parameters<IngestMethods['adoptDiscoveredEdge']>[1],
      now: number,
    ): Awaited<ReturnType<IngestMethods['adoptDiscoveredEdge']>> => {
      const edge = db
        .select({ status: schema.discoveredEdges.status })
        .from(schema.discoveredEdges)
        .where(eq(schema.discoveredEdges.id, id))
        .get();
      if (!edge) return { ok: false, reason: 'not-found' };
      if (edge.status !== 'open') return { ok: false, reason: 'not-open' };
      const taken = db
        .select({ id: schema.integrations.id })
        .from(schema.integrations)
        .where(eq(schema.integrations.id, integration.id))
        .get();
      if (taken) return { ok: false, reason: 'id-taken' };
      const { owner, ...columns } = integration;
      // Hashed as `apply` hashes an entry, so the file taking it over later compares like any other.
      const specHash = entryHash(integration);
      db.insert(schema.integrations)
        .values({
          ...columns,
          channel: columns.channel ?? null,
          owner: owner ?? null,
          specHash,
          origin: 'api',
          createdAt: now,
          updatedAt: now,
          retiredAt: null,
        })
        .run();
      db.update(schema.discoveredEdges)
        .set({ status: 'adopted', integrationId: integration.id })
        .where(eq(schema.discoveredEdges.id, id))
        .run();
      const row = db
        .insert(schema.catalogRevisions)
        .values({
          appliedAt: now,
          source: `api: adopted ${id}`,
          hash: specHash,
          summary: { integrations: { created: 1, updated: 0, retired: 0, restored: 0 } },
        })
        .returning({ id: schema.catalogRevisions.id })
        .get();
      return { ok: true, revision: row.id };
    },
  );

  const rangeWhere = (column: AnySQLiteColumn, from: number, to: number, extra?: SQL) =>
    and(gte(column, from), lt(column, to), extra);

  return {
    async recordIngest(writes) {
      if (writes.length === 0) return [];
      return writeGroup.immediate(writes);
    },

    async listRequestMinutes({ integrationId, from, to }) {
      const r = schema.requestMinutes;
      const rows = db
        .select()
        .from(r)
        .where(rangeWhere(r.minute, from, to, integrationId ? eq(r.integrationId, integrationId) : undefined))
        .orderBy(asc(r.minute), asc(r.integrationId))
        .all();
      return rows.map((row) => ({
        integrationId: row.integrationId,
        minute: row.minute,
        requests: {
          success: row.success,
          client_error: row.clientError,
          server_error: row.serverError,
          error: row.error,
        },
        durationSumSeconds: row.durationSumSeconds,
        durationBuckets: row.durationBuckets,
      }));
    },

    async listWorkflowMinutes({ workflowId, from, to }) {
      const w = schema.workflowMinutes;
      return db
        .select()
        .from(w)
        .where(rangeWhere(w.minute, from, to, workflowId ? eq(w.workflowId, workflowId) : undefined))
        .orderBy(asc(w.minute), asc(w.workflowId))
        .all();
    },

    async listDiscoveredEdges({ status, limit, offset }) {
      const e = schema.discoveredEdges;
      const where = status ? eq(e.status, status) : undefined;
      const items: DiscoveredEdge[] = db
        .select(edgeColumns)
        .from(e)
        .where(where)
        .orderBy(desc(e.lastSeen), asc(e.id))
        .limit(limit)
        .offset(offset ?? 0)
        .all();
      const total = db.select({ n: count() }).from(e).where(where).get()?.n ?? 0;
      return { items, total };
    },

    async getDiscoveredEdge(id) {
      return db
        .select(edgeColumns)
        .from(schema.discoveredEdges)
        .where(eq(schema.discoveredEdges.id, id))
        .get();
    },

    async countDiscoveredEdges() {
      return (
        db
          .select({ n: count() })
          .from(schema.discoveredEdges)
          .where(eq(schema.discoveredEdges.status, 'open'))
          .get()?.n ?? 0
      );
    },

    async adoptDiscoveredEdge(id, integration, { now }) {
      return adoptTransaction.immediate(id, integration, now);
    },

    async setDiscoveredEdgeStatus(id, status) {
      const e = schema.discoveredEdges;
      const from = status === 'ignored' ? 'open' : 'ignored';
      const { changes } = db
        .update(e)
        .set({ status })
        .where(and(eq(e.id, id), eq(e.status, from)))
        .run();
      if (changes > 0) return true;
      return db.select({ id: e.id }).from(e).where(eq(e.id, id)).get() !== undefined;
    },
  };
}
