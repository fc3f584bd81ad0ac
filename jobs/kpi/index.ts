import type { Job } from '../scheduler.ts';
import { createKpiCatalog, type KpiCatalog } from './catalog.ts';
import { createKpiFold } from './fold.ts';
import { computeHealth, type HealthReport, type HealthSettings, type QualityBySystem } from './health.ts';
import { computeParticipation } from './participation.ts';
import { computeQualitative } from './qualitative.ts';
import { KPI_FAMILIES, type KpiFamily, type KpiStore, type KpiValues } from './types.ts';
import { computeUsage } from './usage.ts';
import { computeValue } from './value.ts';

export { createKpiCatalog, type KpiCatalog } from './catalog.ts';
export { createKpiFold } from './fold.ts';
export type { HealthReport } from './health.ts';
export type { HealthComponent, HealthExplanation } from './health-score.ts';
export { affectedIntegrations, type BlastRadius, blastRadius, revenueThrough } from './impact.ts';
export { KPI_FAMILIES, type KpiFamily, type KpiSample, type KpiStore, type KpiValues } from './types.ts';

/** The job name of a KPI family, e.g. `kpi:usage`. */
export const kpiJobName = (family: KpiFamily) => `kpi:${family}`;

export interface KpiJobsOptions {
  store: KpiStore;
  schedules: Record<KpiFamily, string>;
  /** ms; see settings.kpis.lateness. */
  lateness: number;
  batchSize: number;
  /** Least ms between two stored snapshots of one family. */
  snapshotInterval: number;
  health: HealthSettings;
  quality?: QualityBySystem | undefined;
  /** Receives each family's values after each run (and the health report for `health`). */
  publish: (family: KpiFamily, values: KpiValues, at: number, report?: HealthReport) => void;
}

/**
 * One scheduled job per KPI family, `kpi:participation`, `kpi:usage`, `kpi:value`,
 * `kpi:qualitative` and `kpi:health`. Each starts with the shared incremental fold (new events
 * and sealed request minutes into the rollups, once whichever job runs first), computes its KPIs
 * from the rollups, publishes them and stores a snapshot at most every `snapshotInterval`.
 *
 * @example
 * for (const job of kpiJobs({ store, schedules, …, publish: state.publish })) scheduler.add(job);
 */
export function kpiJobs(options: KpiJobsOptions): Job[] {
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

  return KPI_FAMILIES.map((family) => ({
    name: kpiJobName(family),
    schedule: options.schedules[family],
    async run({ now, signal, logger }) {
      const folded = await fold(now, signal);
      if (folded.events > 0 || folded.minutes > 0) logger.debug(folded, 'kpi rollups folded');
      const { values, report } = await compute[family](await catalog(), now, signal);
      options.publish(family, values, now, report);
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
    },
  }));
}
