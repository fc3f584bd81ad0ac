import { type Dataset, defaultCheckName } from '../../src/config/catalog-schema.ts';
import { formatDuration } from '../../src/config/duration.ts';
import { type CheckContext, checkKind } from './checks/index.ts';
import { diffColumns } from './schema-diff.ts';
import { openSource } from './sources/index.ts';
import {
  type Aggregate,
  aggregateKey,
  type CheckResult,
  type DatasetRun,
  type ObservedColumn,
  type QualityCheck,
  type QualityHistory,
  SourceError,
  type SourceReader,
} from './types.ts';

export interface RunLimits {
  /** Time for the whole run, every source read included, ms (a source's `timeout` overrides it). */
  timeoutMs: number;
  /** Most rows or keys read into the process per source. */
  maxRows: number;
  /** Most bytes read from an HTTP source. */
  maxBody: number;
}

export interface RunDatasetOptions {
  dataset: Dataset;
  /** Every dataset of the catalog by id, for consistency references. */
  datasets: ReadonlyMap<string, Dataset>;
  history: QualityHistory;
  limits: RunLimits;
  /** Folder relative source paths are resolved against (the config file's). */
  baseDir: string;
  /** Aborts the run (the service stopping). */
  signal?: AbortSignal;
  /** Clock, Unix ms (default Date.now). */
  now?: () => number;
}

/** Source kinds whose columns are declared, so a check naming an unknown column is an error before any scan. */
const DECLARED_COLUMNS = new Set(['sqlite', 'postgres', 'csv']);

function timeoutError(ms: number): Error {
  const error = new Error(`timed out after ${formatDuration(ms)}`);
  error.name = 'TimeoutError';
  return error;
}

