import type { Dataset } from '../../../src/config/catalog-schema.ts';
import type {
  Aggregate,
  CheckResult,
  ObservedColumn,
  QualityCheck,
  QualityHistory,
  SourceReader,
} from '../types.ts';

/** What a check sees while it is judged. */
export interface CheckContext {
  datasetId: string;
  /** The check's name. */
  name: string;
  /** The value of an aggregate computed in the run's shared pass. */
  value(aggregate: Aggregate): unknown;
  /** The dataset's columns as observed in this run. */
  columns(): Promise<ObservedColumn[]>;
  source: SourceReader;
  /** Opens another dataset's source for this run (consistency); closed by the runner. */
  reference(datasetId: string): Promise<{ dataset: Dataset; source: SourceReader }>;
  history: QualityHistory;
  /** When the run started, Unix ms. */
  now: number;
}

/** A result without the name and type the runner adds. */
export type Verdict = Omit<CheckResult, 'check' | 'type'>;

/**
 * One kind of check: which aggregates it needs from the shared pass (so a SQL source computes all
 * checks' figures in one scan), which columns it reads, and how it judges.
 */
export interface CheckKind<C extends QualityCheck = QualityCheck> {
  aggregates(check: C): Aggregate[];
  /** Columns of this dataset the check reads; each must exist (sources with declared columns). */
  columns(check: C): string[];
  evaluate(check: C, context: CheckContext): Promise<Verdict>;
}

export type CheckOf<T extends QualityCheck['type']> = Extract<QualityCheck, { type: T }>;
