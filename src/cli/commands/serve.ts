import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../command.ts';
import { configPath, dbPath, loadOrReport } from '../config-file.ts';

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

    // Loaded here so the other commands start without the OpenTelemetry SDK and the server.
    const [{ createLogger }, { startService }] = await Promise.all([
      import('../../logger.ts'),
      import('../../service.ts'),
    ]);
    const logger = createLogger({ level: config.settings.log.level });
    let service: Awaited<ReturnType<typeof startService>>;
    try {
      service = await startService(config, logger);
    } catch (error) {
      logger.fatal({ err: error }, 'could not start');
      logger.flush();
      io.stderr(`ecotone: could not start: ${(error as Error).message}\n`);
      return EXIT.failure;
    }
    logger.info(
      { url: service.url, metrics: `${service.url}/metrics`, api: `${service.url}/api/v1`, db: storage.path },
      `ecotone listening on ${service.url}`,
    );

    return new Promise<number>((done) => {
      const shutdown = (signal: string) => {
        logger.info({ signal }, 'shutting down');
        process.off('SIGTERM', onTerm);
        process.off('SIGINT', onInt);
        service
          .stop()
          .then(() => {
            logger.info('stopped');
            done(EXIT.ok);
          })
          .catch((error) => {
            logger.error({ err: error }, 'shutdown failed');
            done(EXIT.failure);
          })
          .finally(() => logger.flush());
      };
      const onTerm = () => shutdown('SIGTERM');
      const onInt = () => shutdown('SIGINT');
      process.on('SIGTERM', onTerm);
      process.on('SIGINT', onInt);
    });
  },
};
