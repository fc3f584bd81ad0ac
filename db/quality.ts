/**
 * The data-quality part of the storage boundary: check results and observed dataset schemas.
 * Types here mirror what `collector/quality` produces without importing it (the store depends on
 * no collector). Times are Unix milliseconds.
 */

export const QUALITY_OUTCOMES = ['pass', 'warn', 'fail', 'error'] as const;
export type StoredQualityOutcome = (typeof QUALITY_OUTCOMES)[number];

/** One check's result in one run. */
export interface QualityResultRecord {
  check: string;
  type: string;
  outcome: StoredQualityOutcome;
  value: number | null;
  unit: string;
  threshold: Record<string, string>;
  message: string;
  rows?: number | undefined;
  observed?: number | undefined;
  details?: Record<string, unknown> | undefined;
}

export interface ColumnRecord {
  name: string;
  type: string;
  sourceType: string;
}

export interface SchemaChangeRecord {
  column: string;
  change: 'added' | 'removed' | 'retyped';
  from?: string | undefined;
  to?: string | undefined;
}

/** Everything one run of a dataset's checks writes, in one transaction. */
export interface QualityRunRecord {
  datasetId: string;
  startedAt: number;
  durationMs: number;
  results: QualityResultRecord[];
  /** Set when the run observed columns that differ from the stored ones (or none were stored). */
  columns?: ColumnRecord[] | undefined;
  schemaChanges?: SchemaChangeRecord[] | undefined;
}

export interface StoredQualityResult extends QualityResultRecord {
  id: number;
  datasetId: string;
  runAt: number;
  durationMs: number;
}

export interface StoredSchemaObservation {
  datasetId: string;
  observedAt: number;
  columns: ColumnRecord[];
  /** Empty for the first observation. */
  changes: SchemaChangeRecord[];
}

export interface QualityMethods {
  /**
   * Writes a run's results, and its observed columns when `columns` and `schemaChanges` are set,
   * in one transaction.
   */
  recordQualityRun(run: QualityRunRecord): Promise<void>;
  /** The latest result of every check, optionally of one dataset, by dataset then check. */
  latestQualityResults(query?: { datasetId?: string }): Promise<StoredQualityResult[]>;
  /** Results of one dataset (optionally one check), newest first. */
  listQualityResults(query: {
    datasetId: string;
    check?: string;
    limit: number;
  }): Promise<StoredQualityResult[]>;
  /** `observed` of a check's latest non-error results that have one, newest first. */
  qualityObservations(query: { datasetId: string; check: string; limit: number }): Promise<number[]>;
  /** The latest observed columns of a dataset. */
  lastDatasetSchema(datasetId: string): Promise<StoredSchemaObservation | undefined>;
  /** Schema changes of a dataset (observations with changes), newest first. */
  listSchemaChanges(query: { datasetId: string; limit: number }): Promise<StoredSchemaObservation[]>;
  /** How many schema changes each dataset has had, for datasets with at least one. */
  countSchemaChanges(): Promise<{ datasetId: string; changes: number }[]>;
}
