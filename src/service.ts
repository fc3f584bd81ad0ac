import { openStore, PRUNABLE_KINDS, type Store } from '../db/index.ts';
import { createScheduler, retentionJob, type Scheduler } from '../jobs/index.ts';
import { applyCatalog, describeApply } from './catalog/index.ts';
import type { Config } from './config/index.ts';
import type { Logger } from './logger.ts';
import { createJobMetrics, registerCatalogMetrics } from './metrics/index.ts';
import { createApp, type HttpServer, startHttpServer } from './server/index.ts';
import { startTelemetry, type Telemetry } from './telemetry/index.ts';
import { VERSION } from './version.ts';

export interface RunningService {
  url: string;
  store: Store;
  scheduler: Scheduler;
  telemetry: Telemetry;
  /** Graceful stop: stop accepting, finish in-flight requests and jobs within the shutdown bound, close the store. */
  stop(): Promise<void>;
}

/**
 * Wires everything at the edge: store (migrated), catalog applied from the config, telemetry,
 * scheduler with its jobs, HTTP server. The only place that knows all the parts.
 */
export async function startService(config: Config, logger: Logger): Promise<RunningService> {
  const { settings } = config;
  const store = openStore({
    path: settings.storage.path,
    busyTimeout: settings.storage.busyTimeout,
    synchronous: settings.storage.synchronous,
  });
  let telemetry: Telemetry | undefined;
  let scheduler: Scheduler | undefined;
  let server: HttpServer | undefined;
  try {
    const applied = await applyCatalog(store, config, { source: config.file });
    logger.info(
      { file: config.file, revision: applied.revision, changes: describeApply(applied) },
      applied.changed ? 'catalog applied' : 'catalog unchanged',
    );

    telemetry = startTelemetry({
      serviceVersion: VERSION,
      cardinalityLimit: settings.limits.metricLabelSets,
    });
    registerCatalogMetrics(telemetry.gauges, store);
    const jobMetrics = createJobMetrics(telemetry.meter);

    const jobs = createScheduler({
      logger,
      onRun: async (run) => {
        jobMetrics.record(run);
        await store.recordJobRun(run);
      },
    });
    scheduler = jobs;
    jobs.add(
      retentionJob({
        store,
        schedule: settings.schedules.retention,
        windows: Object.fromEntries(PRUNABLE_KINDS.map((k) => [k, settings.retention[k]])) as Record<
          (typeof PRUNABLE_KINDS)[number],
          number
        >,
        batchSize: settings.retention.batchSize,
      }),
    );
    for (const name of jobs.jobNames()) jobMetrics.register(name, await store.lastJobSuccess(name));

    const app = createApp({
      config,
      store,
      telemetry,
      logger,
      schedulerRunning: () => jobs.isRunning(),
      version: VERSION,
    });
    server = await startHttpServer({
      fetch: app.fetch,
      host: settings.server.host,
      port: settings.server.port,
      requestTimeout: settings.server.requestTimeout,
      logger,
    });
    jobs.start();
  } catch (error) {
    await scheduler?.stop(0);
    await telemetry?.shutdown();
    await store.close();
    throw error;
  }

  const running = { server, scheduler, telemetry };
  let stopping: Promise<void> | undefined;
  return {
    url: server.url,
    store,
    scheduler,
    telemetry,
    stop() {
      stopping ??= (async () => {
        const timeout = settings.server.shutdownTimeout;
        await Promise.all([running.server.close(timeout), running.scheduler.stop(timeout)]);
        await running.telemetry
          .shutdown()
          .catch((error) => logger.warn({ err: error }, 'telemetry shutdown failed'));
        await store.close();
      })();
      return stopping;
    },
  };
}
