import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROLLUP_DURATION_BUCKETS_SECONDS } from './rollup-buckets.ts';
import { sampleSnapshot } from './store.contract.ts';
import type { EventRecord, IntegrationInput, RequestMinute, Store } from './store.ts';

/** Stored events the Store interface has no reader for, read straight from the backend. */
export interface EventPeek {
  /** Every stored event as (id, hash, type, receivedAt), in arrival order. */
  events(): Promise<{ id: string; hash: string; type: string; receivedAt: number }[]>;
}

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1, 10, 0, 0);

const event = (id: string, hash = `h-${id}`, extra: Partial<EventRecord> = {}): EventRecord => ({
  id,
  type: 'transaction',
  time: T0,
  participant: 'psp',
  amount: 10,
  currency: 'EUR',
  hash,
  data: { amount: 10, currency: 'EUR' },
  ...extra,
});

const buckets = (...indexes: number[]) => {
  const counts = new Array<number>(ROLLUP_DURATION_BUCKETS_SECONDS.length + 1).fill(0);
  for (const i of indexes) counts[i] = (counts[i] ?? 0) + 1;
  return counts;
};

const requestMinute = (
  minute: number,
  requests: Partial<RequestMinute['requests']>,
  indexes: number[],
): RequestMinute => ({
  integrationId: 'pay',
  minute,
  requests: { success: 0, client_error: 0, server_error: 0, error: 0, ...requests },
  durationSumSeconds: indexes.length * 0.1,
  durationBuckets: buckets(...indexes),
});

const adopted: IntegrationInput = {
  id: 'shop-to-search',
  name: 'Storefront to search',
  sourceSystemId: 'storefront',
  targetSystemId: 'carrier-api',
  kind: 'api',
  tier: 'low',
  spec: { id: 'shop-to-search', from: 'storefront', to: 'carrier-api' },
};

/**
 * Ingest and token behaviour every {@link Store} backend must have, beside the main contract.
 */
