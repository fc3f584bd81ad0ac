import type { CheckResult, DatasetRun } from '../../../collector/quality/index.ts';
import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../command.ts';
import { configPath, dbPath, loadOrReport } from '../config-file.ts';

const UNITS: Record<CheckResult['unit'], string> = {
  seconds: 's',
  rows: 'rows',
  count: '',
  percent: '%',
  z: 'z',
  differences: 'diff',
};

function formatValue(result: CheckResult): string {
  if (result.value === null) return '-';
  const v = Math.round(result.value * 100) / 100;
  if (result.unit === 'z') return `z=${v}`;
  if (result.unit === 'percent') return `${v}%`;
  return UNITS[result.unit] ? `${v} ${UNITS[result.unit]}` : String(v);
}

/** The results as an aligned table, one check a line. */
export function formatRunTable(run: DatasetRun): string {
  const rows = run.results.map((r) => [
    r.check,
    r.outcome,
    formatValue(r),
    Object.entries(r.threshold)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || '-',
    r.message,
  ]);
  const header = ['CHECK', 'OUTCOME', 'VALUE', 'THRESHOLD', 'MESSAGE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export const checkCommand: Command = {
  name: 'check',
  summary: "Run datasets' quality checks once and print the results",
  usage: `Usage: ecotone check DATASET... [-c FILE] [--db PATH] [--dry-run]
       ecotone check --all [-c FILE] [--db PATH] [--dry-run]

Runs the quality checks DATASET declares in FILE (default: $ECOTONE_CONFIG or ./ecosystem.yaml)
once and prints a table: check, outcome (pass, warn, fail, error), measured value, thresholds
and a message. Earlier results in the store give row_count's change and the anomaly history, and
the new results are stored there too (the service's own history), unless --dry-run.

Exit code 0 when every check passes or warns, 1 when any fails or errors (so a pipeline can be
gated on it), 2 on a wrong command line.

Options:
  -c, --config FILE   the ecosystem.yaml that declares the datasets
      --db PATH       SQLite file with the quality history (default: settings.storage.path)
      --all           every dataset that declares checks
      --dry-run       do not store the results
  -h, --help          show this help`,
  options: {
    config: { type: 'string', short: 'c' },
    db: { type: 'string' },
    all: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (values.all && positionals.length > 0) throw new UsageError('expected dataset ids or --all, not both');
    if (!values.all && positionals.length === 0) throw new UsageError('expected a dataset id (or --all)');
    const config = await loadOrReport(configPath(values.config as string | undefined, io), io);
    if (!config) return EXIT.failure;
    const ids = values.all
      ? config.datasets.filter((d) => d.checks.length > 0).map((d) => d.id)
      : positionals;
    for (const id of ids) {
      const dataset = config.datasets.find((d) => d.id === id);
      if (!dataset) {
        io.stderr(`ecotone check: no dataset "${id}" in ${config.file}\n`);
        return EXIT.failure;
      }
      if (dataset.checks.length === 0) {
        io.stderr(`ecotone check: dataset "${id}" declares no checks\n`);
        return EXIT.failure;
      }
    }
    if (values.db !== undefined) config.settings.storage.path = dbPath(values.db as string, io);
    const [{ pino }, { openQualityStore }, { startQuality }] = await Promise.all([
      import('pino'),
      import('../../quality/store.ts'),
      import('../../quality/index.ts'),
    ]);
    const store = openQualityStore({
      path: config.settings.storage.path,
      busyTimeout: config.settings.storage.busyTimeout,
      synchronous: config.settings.storage.synchronous,
    });
    try {
      const target = values['dry-run'] ? { ...store, recordQualityRun: async () => {} } : store;
      const quality = await startQuality({ config, store: target, logger: pino({ level: 'silent' }) });
      let failed = false;
      for (const [i, id] of ids.entries()) {
        const run = (await quality.run(id)) as DatasetRun;
        const counts = ['pass', 'warn', 'fail', 'error']
          .map((o) => [o, run.results.filter((r) => r.outcome === o).length] as const)
          .filter(([, n]) => n > 0)
          .map(([o, n]) => `${n} ${o}`)
          .join(', ');
        io.stdout(
          `${i > 0 ? '\n' : ''}dataset ${id}: ${counts} (${Math.round(run.durationMs)} ms)\n${formatRunTable(run)}\n`,
        );
        if (run.results.some((r) => r.outcome === 'fail' || r.outcome === 'error')) failed = true;
      }
      return failed ? EXIT.failure : EXIT.ok;
    } finally {
      await store.close();
    }
  },
};
