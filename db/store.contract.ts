import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROLLUP_DURATION_BUCKETS_SECONDS } from './rollup-buckets.ts';
import { type ProbeRollup, ROLLUP_FAILURE_CLASSES, type RollupFailureClass } from './rollups.ts';
import type {
  CatalogSnapshot,
  OutboxEntry,
  ProbeBatch,
  ProbeRunRecord,
  StatusState,
  Store,
  StoredOutboxEntry,
} from './store.ts';

/** A small catalog; tests derive changed versions of it. */
export function sampleSnapshot(): CatalogSnapshot {
  return {
    participants: [
      {
        id: 'shop',
        name: 'Shop',
        role: 'orchestrator',
        country: 'DE',
        stage: 'active',
        spec: { id: 'shop' },
      },
      {
        id: 'psp',
        name: 'PSP',
        role: 'supplier',
        country: 'NL',
        stage: 'active',
        owner: 'payments',
        spec: { id: 'psp' },
      },
      {
        id: 'carrier',
        name: 'Carrier',
        role: 'supplier',
        country: 'NL',
        stage: 'onboarding',
        spec: { id: 'carrier' },
      },
    ],
    systems: [
      {
        id: 'storefront',
        name: 'Storefront',
        participantId: 'shop',
        kind: 'application',
        spec: { id: 'storefront' },
      },
      { id: 'psp-api', name: 'PSP API', participantId: 'psp', kind: 'partner-api', spec: { id: 'psp-api' } },
      {
        id: 'carrier-api',
        name: 'Carrier API',
        participantId: 'carrier',
        kind: 'partner-api',
        spec: { id: 'carrier-api' },
      },
    ],
    integrations: [
      {
        id: 'pay',
        name: 'Payments',
        sourceSystemId: 'storefront',
        targetSystemId: 'psp-api',
        kind: 'api',
        tier: 'critical',
        channel: 'web',
        spec: { id: 'pay', slo: { availability: 0.999 } },
      },
      {
        id: 'ship',
        name: 'Shipping',
        sourceSystemId: 'storefront',
        targetSystemId: 'carrier-api',
        kind: 'api',
        tier: 'high',
        spec: { id: 'ship' },
      },
    ],
    workflows: [
      { id: 'order-to-cash', name: 'Order to cash', spec: { id: 'order-to-cash', steps: ['pay', 'ship'] } },
    ],
    datasets: [{ id: 'orders', name: 'Orders', systemId: 'storefront', spec: { id: 'orders' } }],
    valueModel: {
      currency: 'EUR',
      costPerManualHandoff: 4,
      savingsPerStandardIntegration: 0,
      yearlyEcosystemCost: 1000,
    },
  };
}

/**
 * Rows the {@link Store} interface has no reader for, read straight from the backend so the
 * contract can check what was written.
 */
export interface StorePeek {
  /** Every rollup row, ordered by bucket start within each (resolution, integration). */
  rollups(): Promise<ProbeRollup[]>;
  /** Every outbox row, delivered and abandoned ones included, in id order. */
  outbox(): Promise<StoredOutboxEntry[]>;
}

const T0 = Date.UTC(2025, 0, 1, 10, 0, 0);
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** A histogram array with one count at each given bucket index. */
function histogram(...indexes: number[]): number[] {
  const counts = new Array<number>(ROLLUP_DURATION_BUCKETS_SECONDS.length + 1).fill(0);
  for (const i of indexes) counts[i] = (counts[i] ?? 0) + 1;
  return counts;
}

function failures(counts: Partial<Record<RollupFailureClass, number>> = {}) {
  return Object.fromEntries(ROLLUP_FAILURE_CLASSES.map((c) => [c, counts[c] ?? 0]));
}

const run = (integrationId: string, startedAt: number, durationMs: number, failureClass?: string) =>
  ({
    integrationId,
    startedAt,
    durationMs,
    success: failureClass === undefined,
    ...(failureClass === undefined ? {} : { failureClass }),
  }) satisfies ProbeRunRecord;

const batch = (parts: Partial<ProbeBatch>): ProbeBatch => ({
  runs: [],
  states: [],
  transitions: [],
  notifications: [],
  ...parts,
});

