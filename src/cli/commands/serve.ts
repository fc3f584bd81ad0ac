import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../command.ts';
import { configPath, dbPath, loadOrReport } from '../config-file.ts';
import { serveUntilSignal } from '../run-service.ts';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run the service: HTTP API, /metrics, scheduled jobs',
  usage: `Usage: ecotone serve [-c FILE] [--host HOST] [--port PORT] [--db PATH]

Loads FILE, migrates the store, applies the catalog and serves /metrics, /healthz, /readyz and the
API under /api/v1 until SIGTERM or SIGINT, then shuts down gracefully.

Options:
  -c, --config FILE   ecosystem.yaml to run (default: $ECOTONE_CONFIG or ./ecosystem.yaml)
      --host HOST     listen address (overrides settings.server.host)
  -p, --port PORT     listen port (overrides settings.server.port; 0 picks a free one)
      --db PATH       SQLite file (overrides settings.storage.path)
  -h, --help          show this help`,
  options: {
    config: { type: 'string', short: 'c' },
    host: { type: 'string' },
    port: { type: 'string', short: 'p' },
    db: { type: 'string' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}" (use -c FILE)`);
    const port = values.port === undefined ? undefined : Number(values.port);
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65_535))
      throw new UsageError(`--port: expected a port number 0-65535, found "${values.port}"`);
    const file = configPath(values.config as string | undefined, io);
    const config = await loadOrReport(file, io);
    if (!config) return EXIT.failure;
    const { server, storage } = config.settings;
    if (values.host !== undefined) server.host = values.host as string;
    if (port !== undefined) server.port = port;
    if (values.db !== undefined) storage.path = dbPath(values.db as string, io);

    return serveUntilSignal(config, io);
  },
};
