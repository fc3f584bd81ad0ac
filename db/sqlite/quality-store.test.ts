import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers.ts';
import type { QualityResultRecord } from '../quality.ts';
import { openSqlite } from './open.ts';
import { createQualityMethods } from './quality-store.ts';
import { createSqliteStore } from './sqlite-store.ts';

const result = (
  check: string,
  outcome: QualityResultRecord['outcome'],
  observed?: number,
): QualityResultRecord => ({
  check,
  type: 'row_count',
  outcome,
  value: observed ?? null,
  unit: 'rows',
  threshold: { 'min fail': '< 1' },
  message: `${check} ${outcome}`,
  ...(observed === undefined ? {} : { observed, rows: observed }),
});

describe('SQLite quality store', () => {
  it('keeps results per check, answers the latest and the history, and prunes by run time', async () => {
    const { dir, remove } = await tempDir();
    const path = join(dir, 'q.db');
    const db = openSqlite({ path });
    const q = createQualityMethods(db);
    try {
      await q.recordQualityRun({
        datasetId: 'a',
        startedAt: 1_000,
        durationMs: 5,
        results: [result('rows', 'pass', 10)],
      });
      await q.recordQualityRun({
        datasetId: 'a',
        startedAt: 2_000,
        durationMs: 5,
        results: [result('rows', 'error'), result('fresh', 'warn', 99)],
        columns: [{ name: 'id', type: 'integer', sourceType: 'INTEGER' }],
        schemaChanges: [],
      });
      await q.recordQualityRun({
        datasetId: 'b',
        startedAt: 3_000,
        durationMs: 5,
        results: [result('rows', 'fail', 0)],
      });
      expect(
        (await q.latestQualityResults()).map((r) => `${r.datasetId}/${r.check}:${r.outcome}@${r.runAt}`),
      ).toEqual(['a/fresh:warn@2000', 'a/rows:error@2000', 'b/rows:fail@3000']);
      expect((await q.latestQualityResults({ datasetId: 'b' })).length).toBe(1);
      // Errors have no observation, so anomaly and change skip them.
      expect(await q.qualityObservations({ datasetId: 'a', check: 'rows', limit: 5 })).toEqual([10]);
      expect(
        (await q.listQualityResults({ datasetId: 'a', check: 'rows', limit: 5 })).map((r) => r.outcome),
      ).toEqual(['error', 'pass']);
      expect((await q.lastDatasetSchema('a'))?.columns).toEqual([
        { name: 'id', type: 'integer', sourceType: 'INTEGER' },
      ]);
      expect(await q.countSchemaChanges()).toEqual([]);
      const store = createSqliteStore({ path });
      expect(await store.prune('qualityResults', 2_000, 100)).toBe(1);
      expect(await store.prune('qualityResults', 2_000, 100)).toBe(0);
      await store.close();
      expect((await q.listQualityResults({ datasetId: 'a', limit: 10 })).map((r) => r.runAt)).toEqual([
        2_000, 2_000,
      ]);
    } finally {
      db.$client.close();
      await remove();
    }
  });
});