/** A message for a failure: the source's own words, or a plain one for anything unexpected. */
function messageOf(error: unknown): string {
  if (error instanceof SourceError) return error.message;
  return `internal error: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * Runs every check of one dataset once: opens its source, reads the columns when a check needs
 * them, computes all the checks' aggregates in one shared pass, and judges each check. Never
 * throws: a source that cannot be read makes every check `error` with the reason; a check that
 * cannot be judged is `error` on its own. The whole run is bounded by the timeout.
 *
 * @example
 * const run = await runDatasetChecks({ dataset, datasets, history, limits, baseDir });
 * for (const r of run.results) console.log(r.check, r.outcome, r.message);
 */
export async function runDatasetChecks(options: RunDatasetOptions): Promise<DatasetRun> {
  const { dataset } = options;
  const now = options.now ?? Date.now;
  const startedAt = now();
  const started = performance.now();
  const timeoutMs = dataset.source?.timeout ?? options.limits.timeoutMs;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(timeoutError(timeoutMs)), timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  const opened: SourceReader[] = [];
  const context = {
    signal,
    baseDir: options.baseDir,
    maxRows: options.limits.maxRows,
    maxBody: options.limits.maxBody,
    timeoutMs,
  };

  const results: CheckResult[] = [];
  const errorResult = (check: QualityCheck, message: string): CheckResult => ({
    check: defaultCheckName(check),
    type: check.type,
    outcome: 'error',
    value: null,
    unit: 'count',
    threshold: {},
    message,
  });
  let columns: ObservedColumn[] | undefined;
  let schemaChanges: DatasetRun['schemaChanges'];

  try {
    if (!dataset.source) {
      for (const check of dataset.checks) results.push(errorResult(check, 'the dataset declares no source'));
      return finish();
    }
    let source: SourceReader;
    try {
      source = await openSource(dataset.source, context);
      opened.push(source);
    } catch (error) {
      for (const check of dataset.checks) results.push(errorResult(check, messageOf(error)));
      return finish();
    }

    const needsColumns =
      DECLARED_COLUMNS.has(dataset.source.type) || dataset.checks.some((c) => c.type === 'schema');
    let columnsError: string | undefined;
    if (needsColumns) {
      try {
        columns = await source.columns();
      } catch (error) {
        columnsError = messageOf(error);
      }
    }

    const runnable: QualityCheck[] = [];
    const verdicts = new Map<QualityCheck, CheckResult>();
    for (const check of dataset.checks) {
      if (
        columnsError !== undefined &&
        (check.type === 'schema' || checkKind(check).columns(check).length > 0)
      ) {
        verdicts.set(check, errorResult(check, columnsError));
        continue;
      }
      if (columns && DECLARED_COLUMNS.has(dataset.source.type)) {
        const known = new Set(columns.map((c) => c.name));
        const unknown = checkKind(check)
          .columns(check)
          .filter((c) => !known.has(c));
        if (unknown.length > 0) {
          const list = columns.map((c) => c.name).join(', ');
          verdicts.set(
            check,
            errorResult(
              check,
              `${source.describe()}: no column ${unknown.map((c) => `"${c}"`).join(', ')} (columns: ${list || 'none'})`,
            ),
          );
          continue;
        }
      }
      runnable.push(check);
    }

    const aggregates = new Map<string, Aggregate>();
    for (const check of runnable)
      for (const a of checkKind(check).aggregates(check)) aggregates.set(aggregateKey(a), a);
    const values = new Map<string, unknown>();
    let passError: string | undefined;
    if (aggregates.size > 0) {
      try {
        const list = [...aggregates.values()];
        const computed = await source.aggregate(list);
        list.forEach((a, i) => {
          values.set(aggregateKey(a), computed[i]);
        });
      } catch (error) {
        passError = messageOf(error);
      }
    }

    const references = new Map<string, Promise<{ dataset: Dataset; source: SourceReader }>>();
    const checkContext = (check: QualityCheck): CheckContext => ({
      datasetId: dataset.id,
      name: defaultCheckName(check),
      value: (a) => values.get(aggregateKey(a)),
      columns: async () => {
        if (!columns) columns = await source.columns();
        return columns;
      },
      source,
      history: options.history,
      now: startedAt,
      reference(id) {
        let entry = references.get(id);
        if (!entry) {
          entry = (async () => {
            const other = options.datasets.get(id);
            if (!other) throw new SourceError(`reference "${id}" is not a dataset of the catalog`);
            if (!other.source) throw new SourceError(`reference "${id}" declares no source`);
            const reader = await openSource(other.source, context);
            opened.push(reader);
            return { dataset: other, source: reader };
          })();
          references.set(id, entry);
        }
        return entry;
      },
    });

    for (const check of dataset.checks) {
      const early = verdicts.get(check);
      if (early) {
        results.push(early);
        continue;
      }
      const kind = checkKind(check);
      if (passError !== undefined && kind.aggregates(check).length > 0) {
        results.push(errorResult(check, passError));
        continue;
      }
      try {
        const verdict = await kind.evaluate(check, checkContext(check));
        results.push({ check: defaultCheckName(check), type: check.type, ...verdict });
      } catch (error) {
        results.push(
          errorResult(
            check,
            signal.aborted && !(error instanceof SourceError)
              ? `${source.describe()}: ${(signal.reason as Error).message}`
              : messageOf(error),
          ),
        );
      }
    }

    if (columns && dataset.checks.some((c) => c.type === 'schema')) {
      const previous = await options.history.lastColumns(dataset.id);
      const changes = previous ? diffColumns(previous, columns) : [];
      if (!previous || changes.length > 0) schemaChanges = changes;
    }
    return finish();
  } finally {
    clearTimeout(timer);
    await Promise.all(opened.map((s) => s.close().catch(() => {})));
  }

  function finish(): DatasetRun {
    return {
      datasetId: dataset.id,
      startedAt,
      durationMs: performance.now() - started,
      results,
      ...(columns && schemaChanges !== undefined ? { columns, schemaChanges } : {}),
    };
  }
}
