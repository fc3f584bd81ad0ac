import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../command.ts';
import { configPath, dbPath, loadOrReport } from '../config-file.ts';

export const applyCommand: Command = {
  name: 'apply',
  summary: 'Upsert the catalog from a file into the store',
  usage: `Usage: ecotone apply -f FILE [--db PATH]

Validates FILE and applies its catalog to the store like "kubectl apply": new entries are
created, changed ones updated, entries missing from the file are retired (kept with their
history) and entries that come back are restored. Applying the same file twice changes nothing.

Options:
  -f, --file FILE   the ecosystem.yaml to apply (default: $ECOTONE_CONFIG or ./ecosystem.yaml)
      --db PATH     SQLite file to apply to (default: settings.storage.path of FILE)
  -h, --help        show this help`,
  options: { file: { type: 'string', short: 'f' }, db: { type: 'string' } },
  async run({ values, positionals }, io) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}" (use -f FILE)`);
    const file = configPath(values.file as string | undefined, io);
    const config = await loadOrReport(file, io);
    if (!config) return EXIT.failure;
    const db = values.db as string | undefined;
    const path = db === undefined ? config.settings.storage.path : dbPath(db, io);
    const [{ openStore }, { applyCatalog, describeApply }] = await Promise.all([
      import('../../../db/index.ts'),
      import('../../catalog/index.ts'),
    ]);
    const store = openStore({
      path,
      busyTimeout: config.settings.storage.busyTimeout,
      synchronous: config.settings.storage.synchronous,
    });
    try {
      const result = await applyCatalog(store, config, { source: file });
      if (!result.changed) {
        io.stdout(`${file}: catalog unchanged (${path})\n`);
      } else {
        io.stdout(`${file}: applied as revision ${result.revision} (${path})\n`);
        for (const line of describeApply(result)) io.stdout(`  ${line}\n`);
      }
      return EXIT.ok;
    } finally {
      await store.close();
    }
  },
};
