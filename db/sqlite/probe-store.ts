import { and, asc, desc, eq, gte, isNull, lt, lte, notExists, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { aggregateRollups, mergeStoredBuckets, ROLLUP_FAILURE_CLASSES } from '../rollups.ts';
import * as schema from '../schema.ts';
import type { ProbeBatch, ProbeRunRecord, Store } from '../store.ts';
import type { SqliteDb } from './open.ts';

type ProbeMethods = Pick<
  Store,
  | 'recordProbeBatch'
  | 'listStatusStates'
  | 'listProbeRuns'
  | 'listStatusTransitions'
  | 'availability'
  | 'dueNotifications'
  | 'markNotification'
>;

const FAILURE_COLUMNS = ROLLUP_FAILURE_CLASSES.map((c) => `failures_${c}`);

/**
 * The probe half of the SQLite store. The write path runs a few hundred rows per flush, so its
 * statements are raw, prepared once, and bound positionally; the reads go through drizzle.
 */
export function createProbeMethods(db: SqliteDb): ProbeMethods {
  const client = db.$client;

  const insertRun = client.prepare(
    `INSERT INTO probe_results
       (integration_id, started_at, duration_ms, success, failure_class, reason, status_code, tls_expires_at, phases)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const selectRollupBuckets = client
    .prepare(
      'SELECT duration_buckets FROM probe_rollups WHERE resolution = ? AND integration_id = ? AND bucket_start = ?',
    )
    .pluck();
  const upsertRollup = client.prepare(
    `INSERT INTO probe_rollups
       (resolution, integration_id, bucket_start, runs, successes, ${FAILURE_COLUMNS.join(', ')},
        duration_sum_ms, duration_buckets)
     VALUES (?, ?, ?, ?, ?, ${FAILURE_COLUMNS.map(() => '?').join(', ')}, ?, ?)
     ON CONFLICT (resolution, integration_id, bucket_start) DO UPDATE SET
       runs = runs + excluded.runs,
       successes = successes + excluded.successes,
       ${FAILURE_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')},
       duration_sum_ms = duration_sum_ms + excluded.duration_sum_ms,
       duration_buckets = excluded.duration_buckets`,
  );
  const upsertState = client.prepare(
    `INSERT INTO integration_status
       (integration_id, status, since, consecutive_failures, consecutive_successes, consecutive_slow,
        last_result_at, last_success_at, last_failure_class)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (integration_id) DO UPDATE SET
       status = excluded.status,
       since = excluded.since,
       consecutive_failures = excluded.consecutive_failures,
       consecutive_successes = excluded.consecutive_successes,
       consecutive_slow = excluded.consecutive_slow,
       last_result_at = excluded.last_result_at,
       last_success_at = excluded.last_success_at,
       last_failure_class = excluded.last_failure_class`,
  );
  const insertTransition = client.prepare(
    'INSERT INTO status_events (integration_id, at, from_status, to_status, reason) VALUES (?, ?, ?, ?, ?)',
  );
  // ON CONFLICT (key) rather than INSERT OR IGNORE: only a repeated key is skipped; any other
  // broken row (a NOT NULL column missing) still fails the batch instead of vanishing.
  const enqueueNotification = client.prepare(
    `INSERT INTO notification_outbox
       (key, channel_id, integration_id, payload, created_at, attempts, next_attempt_at)
     VALUES (?, ?, ?, ?, ?, 0, ?)
     ON CONFLICT (key) DO NOTHING`,
  );

  const writeBatch = client.transaction((batch: ProbeBatch) => {
    for (const run of batch.runs) {
      insertRun.run(
        run.integrationId,
        run.startedAt,
        run.durationMs,
        run.success ? 1 : 0,
        run.failureClass ?? null,
        run.reason ?? null,
        run.statusCode ?? null,
        run.tlsExpiresAt ?? null,
        run.phases === undefined ? null : JSON.stringify(run.phases),
      );
    }
    for (const delta of aggregateRollups(batch.runs)) {
      const stored = selectRollupBuckets.get(delta.resolution, delta.integrationId, delta.bucketStart);
      upsertRollup.run(
        delta.resolution,
        delta.integrationId,
        delta.bucketStart,
        delta.runs,
        delta.successes,
        ...ROLLUP_FAILURE_CLASSES.map((c) => delta.failures[c]),
        delta.durationSumMs,
        mergeStoredBuckets(stored, delta.durationBuckets),
      );
    }
    for (const s of batch.states) {
      upsertState.run(
        s.integrationId,
        s.status,
        s.since,
        s.consecutiveFailures,
        s.consecutiveSuccesses,
        s.consecutiveSlow,
        s.lastResultAt,
        s.lastSuccessAt,
        s.lastFailureClass,
      );
    }
    for (const t of batch.transitions) insertTransition.run(t.integrationId, t.at, t.from, t.to, t.reason);
    for (const n of batch.notifications) {
      enqueueNotification.run(
        n.key,
        n.channelId,
        n.integrationId,
        JSON.stringify(n.payload ?? null),
        n.createdAt,
        n.createdAt,
      );
    }
  });

  const outbox = schema.notificationOutbox;
  const settle = (id: number) =>
    and(eq(outbox.id, id), isNull(outbox.deliveredAt), isNull(outbox.abandonedAt));

  return {
    async recordProbeBatch(batch) {
      writeBatch.immediate(batch);
    },

    async listStatusStates() {
      const s = schema.integrationStatus;
      return db.select().from(s).orderBy(s.integrationId).all();
    },

    async listProbeRuns({ integrationId, limit }) {
      const r = schema.probeResults;
      const rows = db
        .select()
        .from(r)
        .where(eq(r.integrationId, integrationId))
        .orderBy(desc(r.startedAt), desc(r.id))
        .limit(limit)
        .all();
      return rows.map((row) => {
        const run: ProbeRunRecord = {
          integrationId: row.integrationId,
          startedAt: row.startedAt,
          durationMs: row.durationMs,
          success: row.success,
        };
        if (row.failureClass !== null) run.failureClass = row.failureClass;
        if (row.reason !== null) run.reason = row.reason;
        if (row.statusCode !== null) run.statusCode = row.statusCode;
        if (row.tlsExpiresAt !== null) run.tlsExpiresAt = row.tlsExpiresAt;
        if (row.phases !== null) run.phases = row.phases;
        return run;
      });
    },

    async listStatusTransitions({ integrationId, limit }) {
      const e = schema.statusEvents;
      return db
        .select({
          id: e.id,
          integrationId: e.integrationId,
          at: e.at,
          from: e.fromStatus,
          to: e.toStatus,
          reason: e.reason,
        })
        .from(e)
        .where(integrationId === undefined ? undefined : eq(e.integrationId, integrationId))
        .orderBy(desc(e.at), desc(e.id))
        .limit(limit)
        .all();
    },

    async availability({ resolution, from, to }) {
      const r = schema.probeRollups;
      return db
        .select({
          integrationId: r.integrationId,
          runs: sql<number>`sum(${r.runs})`.mapWith(Number),
          successes: sql<number>`sum(${r.successes})`.mapWith(Number),
        })
        .from(r)
        .where(and(eq(r.resolution, resolution), gte(r.bucketStart, from), lt(r.bucketStart, to)))
        .groupBy(r.integrationId)
        .orderBy(r.integrationId)
        .all();
    },

    async dueNotifications({ now, limit }) {
      const earlier = alias(outbox, 'earlier');
      // Only the oldest pending message of each (channel, integration) may go: a resolved never
      // overtakes the problem it closes while that one waits for a retry.
      const olderPending = db
        .select({ one: sql`1` })
        .from(earlier)
        .where(
          and(
            eq(earlier.channelId, outbox.channelId),
            eq(earlier.integrationId, outbox.integrationId),
            isNull(earlier.deliveredAt),
            isNull(earlier.abandonedAt),
            lt(earlier.id, outbox.id),
          ),
        );
      return db
        .select()
        .from(outbox)
        .where(
          and(
            isNull(outbox.deliveredAt),
            isNull(outbox.abandonedAt),
            lte(outbox.nextAttemptAt, now),
            notExists(olderPending),
          ),
        )
        .orderBy(asc(outbox.createdAt), asc(outbox.id))
        .limit(limit)
        .all();
    },

    async markNotification(id, outcome) {
      const attempts = sql`${outbox.attempts} + 1`;
      const set =
        'delivered' in outcome
          ? { attempts, deliveredAt: outcome.delivered }
          : 'retryAt' in outcome
            ? { attempts, nextAttemptAt: outcome.retryAt, lastError: outcome.error }
            : { attempts, abandonedAt: outcome.abandonedAt, lastError: outcome.error };
      db.update(outbox).set(set).where(settle(id)).run();
    },
  };
}
