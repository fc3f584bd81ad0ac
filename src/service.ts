import { openStore, PRUNABLE_KINDS, type PrunableKind, type Store } from '../db/index.ts';
import { availabilityJob, createScheduler, retentionJob, type Scheduler } from '../jobs/index.ts';
import { createKpiCatalog } from '../jobs/kpi/index.ts';
import { applyCatalog, describeApply } from './catalog/index.ts';
import type { Config } from './config/index.ts';
import { type Ingest, startIngest } from './ingest/index.ts';
import { startKpis } from './kpis/index.ts';
import type { Logger } from './logger.ts';
import { createIntegrationLabelCache, createJobMetrics, registerCatalogMetrics } from './metrics/index.ts';
import { createNotifier, type Notifier } from './notifications/index.ts';
import { type Probing, startProbing } from './probing/index.ts';
import { startQuality } from './quality/index.ts';
import { authOptions, createApp, type HttpServer, startHttpServer } from './server/index.ts';
import { startTelemetry, type Telemetry } from './telemetry/index.ts';
import { VERSION } from './version.ts';

export interface RunningService {
  url: string;
  store: Store;
  scheduler: Scheduler;
  telemetry: Telemetry;
  probing: Probing;
  notifier: Notifier;
  ingest: Ingest;
  /** Graceful stop: stop accepting, finish in-flight requests, probes and jobs within the shutdown bound, close the store. */
  stop(): Promise<void>;
}

/**
 * Wires everything at the edge: store (migrated), catalog applied from the config, telemetry,
 * prober, notifier, scheduler with its jobs, HTTP server. The only place that knows all the parts.
 */
export async function startService(config: Config, logger: Logger): Promise<RunningService> {
  const { settings } = config;
  const store = openStore({
    path: settings.storage.path,
    busyTimeout: settings.storage.busyTimeout,
    synchronous: settings.storage.synchronous,
  });
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse())
      await stop().catch((error) => logger.warn({ err: error }, 'stop failed'));
    await store.close();
  };
  try {
    const applied = await applyCatalog(store, config, { source: config.file });
    logger.info(
      { file: config.file, revision: applied.revision, changes: describeApply(applied) },
      applied.changed ? 'catalog applied' : 'catalog unchanged',
    );

    const telemetry = startTelemetry({
      serviceVersion: VERSION,
      cardinalityLimit: settings.limits.metricLabelSets,
      onCollectError: (error, families) =>
        logger.warn({ err: error, families }, 'metrics: could not read gauges'),
      tracing: settings.tracing,
      otlpMetrics: settings.otlpMetrics,
    });
    stops.push(() => telemetry.shutdown());
    const labels = createIntegrationLabelCache(store);
    registerCatalogMetrics(telemetry.gauges, store, labels);
    const jobMetrics = createJobMetrics(telemetry.meter);

    const notifier = createNotifier({
      store,
      channels: () => config.notifications.channels,
      settings: settings.notifications,
      logger: logger.child({ component: 'notifier' }),
    });
    notifier.start();
    stops.push(() => notifier.stop(settings.server.shutdownTimeout));

    const prober = await startProbing({
      store,
      settings,
      telemetry,
      labels,
      logger,
      notifications: { channels: () => config.notifications.channels, maintenance: () => config.maintenance },
      onNotificationsQueued: () => notifier.wake(),
    });
    stops.push(() => prober.stop(settings.server.shutdownTimeout));

    const quality = await startQuality({
      config,
      store,
      logger: logger.child({ component: 'quality' }),
      gauges: telemetry.gauges,
    });
    stops.push(() => quality.stop());

    const kpis = startKpis({
      store,
      settings,
      gauges: telemetry.gauges,
      quality: () => quality.health().systems,
      worker:
        settings.storage.path === ':memory:'
          ? undefined
          : {
              store: {
                path: settings.storage.path,
                busyTimeout: settings.storage.busyTimeout,
                synchronous: settings.storage.synchronous,
                cacheSize: settings.kpis.cacheSize,
              },
              logger: logger.child({ component: 'kpis' }),
            },
    });
    // Pushed before the scheduler's stop, so it runs after it: the job in flight ends first.
    stops.push(() => kpis.stop(settings.server.shutdownTimeout));

    const ingest = await startIngest({
      store,
      settings,
      gauges: telemetry.gauges,
      labels,
      logger,
    });
    stops.push(() => ingest.stop());

    const jobs = createScheduler({
      logger,
      onRun: async (run) => {
        jobMetrics.record(run);
        await store.recordJobRun(run);
      },
    });
    jobs.add(
      retentionJob({
        store,
        schedule: settings.schedules.retention,
        windows: Object.fromEntries(PRUNABLE_KINDS.map((k) => [k, settings.retention[k]])) as Record<
          PrunableKind,
          number
        >,
        batchSize: settings.retention.batchSize,
      }),
    );
    jobs.add(
      availabilityJob({
        store,
        schedule: settings.schedules.availability,
        publish: (t) => prober.publishAvailability(t),
      }),
    );
    for (const job of quality.jobs) jobs.add(job);
    for (const job of kpis.jobs) jobs.add(job);
    for (const name of jobs.jobNames()) jobMetrics.register(name, await store.lastJobSuccess(name));
    stops.push(() => jobs.stop(settings.server.shutdownTimeout));

    const app = createApp({
      config,
      store,
      telemetry,
      logger,
      schedulerRunning: () => jobs.isRunning(),
      version: VERSION,
      status: { probing: prober, labels, maintenance: () => config.maintenance },
      auth: authOptions(store, settings.auth, {
        onReject: (reason, path) => {
          if (path.startsWith('/v1/'))
            ingest.totals.reject(path === '/v1/traces' ? 'traces' : 'events', reason);
        },
      }),
      ingest: ingest.routes,
      edges: { onCatalogChanged: ingest.catalogChanged },
      kpis: { state: kpis.state, catalog: createKpiCatalog(store) },
    });
    const server: HttpServer = await startHttpServer({
      fetch: app.fetch,
      host: settings.server.host,
      port: settings.server.port,
      requestTimeout: settings.server.requestTimeout,
      logger,
    });
    stops.push(() => server.close(settings.server.shutdownTimeout));
    jobs.start();
    await jobs.runNow('availability');
    for (const name of kpis.jobNames) await jobs.runNow(name);

    let stopping: Promise<void> | undefined;
    return {
      url: server.url,
      store,
      scheduler: jobs,
      telemetry,
      probing: prober,
      notifier,
      ingest,
      stop() {
        stopping ??= stopAll();
        return stopping;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
