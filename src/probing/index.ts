import type { Logger } from 'pino';
import {
  createProbeScheduler,
  type ProbeScheduler,
  type ScheduledRun,
} from '../../collector/probes/scheduler.ts';
import type { Store } from '../../db/index.ts';
import type { AvailabilityTable } from '../../jobs/index.ts';
import type { Maintenance, NotificationChannel, Settings } from '../config/index.ts';
import {
  type IntegrationLabelCache,
  PROBE_DURATION_BUCKETS_SECONDS,
  registerProbeMetrics,
} from '../metrics/index.ts';
import { planNotifications } from '../notifications/index.ts';
import type { Telemetry } from '../telemetry/index.ts';
import { createProbeRecorder, type ProbeRecorder } from './recorder.ts';
import { createProbeRunner } from './run.ts';
import { createProbeCatalog, type ProbeCatalog, type ProbedIntegration } from './targets.ts';

export { runRecord } from './recorder.ts';
export { createProbeRunner } from './run.ts';
export { createProbeCatalog, type ProbedIntegration, toProbeSpec } from './targets.ts';

export interface ProbingOptions {
  store: Store;
  settings: Settings;
  telemetry: Telemetry;
  labels: IntegrationLabelCache;
  logger: Logger;
  /** Where status transitions are notified, and the windows that mute them; read at each transition. */
  notifications: {
    channels: () => readonly NotificationChannel[];
    maintenance: () => readonly Maintenance[];
  };
  /** Called after a flush enqueued notifications. */
  onNotificationsQueued?: () => void;
  /** Told of every recorded run, after the recorder (benchmarks and tests observe through it). */
  onRun?: (run: ScheduledRun) => void;
}

/** The running prober, as the API and the service see it. */
export interface Probing {
  scheduler: ProbeScheduler;
  recorder: ProbeRecorder;
  catalog: ProbeCatalog;
  availability(): AvailabilityTable;
  publishAvailability(table: AvailabilityTable): void;
  /** Whether the integration declares a probe in the catalog as last read. */
  isProbed(integrationId: string): boolean;
  /** Runs one integration's probe now; undefined when it has no probe. */
  runNow(integrationId: string): Promise<ScheduledRun | undefined>;
  stop(timeoutMs: number): Promise<void>;
}

/**
 * Wires the prober: targets from the catalog, the traced runner, the scheduler, the recorder
 * (status, storage, notifications) and the probe metrics. Starts probing when
 * `settings.probes.enabled`.
 */
export async function startProbing(options: ProbingOptions): Promise<Probing> {
  const { store, settings, telemetry, logger } = options;
  const catalog = createProbeCatalog(store, settings.probes);
  let current = new Map<string, ProbedIntegration>();
  let availability: AvailabilityTable = new Map();

  const recorder = createProbeRecorder({
    store,
    logger,
    bucketBounds: PROBE_DURATION_BUCKETS_SECONDS.map((s) => s * 1000),
    plan: (transition, previous) => {
      const subject = current.get(transition.integrationId)?.subject;
      if (!subject) return [];
      return planNotifications(transition, {
        integration: subject,
        channels: options.notifications.channels(),
        maintenance: options.notifications.maintenance(),
        previousSince: previous.since,
      });
    },
    onNotificationsQueued: options.onNotificationsQueued,
  });
  await recorder.start();

  const record = (run: ScheduledRun) => {
    const probed = current.get(run.target.integrationId);
    if (probed) recorder.record(run, probed.thresholds);
    options.onRun?.(run);
  };
  const scheduler = createProbeScheduler({
    targets: async () => {
      current = await catalog.current();
      return [...current.values()].map((p) => p.target);
    },
    refreshMs: settings.probes.catalogRefresh,
    concurrency: settings.probes.concurrency,
    run: createProbeRunner(telemetry.tracer),
    onRun: record,
    logger: logger.child({ component: 'prober' }),
  });
  registerProbeMetrics(
    telemetry.gauges,
    {
      aggregates: () => recorder.aggregates(),
      statuses: () => recorder.statuses(),
      isProbed: (id) => current.has(id),
      availability: () => availability,
    },
    options.labels,
    PROBE_DURATION_BUCKETS_SECONDS,
  );
  if (settings.probes.enabled) await scheduler.start();

  return {
    scheduler,
    recorder,
    catalog,
    availability: () => availability,
    isProbed: (integrationId) => current.has(integrationId),
    publishAvailability: (table) => {
      availability = table;
    },
    async runNow(integrationId) {
      if (settings.probes.enabled) return scheduler.runNow(integrationId);
      await scheduler.refresh();
      return scheduler.runNow(integrationId);
    },
    async stop(timeoutMs) {
      await scheduler.stop(timeoutMs);
      await recorder.stop();
    },
  };
}
