import type { Config } from '../config/index.ts';
import type { Logger } from '../logger.ts';
import { type CommandIo, EXIT } from './command.ts';

export interface ServeOptions {
  /** Started before the service; stopped after it. */
  companion?: { start: () => Promise<{ stop: () => Promise<void> }>; describe?: string };
  /** Started once the service listens, with its URL; stopped before the service stops. */
  attached?: (context: { url: string; logger: Logger }) => Promise<{ stop: () => Promise<void> }>;
  /** Extra fields for the "listening" log line. */
  extra?: Record<string, unknown>;
}

/**
 * Runs the service until SIGTERM or SIGINT, then stops it gracefully. Resolves with the exit code.
 * Loaded lazily so the other commands start without the OpenTelemetry SDK and the server.
 */
export async function serveUntilSignal(
  config: Config,
  io: CommandIo,
  options: ServeOptions = {},
): Promise<number> {
  const [{ createLogger }, { startService }] = await Promise.all([
    import('../logger.ts'),
    import('../service.ts'),
  ]);
  const logger = createLogger({ level: config.settings.log.level });
  let companion: { stop: () => Promise<void> } | undefined;
  let service: Awaited<ReturnType<typeof startService>>;
  try {
    companion = await options.companion?.start();
    service = await startService(config, logger);
  } catch (error) {
    await companion?.stop();
    logger.fatal({ err: error }, 'could not start');
    logger.flush();
    io.stderr(`ecotone: could not start: ${(error as Error).message}\n`);
    return EXIT.failure;
  }
  const { url } = service;
  let attached: { stop: () => Promise<void> } | undefined;
  try {
    attached = await options.attached?.({ url, logger });
  } catch (error) {
    logger.fatal({ err: error }, 'could not start');
    await service.stop();
    await companion?.stop();
    logger.flush();
    io.stderr(`ecotone: could not start: ${(error as Error).message}\n`);
    return EXIT.failure;
  }
  logger.info(
    {
      url,
      metrics: `${url}/metrics`,
      api: `${url}/api/v1`,
      db: config.settings.storage.path,
      ...options.extra,
    },
    `ecotone listening on ${url}`,
  );

  return new Promise<number>((done) => {
    const shutdown = (signal: string) => {
      logger.info({ signal }, 'shutting down');
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      Promise.resolve(attached?.stop())
        .then(() => service.stop())
        .then(() => companion?.stop())
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
}
