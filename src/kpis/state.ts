import type { HealthReport, KpiFamily, KpiSample, KpiValues } from '../../jobs/kpi/index.ts';
import { KPI_BY_NAME } from './definitions.ts';

/** The latest result of each KPI family, as the metrics and the API read it. */
export interface KpiState {
  publish(family: KpiFamily, values: KpiValues, at: number, report?: HealthReport): void;
  /** The latest samples of a KPI and when they were computed; undefined before its first run. */
  get(name: string): { samples: KpiSample[]; at: number } | undefined;
  health(): HealthReport | undefined;
}

/**
 * In-memory latest KPI values. Each family replaces its own values at once, so a scrape never
 * sees half a run.
 *
 * @example
 * const state = createKpiState();
 * state.publish('usage', values, Date.now());
 */
export function createKpiState(): KpiState {
  const latest = new Map<string, { samples: KpiSample[]; at: number }>();
  let report: HealthReport | undefined;
  return {
    publish(_family, values, at, health) {
      for (const [name, samples] of Object.entries(values))
        if (KPI_BY_NAME.has(name)) latest.set(name, { samples, at });
      if (health) report = health;
    },
    get: (name) => latest.get(name),
    health: () => report,
  };
}