export function ingestContract(
  name: string,
  open: () => Promise<{ store: Store; peek: EventPeek; cleanup: () => Promise<void> }>,
) {
  describe(`${name} store ingest contract`, () => {
    let store: Store;
    let peek: EventPeek;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, peek, cleanup } = await open());
      await store.applyCatalog(sampleSnapshot(), { source: 'test', now: 1 });
    });
    afterEach(async () => {
      await store.close();
      await cleanup();
    });

    it('stores each event id once: a retry is a duplicate, a reused id with other content a conflict', async () => {
      const first = await store.recordIngest([{ receivedAt: T0, events: [event('a'), event('b')] }]);
      expect(first).toEqual([{ ok: true, inserted: 2, duplicates: 0 }]);

      const [retry, reuse] = await store.recordIngest([
        { receivedAt: T0 + 1, events: [event('a'), event('c')] },
        { receivedAt: T0 + 2, events: [event('d'), event('b', 'other-content')] },
      ]);
      expect(retry).toEqual({ ok: true, inserted: 1, duplicates: 1 });
      expect(reuse).toEqual({ ok: false, conflicts: [{ index: 1, id: 'b' }] });
      // The conflicting request wrote nothing, not even its valid first event.
      expect((await peek.events()).map((e) => [e.id, e.hash, e.receivedAt])).toEqual([
        ['a', 'h-a', T0],
        ['b', 'h-b', T0],
        ['c', 'h-c', T0 + 1],
      ]);
    });

    it('adds request minutes, merging duration histograms, and lists them by range', async () => {
      await store.recordIngest([
        { receivedAt: T0, requests: [requestMinute(T0, { success: 2 }, [0, 3])] },
        {
          receivedAt: T0,
          requests: [
            requestMinute(T0, { success: 1, server_error: 1 }, [3, 15]),
            requestMinute(T0 + MINUTE, { error: 1 }, [1]),
          ],
        },
      ]);
      const rows = await store.listRequestMinutes({ integrationId: 'pay', from: T0, to: T0 + MINUTE });
      expect(rows).toEqual([
        {
          integrationId: 'pay',
          minute: T0,
          requests: { success: 3, client_error: 0, server_error: 1, error: 0 },
          durationSumSeconds: expect.closeTo(0.4, 9),
          durationBuckets: buckets(0, 3, 3, 15),
        },
      ]);
      expect(await store.listRequestMinutes({ from: T0, to: T0 + 2 * MINUTE })).toHaveLength(2);
      expect(await store.prune('requestMinutes', T0 + MINUTE, 10)).toBe(1);
      expect(await store.listRequestMinutes({ from: 0, to: T0 + 2 * MINUTE })).toHaveLength(1);
    });

    it('adds workflow minutes', async () => {
      const delta = {
        workflowId: 'order-to-cash',
        minute: T0,
        started: 2,
        completed: 1,
        failed: 1,
        abandoned: 0,
        durationSumSeconds: 3,
        durationBuckets: buckets(9),
      };
      await store.recordIngest([{ receivedAt: T0, workflows: [delta] }]);
      await store.recordIngest([
        { receivedAt: T0, workflows: [{ ...delta, started: 1, failed: 0, abandoned: 1 }] },
      ]);
      expect(await store.listWorkflowMinutes({ workflowId: 'order-to-cash', from: T0, to: T0 + 1 })).toEqual([
        {
          ...delta,
          started: 3,
          completed: 2,
          failed: 1,
          abandoned: 1,
          durationSumSeconds: 6,
          durationBuckets: buckets(9, 9),
        },
      ]);
    });

    it('keeps one discovered edge per service pair and adopts it into the catalog once', async () => {
      const edge = {
        caller: 'storefront',
        callee: 'search',
        calls: 3,
        errors: 1,
        firstSeen: T0 + 5,
        lastSeen: T0 + 9,
      };
      await store.recordIngest([{ receivedAt: T0, edges: [edge] }]);
      await store.recordIngest([
        {
          receivedAt: T0,
          edges: [
            { ...edge, callerSystem: 'storefront', calls: 2, errors: 0, firstSeen: T0, lastSeen: T0 + 7 },
          ],
        },
      ]);
      const { items, total } = await store.listDiscoveredEdges({ limit: 10 });
      expect(total).toBe(1);
      const [stored] = items;
      expect(stored).toMatchObject({
        callerService: 'storefront',
        calleeService: 'search',
        callerSystemId: 'storefront',
        calleeSystemId: null,
        calls: 5,
        errors: 1,
        firstSeen: T0,
        lastSeen: T0 + 9,
        status: 'open',
        integrationId: null,
      });
      expect(await store.countDiscoveredEdges()).toBe(1);
      const id = stored?.id as string;

      const revision = await store.catalogRevision();
      expect(await store.adoptDiscoveredEdge(id, adopted, { now: T0 })).toEqual({
        ok: true,
        revision: revision + 1,
      });
      expect(await store.adoptDiscoveredEdge(id, adopted, { now: T0 })).toEqual({
        ok: false,
        reason: 'not-open',
      });
      expect(await store.adoptDiscoveredEdge('edge_missing', adopted, { now: T0 })).toEqual({
        ok: false,
        reason: 'not-found',
      });
      expect(await store.getDiscoveredEdge(id)).toMatchObject({
        status: 'adopted',
        integrationId: 'shop-to-search',
      });
      expect(await store.countDiscoveredEdges()).toBe(0);
      expect(await store.get('integrations', 'shop-to-search')).toMatchObject({
        tier: 'low',
        retiredAt: null,
      });

      // The file does not know the adopted integration, and an apply of it does not retire it.
      const applied = await store.applyCatalog(sampleSnapshot(), { source: 'file', now: T0 + 1 });
      expect(applied.changes.integrations.retired).toEqual([]);
      expect(await store.get('integrations', 'shop-to-search')).toMatchObject({ retiredAt: null });
    });

    it('refuses to adopt an edge as an integration id that is taken', async () => {
      await store.recordIngest([
        {
          receivedAt: T0,
          edges: [{ caller: 'a', callee: 'b', calls: 1, errors: 0, firstSeen: T0, lastSeen: T0 }],
        },
      ]);
      const [edge] = (await store.listDiscoveredEdges({ limit: 1 })).items;
      expect(
        await store.adoptDiscoveredEdge(edge?.id as string, { ...adopted, id: 'pay' }, { now: T0 }),
      ).toEqual({
        ok: false,
        reason: 'id-taken',
      });
      expect(await store.getDiscoveredEdge(edge?.id as string)).toMatchObject({ status: 'open' });
    });

    it('ignores and reopens an edge, and prunes only open edges not seen for long', async () => {
      const edges = ['x', 'y'].map((callee, i) => ({
        caller: 'a',
        callee,
        calls: 1,
        errors: 0,
        firstSeen: T0 + i,
        lastSeen: T0 + i,
      }));
      await store.recordIngest([{ receivedAt: T0, edges }]);
      const [newer, older] = (await store.listDiscoveredEdges({ limit: 10 })).items;
      expect(newer?.calleeService).toBe('y');
      expect(await store.setDiscoveredEdgeStatus(older?.id as string, 'ignored')).toBe(true);
      expect((await store.listDiscoveredEdges({ status: 'open', limit: 10 })).total).toBe(1);
      expect(await store.setDiscoveredEdgeStatus('edge_missing', 'ignored')).toBe(false);
      expect(await store.prune('discoveredEdges', T0 + 10, 10)).toBe(1);
      expect((await store.listDiscoveredEdges({ limit: 10 })).items.map((e) => e.calleeService)).toEqual([
        'x',
      ]);
      expect(await store.setDiscoveredEdgeStatus(older?.id as string, 'open')).toBe(true);
      expect((await store.listDiscoveredEdges({ status: 'open', limit: 10 })).total).toBe(1);
    });

    it('finds a token by hash until it is revoked by id or name', async () => {
      const token = {
        id: 'tok_1',
        name: 'partner-x',
        scopes: ['ingest' as const],
        participantId: 'psp',
        createdAt: T0,
        revokedAt: null,
        hash: 'abc',
      };
      await store.createApiToken(token);
      await store.createApiToken({
        ...token,
        id: 'tok_2',
        name: 'ops',
        scopes: ['read', 'admin'],
        hash: 'def',
        participantId: null,
      });
      const { hash: _hash, ...stored } = token;
      expect(await store.findApiToken('abc')).toEqual(stored);
      expect(await store.findApiToken('nope')).toBeUndefined();
      expect(await store.revokeApiToken('partner-x', T0 + 1)).toBe(1);
      expect(await store.findApiToken('abc')).toBeUndefined();
      expect(await store.revokeApiToken('tok_2', T0 + 1)).toBe(1);
      expect(await store.revokeApiToken('tok_2', T0 + 2)).toBe(0);
      expect((await store.listApiTokens()).map((t) => [t.id, t.revokedAt])).toEqual([
        ['tok_1', T0 + 1],
        ['tok_2', T0 + 1],
      ]);
    });

    it('prunes events by receive time', async () => {
      await store.recordIngest([
        { receivedAt: T0, events: [event('a')] },
        { receivedAt: T0 + 5, events: [event('b')] },
      ]);
      expect(await store.prune('events', T0 + 5, 10)).toBe(1);
      expect((await peek.events()).map((e) => e.id)).toEqual(['b']);
    });
  });
}
