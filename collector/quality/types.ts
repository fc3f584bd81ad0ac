import type { Bound, COLUMN_TYPES, DatasetSource, QualityCheck } from '../../src/config/catalog-schema.ts';

export type { Bound, DatasetSource, QualityCheck };

/** `pass`, `warn`, `fail`; `error` when the check could not measure (an unreachable source, a timeout). */
export const QUALITY_OUTCOMES = ['pass', 'warn', 'fail', 'error'] as const;
export type QualityOutcome = (typeof QUALITY_OUTCOMES)[number];

export type ColumnType = (typeof COLUMN_TYPES)[number] | 'other';

/** A column as a source reports it: its name, the logical type and the source's own type name. */
export interface ObservedColumn {
  name: string;
  type: ColumnType;
  /** The type as the source names it (`VARCHAR(64)`, `timestamptz`, `inferred`). */
  sourceType: string;
}

/** What a missing/invalid/duplicates check counts, with the rule an `invalid` value breaks. */
export interface InvalidRule {
  pattern?: string | undefined;
  values?: (string | number | boolean)[] | undefined;
  min?: number | undefined;
  max?: number | undefined;
}

/**
 * One figure a source computes in its single pass over the data. SQL sources turn each into an
 * aggregate expression; file and HTTP sources fold rows into it as they stream by.
 */
export type Aggregate =
  | { kind: 'count' }
  /**
   * The newest timestamp: the largest value of the column (raw: a number, a string or a Date), or
   * without a column what the source itself reports (a CSV drop's file time, an endpoint's field).
   */
  | { kind: 'newest'; column?: string | undefined }
  /** Rows whose column is NULL, absent or the empty string. */
  | { kind: 'missing'; column: string }
  /** Rows whose column has a value that breaks the rule (missing values are not invalid). */
  | { kind: 'invalid'; column: string; rule: InvalidRule }
  | { kind: 'sum'; column: string }
  /** Rows beyond the first of each key: `rows - distinct keys`. */
  | { kind: 'duplicates'; key: string[] };

/** A stable key for an aggregate, so checks that need the same figure share one computation. */
export function aggregateKey(aggregate: Aggregate): string {
  switch (aggregate.kind) {
    case 'count':
      return 'count';
    case 'newest':
      return `newest:${aggregate.column ?? ''}`;
    case 'missing':
    case 'sum':
      return `${aggregate.kind}:${aggregate.column}`;
    case 'duplicates':
      return `duplicates:${aggregate.key.join(',')}`;
    case 'invalid':
      return `invalid:${aggregate.column}:${JSON.stringify(aggregate.rule)}`;
  }
}

/** A source opened for one run. Every read honours the run's signal and bounds. */
export interface SourceReader {
  /** The columns of the dataset as the source reports them now. */
  columns(): Promise<ObservedColumn[]>;
  /** Computes the aggregates, aligned with the request, in as few passes as the source allows. */
  aggregate(aggregates: Aggregate[]): Promise<unknown[]>;
  /**
   * The distinct values of a key, sorted by code point (the order SQLite's BINARY and
   * PostgreSQL's "C" collation give), in batches; multi-column keys are joined with U+001F.
   */
  keys(columns: string[]): AsyncIterable<string[]>;
  /** A short, credential-free description for messages, e.g. `sqlite crm.db (table customers)`. */
  describe(): string;
  close(): Promise<void>;
}

/** What a source needs besides its config. */
export interface SourceContext {
  /** Aborted at the run's timeout or when the service stops. */
  signal: AbortSignal;
  /** The run's timeout in ms, for sources that can also tell the server (PostgreSQL's statement_timeout). */
  timeoutMs: number;
  /** Folder relative paths are resolved against (the config file's). */
  baseDir: string;
  /** Most rows or keys read into the process; more is an error. */
  maxRows: number;
  /** Most response bytes read from an HTTP source. */
  maxBody: number;
}

export type SourceOpener<S extends DatasetSource = DatasetSource> = (
  source: S,
  context: SourceContext,
) => Promise<SourceReader>;

/** A failure of the source (unreachable, timed out, malformed), as opposed to a failed check. */
export class SourceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SourceError';
  }
}

/** One check's result. `value` is in `unit`, the unit the thresholds are written in. */
export interface CheckResult {
  /** The check's name (its `check` label). */
  check: string;
  type: QualityCheck['type'];
  outcome: QualityOutcome;
  /** The measured value compared with the thresholds; null when there is none (an error, no history). */
  value: number | null;
  unit: 'seconds' | 'rows' | 'count' | 'percent' | 'z' | 'differences';
  /** The thresholds as text, e.g. `{ warn: "> 6h", fail: "> 1d" }`. */
  threshold: Record<string, string>;
  /** One line a person can act on. */
  message: string;
  /** Rows the check looked at, when it counted them. */
  rows?: number | undefined;
  /**
   * The raw measurement later runs compare with: newest timestamp (Unix ms) for freshness, the
   * row count for row_count, the watched figure for anomaly.
   */
  observed?: number | undefined;
  /** Per-kind detail: counts, ratios, the schema diff, samples of mismatched keys. */
  details?: Record<string, unknown> | undefined;
}

/** A change of one column between two observations of a dataset's schema. */
export interface SchemaChange {
  column: string;
  change: 'added' | 'removed' | 'retyped';
  from?: string | undefined;
  to?: string | undefined;
}

/** Everything one run of a dataset's checks produced. */
export interface DatasetRun {
  datasetId: string;
  startedAt: number;
  durationMs: number;
  results: CheckResult[];
  /** The columns observed in this run, when a check read them. */
  columns?: ObservedColumn[] | undefined;
  /** Changes from the previously stored schema, when the columns changed. */
  schemaChanges?: SchemaChange[] | undefined;
}

/** What the runner needs to know about earlier runs; the service answers it from the store. */
export interface QualityHistory {
  /** Observed values of a check's last successful (non-error) runs, newest first. */
  observed(datasetId: string, check: string, limit: number): Promise<number[]>;
  /** The columns stored at the last observation of the dataset's schema. */
  lastColumns(datasetId: string): Promise<ObservedColumn[] | undefined>;
}
