import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CatalogSnapshot, Store } from './store.ts';

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
 * Behaviour every {@link Store} backend must have. Each backend's test file calls this with a
 * factory that opens a fresh, empty store.
 */
export function storeContract(
  name: string,
  open: () => Promise<{ store: Store; cleanup: () => Promise<void> }>,
) {
  describe(`${name} store contract`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await open());
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

    it('reports itself healthy while open', async () => {
      expect(await store.health()).toEqual({ ok: true });
    });
  });
}
