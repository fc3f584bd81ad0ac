import { createKpiCatalog, type KpiCatalog } from './catalog.ts';
import { createKpiFold, type KpiFoldRun } from './fold.ts';
import { computeHealth, type HealthReport, type HealthSettings, type QualityBySystem } from './health.ts';
import { computeParticipation } from './participation.ts';
import { computeQualitative } from './qualitative.ts';
import type { KpiFamily, KpiStore, KpiTask, KpiValues } from './types.ts';
import { computeUsage } from './usage.ts';
import { computeValue } from './value.ts';

export interface KpiRunnerOptions {
  store: KpiStore;
  /** ms; see settings.kpis.lateness. */
  lateness: number;
  /** Most events per fold transaction. */
  batchSize: number;
  /** Least ms between two stored snapshots of one family. */
  snapshotInterval: number;
  health: HealthSettings;
  quality?: QualityBySystem | undefined;
}

/** What one run of a KPI family produced: plain data, so it can cross a worker boundary. */
export interface KpiRunResult {
  values: KpiValues;
  /** The health report (the `health` family only). */
  report?: HealthReport;
  folded: KpiFoldRun;
}

/**
 * Runs one KPI family (its fold, its KPIs, a snapshot when one is due), or `fold`: every
 * family's fold and nothing else (no values).
 */
export type KpiRunner = (task: KpiTask, now: number, signal: AbortSignal) => Promise<KpiRunResult>;

/**
 * The work of the KPI jobs over one store: each run starts with its family's incremental fold
 * (the family's new events and the sealed request minutes into the rollups; the `fold` task
 * does only this, for every family),
 * computes the family's KPIs from the rollups and stores a snapshot at most every
 * `snapshotInterval`. Runs in the thread that owns the store's connection.
 *
 * @example
 * const run = createKpiRunner({ store, lateness: 600_000, batchSize: 10_000, snapshotInterval: 300_000, health });
 * const { values } = await run('usage', Date.now(), signal);
 */
export function createKpiRunner(options: KpiRunnerOptions): KpiRunner {
  const { store } = options;
  const fold = createKpiFold({ store, lateness: options.lateness, batchSize: options.batchSize });
  const catalog = createKpiCatalog(store);
  const lastSnapshot = new Map<KpiFamily, number>();

  const compute: Record<
    KpiFamily,
    (c: KpiCatalog, now: number, signal: AbortSignal) => Promise<{ values: KpiValues; report?: HealthReport }>
  > = {
    participation: async (c, now) => ({ values: await computeParticipation({ store, catalog: c, now }) }),
    usage: async (c, now) => ({ values: await computeUsage({ store, catalog: c, now }) }),
    value: async (c, now) => ({ values: await computeValue({ store, catalog: c, now }) }),
    qualitative: async (_c, now, signal) => ({ values: await computeQualitative({ store, now, signal }) }),
    health: async (c, now) => {
      const report = await computeHealth({
        store,
        catalog: c,
        settings: options.health,
        quality: options.quality,
        now,
      });
      return { values: report.values, report };
    },
  };

  return async (task, now, signal) => {
    const folded = await fold(task, now, signal);
    if (task === 'fold') return { values: {}, folded };
    const family = task;
    const { values, report } = await compute[family](await catalog(), now, signal);
    const last = lastSnapshot.get(family);
    if (last === undefined || now - last >= options.snapshotInterval) {
      await store.recordKpiSnapshots(
        now,
        Object.entries(values).flatMap(([name, samples]) =>
          samples.map((s) => ({ name, labels: s.labels, value: s.value })),
        ),
      );
      lastSnapshot.set(family, now);
    }
    return report ? { values, report, folded } : { values, folded };
  };
}
