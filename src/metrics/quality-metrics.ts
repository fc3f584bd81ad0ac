import type { Attributes } from '@opentelemetry/api';
import type { StoredQualityOutcome, StoredQualityResult } from '../../db/quality.ts';
import type { GaugeSample, SnapshotGauges } from '../telemetry/index.ts';

/** `ecotone_quality_check_status` values. */
export const QUALITY_STATUS_VALUES: Record<StoredQualityOutcome, number> = {
  pass: 0,
  warn: 1,
  fail: 2,
  error: 3,
};

export interface QualityMetricsSource {
  /** Datasets in the catalog with checks, and the system each belongs to. */
  datasets(): ReadonlyMap<string, { system: string }>;
  /** The latest result of each check, per dataset. */
  latest(): ReadonlyMap<string, ReadonlyMap<string, StoredQualityResult>>;
  /** Schema changes recorded per dataset (stored, so they survive restarts). */
  schemaChanges(): ReadonlyMap<string, number>;
  /** Clock for freshness, Unix ms (default Date.now). */
  now?: () => number;
}

const num = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/**
 * Data-quality metrics, read at each scrape from the latest result of every check. Each series
 * carries `dataset` and `system`; a dataset that leaves the catalog leaves every series. An
 * `error` result exports only its status (3): there is no measured value to show.
 *
 * Freshness is computed at the scrape, from the newest timestamp the last run saw, so it keeps
 * growing between runs as the data ages.
 */
export function registerQualityMetrics(gauges: SnapshotGauges, source: QualityMetricsSource): void {
  gauges.register(
    [
      {
        name: 'ecotone_dataset_freshness_seconds',
        description:
          'Age of the newest record of the dataset, as of the scrape (the oldest over its freshness checks).',
      },
      { name: 'ecotone_dataset_rows', description: 'Rows in the dataset at its last quality run.' },
      {
        name: 'ecotone_dataset_completeness_ratio',
        description:
          'Share of rows whose column is present (not NULL or empty), per column with a missing check.',
      },
      {
        name: 'ecotone_dataset_duplicate_ratio',
        description: 'Share of rows that repeat a key (the highest over its duplicates checks).',
      },
      {
        name: 'ecotone_dataset_consistency_delta_ratio',
        description: 'Relative difference from the reference dataset (0 equal, 1 nothing in common).',
      },
      {
        name: 'ecotone_dataset_schema_changes_total',
        description: 'Runs that found the columns of the dataset changed (added, removed or retyped).',
        type: 'counter',
      },
      {
        name: 'ecotone_quality_check_status',
        description: 'Outcome of the last run of the check: 0 pass, 1 warn, 2 fail, 3 error.',
      },
    ],
    async () => {
      const now = (source.now ?? Date.now)();
      const freshness: GaugeSample[] = [];
      const rows: GaugeSample[] = [];
      const completeness: GaugeSample[] = [];
      const duplicates: GaugeSample[] = [];
      const consistency: GaugeSample[] = [];
      const changes: GaugeSample[] = [];
      const status: GaugeSample[] = [];
      const latest = source.latest();
      const schemaChanges = source.schemaChanges();
      for (const [dataset, { system }] of source.datasets()) {
        const base: Attributes = { dataset, system };
        const results = latest.get(dataset);
        changes.push({ attributes: base, value: schemaChanges.get(dataset) ?? 0 });
        if (!results) continue;
        let age: number | undefined;
        let rowCount: { at: number; rows: number; preferred: boolean } | undefined;
        let duplicateRatio: number | undefined;
        const byColumn = new Map<string, number>();
        const byReference = new Map<string, number>();
        for (const result of [...results.values()].sort((a, b) => (a.check < b.check ? -1 : 1))) {
          status.push({
            attributes: { ...base, check: result.check },
            value: QUALITY_STATUS_VALUES[result.outcome],
          });
          if (result.outcome === 'error') continue;
          const details = result.details ?? {};
          if (result.type === 'freshness' && result.observed !== undefined)
            age = Math.max(age ?? 0, Math.max(0, (now - result.observed) / 1000));
          if (result.rows !== undefined) {
            const preferred = result.type === 'row_count';
            if (
              !rowCount ||
              result.runAt > rowCount.at ||
              (result.runAt === rowCount.at && preferred && !rowCount.preferred)
            )
              rowCount = { at: result.runAt, rows: result.rows, preferred };
          }
          const ratio = num(details.completeness);
          if (result.type === 'missing' && ratio !== undefined && typeof details.column === 'string')
            byColumn.set(details.column, Math.min(byColumn.get(details.column) ?? 1, ratio));
          const dup = num(details.ratio);
          if (result.type === 'duplicates' && dup !== undefined)
            duplicateRatio = Math.max(duplicateRatio ?? 0, dup);
          if (result.type === 'consistency' && dup !== undefined && typeof details.reference === 'string')
            byReference.set(details.reference, Math.max(byReference.get(details.reference) ?? 0, dup));
        }
        for (const [column, value] of byColumn) completeness.push({ attributes: { ...base, column }, value });
        for (const [reference, value] of byReference)
          consistency.push({ attributes: { ...base, reference }, value });
        if (age !== undefined) freshness.push({ attributes: base, value: age });
        if (rowCount) rows.push({ attributes: base, value: rowCount.rows });
        if (duplicateRatio !== undefined) duplicates.push({ attributes: base, value: duplicateRatio });
      }
      return {
        ecotone_dataset_freshness_seconds: freshness,
        ecotone_dataset_rows: rows,
        ecotone_dataset_completeness_ratio: completeness,
        ecotone_dataset_duplicate_ratio: duplicates,
        ecotone_dataset_consistency_delta_ratio: consistency,
        ecotone_dataset_schema_changes_total: changes,
        ecotone_quality_check_status: status,
      };
    },
  );
}
