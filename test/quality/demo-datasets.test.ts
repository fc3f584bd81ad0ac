import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { startDemoDatasets } from '../../src/demo/datasets/index.ts';
import { startQuality } from '../../src/quality/index.ts';
import { openQualityStore } from '../../src/quality/store.ts';
import { EXAMPLE_CONFIG, tempDir } from '../helpers.ts';

const MINUTE = 60_000;

describe('the demo datasets', () => {
  it('satisfy the example checks, then drift into warn, fail and schema changes', async () => {
    const { dir, remove } = await tempDir();
    const clock = { now: Date.parse('2026-03-01T12:00:00Z') };
    const demo = await startDemoDatasets({ dir, port: 0, tickMs: 3_600_000, now: () => clock.now });
    const config = await loadConfig(EXAMPLE_CONFIG, { env: demo.env });
    config.settings.storage.path = `${dir}/ecotone.db`;
    const store = openQualityStore({ path: config.settings.storage.path });
    const quality = await startQuality({
      config,
      store,
      logger: pino({ level: 'silent' }),
      now: () => clock.now,
    });
    const outcomes = async () => {
      const out: Record<string, string> = {};
      for (const id of [
        'crm-customers',
        'analytics-customers',
        'tpl-stock-snapshots',
        'pim-product-catalogue',
      ]) {
        const run = await quality.run(id);
        for (const r of run?.results ?? []) if (r.outcome !== 'pass') out[`${id}/${r.check}`] = r.outcome;
      }
      return out;
    };
    try {
      expect(await outcomes()).toEqual({});
      // Minute 7: analytics paused since minute 4, drops stale since minute 6.
      for (let m = 1; m <= 7; m++) {
        clock.now += MINUTE;
        await demo.tick();
      }
      expect(await outcomes()).toMatchObject({
        'crm-customers/same-customers': 'fail',
        'analytics-customers/consistency.crm-customers': 'fail',
        'analytics-customers/freshness': 'warn',
        'tpl-stock-snapshots/freshness': 'warn',
      });
      // Minute 13: analytics caught up; emails empty since 12; the PIM schema changed at 10.
      for (let m = 8; m <= 13; m++) {
        clock.now += MINUTE;
        await demo.tick();
      }
      const late = await outcomes();
      expect(late).toMatchObject({
        'crm-customers/missing.email': 'fail',
        'pim-product-catalogue/schema': 'warn',
        'tpl-stock-snapshots/freshness': 'fail',
      });
      expect(late['analytics-customers/consistency.crm-customers']).toBeUndefined();
      expect(await store.listSchemaChanges({ datasetId: 'pim-product-catalogue', limit: 5 })).toMatchObject([
        {
          changes: [
            { column: 'price', change: 'retyped', from: 'number', to: 'string' },
            { column: 'badge', change: 'added', to: 'string' },
          ],
        },
      ]);
    } finally {
      await demo.stop();
      await store.close();
      await remove();
    }
  });
});
