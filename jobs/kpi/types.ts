import type { KpiMethods, Store } from '../../db/index.ts';

/** One series of a KPI: its labels (from the catalog only) and its value. */
export interface KpiSample {
  labels: Record<string, string>;
  value: number;
}

/** KPI values by KPI name (the metric name without `ecotone_`), as one job computed them. */
export type KpiValues = Record<string, KpiSample[]>;

/** The store methods the KPI jobs use. */
export type KpiStore = KpiMethods &
  Pick<Store, 'list' | 'getValueModel' | 'catalogRevision' | 'listStatusStates' | 'availability'>;

export const KPI_FAMILIES = ['participation', 'usage', 'value', 'qualitative', 'health'] as const;
export type KpiFamily = (typeof KPI_FAMILIES)[number];

/**
 * What the KPI runner does: a family's run, or `fold`, which folds every family's new events
 * and computes nothing (the `kpi:fold` job, between the family runs).
 */
export type KpiTask = KpiFamily | 'fold';

export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** Start of the UTC day `at` falls in. */
export const dayStart = (at: number) => Math.floor(at / DAY) * DAY;