const notification = (key: string, createdAt: number, integrationId = 'pay'): OutboxEntry => ({
  key,
  channelId: 'ops-webhook',
  integrationId,
  payload: { text: `pay is down (${key})` },
  createdAt,
});

/**
 * Behaviour every {@link Store} backend must have. Each backend's test file calls this with a
 * factory that opens a fresh, empty store.
 */
export function storeContract(
  name: string,
  open: () => Promise<{ store: Store; peek: StorePeek; cleanup: () => Promise<void> }>,
) {
  describe(`${name} store contract`, () => {
    let store: Store;
    let peek: StorePeek;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, peek, cleanup } = await open());
    });
    afterEach(async () => {
      await store.close();
      await cleanup();
    });

    it('creates every entry on the first apply and records a revision', async () => {
      const result = await store.applyCatalog(sampleSnapshot(), { source: 'test', now: 1_000 });
      expect(result.changed).toBe(true);
      expect(result.revision).toBe(1);
      expect(result.changes.integrations.created).toEqual(['pay', 'ship']);
      expect(result.valueModelChanged).toBe(true);
      const pay = await store.get('integrations', 'pay');
      expect(pay).toMatchObject({
        id: 'pay',
        sourceSystemId: 'storefront',
        targetSystemId: 'psp-api',
        tier: 'critical',
        channel: 'web',
        owner: null,
        createdAt: 1_000,
        retiredAt: null,
        spec: { id: 'pay', slo: { availability: 0.999 } },
      });
      expect(await store.getValueModel()).toEqual(sampleSnapshot().valueModel);
    });

    it('changes nothing when the same catalog is applied again', async () => {
      expect(await store.catalogRevision()).toBe(0);
      await store.applyCatalog(sampleSnapshot(), { source: 'test', now: 1_000 });
      expect(await store.catalogRevision()).toBe(1);
      const again = await store.applyCatalog(sampleSnapshot(), { source: 'test', now: 2_000 });
      expect(again.changed).toBe(false);
      expect(again.revision).toBeNull();
      expect(again.changes.integrations.unchanged).toBe(2);
      expect((await store.get('integrations', 'pay'))?.updatedAt).toBe(1_000);
      expect(await store.catalogRevision()).toBe(1);
    });

    it('ignores key order when deciding whether an entry changed', async () => {
      await store.applyCatalog(sampleSnapshot(), { source: 'test', now: 1_000 });
      const reordered = sampleSnapshot();
      reordered.integrations = reordered.integrations.map(
        (i) => Object.fromEntries(Object.entries(i).reverse()) as typeof i,
      );
      expect((await store.applyCatalog(reordered, { source: 'test', now: 2_000 })).changed).toBe(false);
    });

    it('retires an entry missing from the file, keeps its row, and restores it when it returns', async () => {
      await store.applyCatalog(sampleSnapshot(), { source: 'test', now: 1_000 });
      const without = sampleSnapshot();
      without.integrations = without.integrations.filter((i) => i.id !== 'ship');
      const retired = await store.applyCatalog(without, { source: 'test', now: 2_000 });
      expect(retired.changes.integrations.retired).toEqual(['ship']);
      expect(await store.get('integrations', 'ship')).toMatchObject({ retiredAt: 2_000, createdAt: 1_000 });
      expect((await store.list('integrations', { limit: 10 })).items.map((i) => i.id)).toEqual(['pay']);
      const all = await store.list('integrations', { limit: 10, includeRetired: true });
      expect(all.items.map((i) => i.id)).toEqual(['pay', 'ship']);

      const again = await store.applyCatalog(without, { source: 'test', now: 3_000 });
      expect(again.changed).toBe(false);

      const back = await store.applyCatalog(sampleSnapshot(), { source: 'test', now: 4_000 });
      expect(back.changes.integrations.restored).toEqual(['ship']);
      expect(await store.get('integrations', 'ship')).toMatchObject({
        retiredAt: null,
        createdAt: 1_000,
        updatedAt: 4_000,
      });
    });

    it('updates a changed entry in place', async () => {
      await store.applyCatalog(sampleSnapshot(), { source: 'test', now: 1_000 });
      const changed = sampleSnapshot();
      changed.integrations[1] = {
        ...(changed.integrations[1] as CatalogSnapshot['integrations'][0]),
        tier: 'low',
      };
      const result = await store.applyCatalog(changed, { source: 'test', now: 2_000 });
      expect(result.changes.integrations.updated).toEqual(['ship']);
      expect(await store.get('integrations', 'ship')).toMatchObject({
        tier: 'low',
        updatedAt: 2_000,
        createdAt: 1_000,
      });
    });

    it('filters and pages lists', async () => {
      await store.applyCatalog(sampleSnapshot(), { source: 'test', now: 1_000 });
      const suppliers = await store.list('participants', { filter: { role: 'supplier' }, limit: 10 });
      expect(suppliers.items.map((p) => p.id)).toEqual(['carrier', 'psp']);
      const page = await store.list('participants', { limit: 1, offset: 1 });
      expect(page).toMatchObject({ total: 3, items: [{ id: 'psp' }] });
      const withPsp = await store.list('integrations', { filter: { participant: 'psp' }, limit: 10 });
      expect(withPsp.items.map((i) => i.id)).toEqual(['pay']);
      const fromShop = await store.list('integrations', {
        filter: { participant: 'shop', tier: 'high' },
        limit: 10,
      });
      expect(fromShop.items.map((i) => i.id)).toEqual(['ship']);
      expect((await store.list('systems', { filter: { participant: 'nobody' }, limit: 10 })).total).toBe(0);
    });

    it('counts the catalog without retired entries', async () => {
      const snapshot = sampleSnapshot();
      await store.applyCatalog(snapshot, { source: 'test', now: 1_000 });
      snapshot.participants = snapshot.participants.filter((p) => p.id !== 'carrier');
      snapshot.integrations = snapshot.integrations.filter((i) => i.id !== 'ship');
      await store.applyCatalog(snapshot, { source: 'test', now: 2_000 });
      const stats = await store.catalogStats();
      expect(stats.systems).toBe(3);
      expect(stats.countries).toBe(2);
      expect(stats.integrations).toEqual([{ tier: 'critical', count: 1 }]);
      expect(stats.participants).toEqual(
        expect.arrayContaining([
          { role: 'orchestrator', stage: 'active', count: 1 },
          { role: 'supplier', stage: 'active', count: 1 },
        ]),
      );
      expect(stats.participants).toHaveLength(2);
      expect(await store.integrationLabels()).toEqual([
        {
          integration: 'pay',
          tier: 'critical',
          kind: 'api',
          sourceSystem: 'storefront',
          targetSystem: 'psp-api',
          sourceParticipant: 'shop',
          targetParticipant: 'psp',
          sourceRole: 'orchestrator',
          targetRole: 'supplier',
        },
      ]);
    });

    it('records job runs and prunes old ones in batches', async () => {
      for (let i = 0; i < 7; i++) {
        await store.recordJobRun({
          job: 'retention',
          startedAt: i * 1_000,
          durationMs: 5,
          outcome: 'success',
        });
      }
      await store.recordJobRun({
        job: 'other',
        startedAt: 9_000,
        durationMs: 5,
        outcome: 'failure',
        error: 'boom',
      });
      expect(await store.listJobRuns({ job: 'other', limit: 5 })).toEqual([
        { job: 'other', startedAt: 9_000, durationMs: 5, outcome: 'failure', error: 'boom' },
      ]);
      expect(await store.lastJobSuccess('retention')).toBe(6_005);
      expect(await store.lastJobSuccess('other')).toBeUndefined();
      expect(await store.prune('jobRuns', 5_000, 3)).toBe(3);
      expect(await store.prune('jobRuns', 5_000, 3)).toBe(2);
      expect(await store.prune('jobRuns', 5_000, 3)).toBe(0);
      const left = await store.listJobRuns({ limit: 10 });
      expect(left.map((r) => r.startedAt)).toEqual([9_000, 6_000, 5_000]);
    });

    it('merges two batches into the same minute, hour and day rollups', async () => {
      // Bucket indexes: 30 ms → 3 (≤ 0.05 s), 5 s → 9 (exactly at the 5 s bound), 12 ms → 2,
      // 200 ms → 5, 400 s → 15 (+Inf).
      await store.recordProbeBatch(
        batch({
          runs: [run('pay', T0 + 1_000, 30), run('pay', T0 + 2_000, 5_000, 'timeout'), run('ship', T0, 200)],
        }),
      );
      await store.recordProbeBatch(
        batch({
          runs: [
            run('pay', T0 + 30_000, 12, 'dns'),
            run('pay', T0 + MINUTE + 5_000, 200),
            run('pay', T0 + MINUTE + 6_000, 400_000, 'not-a-class'),
            { ...run('pay', T0 + MINUTE + 7_000, 30), success: false },
          ],
        }),
      );
      const pay = (await peek.rollups()).filter((r) => r.integrationId === 'pay');
      const firstMinute = {
        runs: 3,
        successes: 1,
        failures: failures({ timeout: 1, dns: 1 }),
        durationSumMs: 30 + 5_000 + 12,
        durationBuckets: histogram(3, 9, 2),
      };
      const secondMinute = {
        runs: 3,
        successes: 1,
        failures: failures({ other: 2 }),
        durationSumMs: 200 + 400_000 + 30,
        durationBuckets: histogram(5, 15, 3),
      };
      const whole = {
        runs: 6,
        successes: 2,
        failures: failures({ timeout: 1, dns: 1, other: 2 }),
        durationSumMs: firstMinute.durationSumMs + secondMinute.durationSumMs,
        durationBuckets: histogram(3, 9, 2, 5, 15, 3),
      };
      expect(pay.filter((r) => r.resolution === 'minute')).toEqual([
        { resolution: 'minute', integrationId: 'pay', bucketStart: T0, ...firstMinute },
        { resolution: 'minute', integrationId: 'pay', bucketStart: T0 + MINUTE, ...secondMinute },
      ]);
      expect(pay.filter((r) => r.resolution === 'hour')).toEqual([
        { resolution: 'hour', integrationId: 'pay', bucketStart: T0, ...whole },
      ]);
      expect(pay.filter((r) => r.resolution === 'day')).toEqual([
        { resolution: 'day', integrationId: 'pay', bucketStart: Date.UTC(2025, 0, 1), ...whole },
      ]);
      const ship = (await peek.rollups()).filter((r) => r.integrationId === 'ship');
      expect(ship.map((r) => [r.resolution, r.bucketStart, r.runs, r.successes])).toEqual(
        expect.arrayContaining([
          ['minute', T0, 1, 1],
          ['hour', T0, 1, 1],
          ['day', Date.UTC(2025, 0, 1), 1, 1],
        ]),
      );
    });

    it('sums availability over the buckets that start inside [from, to)', async () => {
      await store.recordProbeBatch(
        batch({
          runs: [
            run('pay', T0, 10),
            run('pay', T0 + MINUTE, 10, 'timeout'),
            run('pay', T0 + MINUTE + 59_999, 10),
            run('pay', T0 + 2 * MINUTE, 10),
            run('ship', T0 + 2 * MINUTE, 10, 'status'),
            run('pay', T0 + HOUR, 10, 'tls'),
          ],
        }),
      );
      expect(
        await store.availability({ resolution: 'minute', from: T0 + MINUTE, to: T0 + 2 * MINUTE }),
      ).toEqual([{ integrationId: 'pay', runs: 2, successes: 1 }]);
      expect(await store.availability({ resolution: 'minute', from: T0, to: T0 + HOUR })).toEqual([
        { integrationId: 'pay', runs: 4, successes: 3 },
        { integrationId: 'ship', runs: 1, successes: 0 },
      ]);
      expect(await store.availability({ resolution: 'hour', from: T0, to: T0 + 2 * HOUR })).toEqual([
        { integrationId: 'pay', runs: 5, successes: 3 },
        { integrationId: 'ship', runs: 1, successes: 0 },
      ]);
      const day = Date.UTC(2025, 0, 1);
      expect(await store.availability({ resolution: 'day', from: day, to: day + DAY })).toEqual([
        { integrationId: 'pay', runs: 5, successes: 3 },
        { integrationId: 'ship', runs: 1, successes: 0 },
      ]);
      expect(await store.availability({ resolution: 'day', from: day + DAY, to: day + 2 * DAY })).toEqual([]);
    });

    it('lists raw runs newest first, leaving out fields that were not recorded', async () => {
      await store.recordProbeBatch(
        batch({
          runs: [
            run('pay', 1_000, 20),
            {
              integrationId: 'pay',
              startedAt: 2_000,
              durationMs: 45.5,
              success: false,
              failureClass: 'status',
              reason: 'status 503',
              statusCode: 503,
              tlsExpiresAt: 9_000_000,
              phases: { dns: 1, connect: 3, tls: 9, firstByte: 40, total: 45.5 },
            },
            run('ship', 3_000, 5),
          ],
        }),
      );
      expect(await store.listProbeRuns({ integrationId: 'pay', limit: 10 })).toEqual([
        {
          integrationId: 'pay',
          startedAt: 2_000,
          durationMs: 45.5,
          success: false,
          failureClass: 'status',
          reason: 'status 503',
          statusCode: 503,
          tlsExpiresAt: 9_000_000,
          phases: { dns: 1, connect: 3, tls: 9, firstByte: 40, total: 45.5 },
        },
        { integrationId: 'pay', startedAt: 1_000, durationMs: 20, success: true },
      ]);
      expect(await store.listProbeRuns({ integrationId: 'pay', limit: 1 })).toHaveLength(1);
      expect(await store.listProbeRuns({ integrationId: 'nobody', limit: 10 })).toEqual([]);
    });

    it('keeps status states across batches and lists transitions newest first', async () => {
      const down: StatusState = {
        integrationId: 'pay',
        status: 'down',
        since: 2_000,
        consecutiveFailures: 3,
        consecutiveSuccesses: 0,
        consecutiveSlow: 0,
        lastResultAt: 2_000,
        lastSuccessAt: null,
        lastFailureClass: 'timeout',
      };
      const fresh: StatusState = {
        integrationId: 'ship',
        status: 'unknown',
        since: 1_000,
        consecutiveFailures: 0,
        consecutiveSuccesses: 0,
        consecutiveSlow: 0,
        lastResultAt: null,
        lastSuccessAt: null,
        lastFailureClass: null,
      };
      expect(await store.listStatusStates()).toEqual([]);
      await store.recordProbeBatch(
        batch({
          states: [down, fresh],
          transitions: [
            { integrationId: 'pay', at: 1_000, from: 'unknown', to: 'healthy', reason: 'first success' },
            {
              integrationId: 'pay',
              at: 2_000,
              from: 'healthy',
              to: 'down',
              reason: '3 consecutive failures (timeout)',
            },
          ],
        }),
      );
      expect(await store.listStatusStates()).toEqual([down, fresh]);

      const healthy: StatusState = {
        ...down,
        status: 'healthy',
        since: 5_000,
        consecutiveFailures: 0,
        consecutiveSuccesses: 2,
        consecutiveSlow: 1,
        lastResultAt: 5_000,
        lastSuccessAt: 5_000,
      };
      await store.recordProbeBatch(
        batch({
          states: [healthy],
          transitions: [
            {
              integrationId: 'pay',
              at: 5_000,
              from: 'down',
              to: 'healthy',
              reason: '2 consecutive successes',
            },
            { integrationId: 'ship', at: 5_000, from: 'unknown', to: 'degraded', reason: 'slow' },
          ],
        }),
      );
      expect(await store.listStatusStates()).toEqual([healthy, fresh]);

      const pay = await store.listStatusTransitions({ integrationId: 'pay', limit: 10 });
      expect(pay.map((t) => [t.at, t.from, t.to])).toEqual([
        [5_000, 'down', 'healthy'],
        [2_000, 'healthy', 'down'],
        [1_000, 'unknown', 'healthy'],
      ]);
      expect(pay[1]).toEqual({
        id: expect.any(Number),
        integrationId: 'pay',
        at: 2_000,
        from: 'healthy',
        to: 'down',
        reason: '3 consecutive failures (timeout)',
      });
      const latest = await store.listStatusTransitions({ limit: 2 });
      expect(latest.map((t) => t.integrationId)).toEqual(['ship', 'pay']);
    });

    it('enqueues a notification once when the same batch is replayed', async () => {
      const replayed = batch({
        runs: [run('pay', 1_000, 10, 'timeout')],
        notifications: [notification('pay:1000:ops-webhook', 1_000)],
      });
      await store.recordProbeBatch(replayed);
      await store.recordProbeBatch(replayed);
      expect(await store.dueNotifications({ now: 999, limit: 10 })).toEqual([]);
      expect(await store.dueNotifications({ now: 1_000, limit: 10 })).toEqual([
        {
          id: expect.any(Number),
          ...notification('pay:1000:ops-webhook', 1_000),
          attempts: 0,
          nextAttemptAt: 1_000,
          deliveredAt: null,
          abandonedAt: null,
          lastError: null,
        },
      ]);
      expect(await peek.outbox()).toHaveLength(1);
    });

    it('holds back a channel and integration pair behind its oldest pending notification', async () => {
      await store.recordProbeBatch(
        batch({ notifications: [notification('problem', 1_000), notification('resolved', 2_000)] }),
      );
      const [problem] = await store.dueNotifications({ now: 3_000, limit: 10 });
      expect(problem?.key).toBe('problem');
      await store.markNotification(problem!.id, { retryAt: 10_000, error: 'HTTP 500' });
      expect(await store.dueNotifications({ now: 9_999, limit: 10 })).toEqual([]);
      expect((await store.dueNotifications({ now: 10_000, limit: 10 })).map((n) => n.key)).toEqual([
        'problem',
      ]);
      await store.markNotification(problem!.id, { delivered: 10_100 });
      expect((await store.dueNotifications({ now: 10_100, limit: 10 })).map((n) => n.key)).toEqual([
        'resolved',
      ]);
    });

    it('hands out due notifications oldest first and records every attempt', async () => {
      await store.recordProbeBatch(
        batch({
          notifications: [
            notification('a', 1_000, 'pay'),
            notification('b', 2_000, 'ship'),
            notification('c', 3_000, 'crm'),
          ],
        }),
      );
      const [a, b, c] = await store.dueNotifications({ now: 3_000, limit: 10 });
      expect([a?.key, b?.key, c?.key]).toEqual(['a', 'b', 'c']);
      expect((await store.dueNotifications({ now: 3_000, limit: 2 })).map((n) => n.key)).toEqual(['a', 'b']);

      await store.markNotification(a!.id, { retryAt: 10_000, error: 'HTTP 500' });
      expect((await store.dueNotifications({ now: 9_999, limit: 10 })).map((n) => n.key)).toEqual(['b', 'c']);
      await store.markNotification(b!.id, { delivered: 4_000 });
      await store.markNotification(c!.id, { abandonedAt: 4_000, error: 'HTTP 404' });
      expect(await store.dueNotifications({ now: 10_000, limit: 10 })).toEqual([
        expect.objectContaining({ key: 'a', attempts: 1, nextAttemptAt: 10_000, lastError: 'HTTP 500' }),
      ]);
      await store.markNotification(a!.id, { retryAt: 20_000, error: 'timeout' });
      await store.markNotification(a!.id, { delivered: 20_500 });
      expect(await store.dueNotifications({ now: Number.MAX_SAFE_INTEGER, limit: 10 })).toEqual([]);

      // A late second outcome for a settled notification changes nothing.
      await store.markNotification(c!.id, { delivered: 30_000 });
      expect(await peek.outbox()).toEqual([
        expect.objectContaining({
          key: 'a',
          attempts: 3,
          deliveredAt: 20_500,
          abandonedAt: null,
          lastError: 'timeout',
        }),
        expect.objectContaining({
          key: 'b',
          attempts: 1,
          deliveredAt: 4_000,
          abandonedAt: null,
          lastError: null,
        }),
        expect.objectContaining({
          key: 'c',
          attempts: 1,
          deliveredAt: null,
          abandonedAt: 4_000,
          lastError: 'HTTP 404',
        }),
      ]);
    });

    it('writes nothing of a batch that cannot be written whole', async () => {
      const bad = batch({
        runs: [run('pay', 1_000, 10)],
        states: [
          {
            integrationId: 'pay',
            status: 'healthy',
            since: 1_000,
            consecutiveFailures: 0,
            consecutiveSuccesses: 1,
            consecutiveSlow: 0,
            lastResultAt: 1_000,
            lastSuccessAt: 1_000,
            lastFailureClass: null,
          },
        ],
        notifications: [{ ...notification('x', 1_000), channelId: null as unknown as string }],
      });
      await expect(store.recordProbeBatch(bad)).rejects.toThrow();
      expect(await store.listProbeRuns({ integrationId: 'pay', limit: 10 })).toEqual([]);
      expect(await store.listStatusStates()).toEqual([]);
      expect(await peek.rollups()).toEqual([]);
    });

    it('prunes raw runs and status events before the bound, keeping rows exactly at it', async () => {
      await store.recordProbeBatch(
        batch({
          runs: [run('pay', 1_000, 10), run('pay', 2_000, 10), run('pay', 3_000, 10), run('pay', 4_000, 10)],
          transitions: [1_000, 2_000, 3_000].map((at) => ({
            integrationId: 'pay',
            at,
            from: 'healthy' as const,
            to: 'down' as const,
            reason: 'x',
          })),
        }),
      );
      expect(await store.prune('probeResults', 3_000, 1)).toBe(1);
      expect(await store.prune('probeResults', 3_000, 5)).toBe(1);
      expect(await store.prune('probeResults', 3_000, 5)).toBe(0);
      const runs = await store.listProbeRuns({ integrationId: 'pay', limit: 10 });
      expect(runs.map((r) => r.startedAt)).toEqual([4_000, 3_000]);

      expect(await store.prune('statusEvents', 2_000, 10)).toBe(1);
      const events = await store.listStatusTransitions({ limit: 10 });
      expect(events.map((e) => e.at)).toEqual([3_000, 2_000]);
    });

    it('prunes each rollup resolution on its own, keeping buckets that start at the bound', async () => {
      await store.recordProbeBatch(batch({ runs: [0, 1, 2].map((d) => run('pay', d * DAY, 10)) }));
      const buckets = async (resolution: string) =>
        (await peek.rollups()).filter((r) => r.resolution === resolution).map((r) => r.bucketStart);

      expect(await store.prune('probeRollupsMinute', 2 * DAY, 1)).toBe(1);
      expect(await store.prune('probeRollupsMinute', 2 * DAY, 10)).toBe(1);
      expect(await buckets('minute')).toEqual([2 * DAY]);
      expect(await buckets('hour')).toEqual([0, DAY, 2 * DAY]);
      expect(await buckets('day')).toEqual([0, DAY, 2 * DAY]);

      expect(await store.prune('probeRollupsHour', DAY, 10)).toBe(1);
      expect(await buckets('hour')).toEqual([DAY, 2 * DAY]);
      expect(await buckets('day')).toEqual([0, DAY, 2 * DAY]);

      expect(await store.prune('probeRollupsDay', DAY + 1, 10)).toBe(2);
      expect(await buckets('day')).toEqual([2 * DAY]);
      expect(await buckets('minute')).toEqual([2 * DAY]);
    });

    it('prunes only delivered or abandoned notifications, never pending ones', async () => {
      await store.recordProbeBatch(
        batch({
          notifications: [
            notification('pending', 1_000),
            notification('retrying', 1_000),
            notification('delivered', 1_000),
            notification('abandoned', 2_000),
            notification('at-bound', 3_000),
          ],
        }),
      );
      const ids = Object.fromEntries((await peek.outbox()).map((n) => [n.key, n.id]));
      await store.markNotification(ids.retrying!, { retryAt: 50_000, error: 'HTTP 502' });
      await store.markNotification(ids.delivered!, { delivered: 1_500 });
      await store.markNotification(ids.abandoned!, { abandonedAt: 2_500, error: 'HTTP 410' });
      await store.markNotification(ids['at-bound']!, { delivered: 3_500 });

      expect(await store.prune('notifications', 3_000, 1)).toBe(1);
      expect(await store.prune('notifications', 3_000, 10)).toBe(1);
      expect(await store.prune('notifications', 3_000, 10)).toBe(0);
      expect((await peek.outbox()).map((n) => n.key)).toEqual(['pending', 'retrying', 'at-bound']);
      expect(await store.prune('notifications', Number.MAX_SAFE_INTEGER, 10)).toBe(1);
      expect((await peek.outbox()).map((n) => n.key)).toEqual(['pending', 'retrying']);
    });

    it('reports itself healthy while open', async () => {
      expect(await store.health()).toEqual({ ok: true });
    });
  });
}
