import { z } from 'zod';
import { boundedDuration, cron, size } from './primitives.ts';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const serverSettingsSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1').meta({ description: 'Listen address (default 127.0.0.1).' }),
  port: z.int().min(0).max(65_535).default(9480).meta({ description: 'Listen port (default 9480).' }),
  shutdownTimeout: boundedDuration('100ms')
    .prefault('10s')
    .meta({ description: 'How long shutdown waits for in-flight requests and jobs (default 10s).' }),
  requestTimeout: boundedDuration('1s')
    .prefault('30s')
    .meta({ description: 'Upper bound on one request, headers to last byte (default 30s).' }),
});

export const storageSettingsSchema = z.strictObject({
  path: z
    .string()
    .min(1)
    .default('data/ecotone.db')
    .meta({ description: 'SQLite file, relative to the config file (default data/ecotone.db).' }),
  busyTimeout: boundedDuration('0ms')
    .prefault('5s')
    .meta({ description: 'How long a write waits for a lock before failing (default 5s).' }),
  synchronous: z.enum(['full', 'normal']).default('full').meta({
    description:
      'SQLite synchronous level. full (default): every commit is synced, so an acknowledged write survives power loss; normal: faster, the last commits can be lost with the machine (never with the process).',
  }),
});

export const retentionSettingsSchema = z.strictObject({
  jobRuns: boundedDuration('1h').prefault('30d').meta({ description: 'Job run history (default 30d).' }),
  probeResults: boundedDuration('1h')
    .prefault('2d')
    .meta({ description: 'Raw probe results (default 2d; 10,000 probes at 30s write 29M rows a day).' }),
  probeRollupsMinute: boundedDuration('1h')
    .prefault('2d')
    .meta({ description: 'Per-minute probe rollups, the source of 1h availability (default 2d).' }),
  probeRollupsHour: boundedDuration('1h')
    .prefault('35d')
    .meta({ description: 'Per-hour probe rollups, the source of 24h availability (default 35d).' }),
  probeRollupsDay: boundedDuration('1h')
    .prefault('400d')
    .meta({ description: 'Per-day probe rollups, the source of 30d availability (default 400d).' }),
  statusEvents: boundedDuration('1h')
    .prefault('400d')
    .meta({ description: 'Integration status transitions (default 400d).' }),
  notifications: boundedDuration('1h')
    .prefault('30d')
    .meta({ description: 'Delivered or abandoned notifications (default 30d).' }),
  events: boundedDuration('1h')
    .prefault('400d')
    .meta({ description: 'Business events, by receive time (default 400d: a year of value metrics).' }),
  requestMinutes: boundedDuration('1h')
    .prefault('35d')
    .meta({ description: 'Per-minute call counts and durations from traces (default 35d).' }),
  workflowMinutes: boundedDuration('1h')
    .prefault('35d')
    .meta({ description: 'Per-minute workflow run counts from traces (default 35d).' }),
  discoveredEdges: boundedDuration('1h')
    .prefault('30d')
    .meta({ description: 'Open discovered edges not seen for this long (default 30d).' }),
  qualityResults: boundedDuration('1h')
    .prefault('90d')
    .meta({ description: 'Dataset quality check results, by run time (default 90d).' }),
  kpiSnapshots: boundedDuration('1h')
    .prefault('90d')
    .meta({ description: 'KPI snapshots, the history behind GET /api/v1/kpis/{name} (default 90d).' }),
  batchSize: z
    .int()
    .min(1)
    .max(100_000)
    .default(5_000)
    .meta({ description: 'Rows deleted per batch when pruning (default 5000).' }),
});

export const limitsSettingsSchema = z.strictObject({
  metricLabelSets: z
    .int()
    .min(100)
    .max(1_000_000)
    .default(50_000)
    .meta({ description: 'Most label sets one metric may export (default 50000).' }),
  apiPageSize: z
    .int()
    .min(1)
    .max(10_000)
    .default(100)
    .meta({ description: 'Default API page size (default 100).' }),
  apiMaxPageSize: z
    .int()
    .min(1)
    .max(10_000)
    .default(1_000)
    .meta({ description: 'Largest API page (default 1000).' }),
});

export const probeSettingsSchema = z.strictObject({
  enabled: z
    .boolean()
    .default(true)
    .meta({ description: 'Run the probes declared in the catalog (default true).' }),
  concurrency: z
    .int()
    .min(1)
    .max(10_000)
    .default(256)
    .meta({ description: 'Most probes in flight at once (default 256).' }),
  maxBody: size.prefault('1MiB').meta({ description: 'Most response bytes a probe reads (default 1MiB).' }),
  failureThreshold: z
    .int()
    .min(1)
    .max(100)
    .default(3)
    .meta({ description: 'Consecutive failures that mark an integration down (default 3).' }),
  successThreshold: z
    .int()
    .min(1)
    .max(100)
    .default(2)
    .meta({ description: 'Consecutive successes that bring it back up (default 2).' }),
  catalogRefresh: boundedDuration('100ms')
    .prefault('5s')
    .meta({ description: 'How often the prober looks for catalog changes (default 5s).' }),
});

export const notificationSettingsSchema = z.strictObject({
  attempts: z
    .int()
    .min(1)
    .max(100)
    .default(10)
    .meta({ description: 'Delivery attempts per message (default 10).' }),
  initialBackoff: boundedDuration('10ms')
    .prefault('5s')
    .meta({ description: 'Wait before the first retry; doubles each time (default 5s).' }),
  maxBackoff: boundedDuration('10ms')
    .prefault('10m')
    .meta({ description: 'Longest wait between retries (default 10m).' }),
  timeout: boundedDuration('10ms')
    .prefault('10s')
    .meta({ description: 'Timeout of one delivery (default 10s).' }),
});

export const tracingSettingsSchema = z.strictObject({
  endpoint: z
    .url({ protocol: /^https?$/ })
    .optional()
    .meta({ description: "OTLP/HTTP base URL for Ecotone's own spans (probe runs); off when unset." }),
  headers: z
    .record(z.string(), z.string())
    .default({})
    .meta({ description: 'Headers sent with OTLP exports.' }),
});

export const otlpMetricsSettingsSchema = z.strictObject({
  endpoint: z
    .url({ protocol: /^https?$/ })
    .optional()
    .meta({
      description:
        'OTLP/HTTP base URL to push every metric to (an OpenTelemetry Collector, or a store that accepts OTLP such as Prometheus with its OTLP receiver at /api/v1/otlp); /v1/metrics is appended. Off when unset; /metrics is served either way.',
    }),
  headers: z.record(z.string(), z.string()).default({}).meta({
    description: 'Headers sent with each push, e.g. an Authorization header (use ${ENV} for secrets).',
  }),
  interval: boundedDuration('1s')
    .prefault('60s')
    .meta({ description: 'How often metrics are pushed (default 60s).' }),
  timeout: boundedDuration('100ms')
    .prefault('10s')
    .meta({ description: 'Timeout of one push (default 10s); at most the interval.' }),
});

export const ingestSettingsSchema = z.strictObject({
  maxBodySize: size
    .prefault('8MiB')
    .meta({ description: 'Largest request body as sent, compressed or not (default 8MiB); larger is 413.' }),
  maxDecodedBodySize: size
    .prefault('32MiB')
    .meta({ description: 'Largest body after gzip/deflate decoding (default 32MiB); larger is 413.' }),
  maxEventsPerBatch: z
    .int()
    .min(1)
    .max(100_000)
    .default(10_000)
    .meta({ description: 'Most events in one POST /v1/events (default 10000).' }),
  maxSpansPerRequest: z
    .int()
    .min(1)
    .max(1_000_000)
    .default(50_000)
    .meta({ description: 'Most spans in one POST /v1/traces (default 50000).' }),
  maxAttributes: z
    .int()
    .min(1)
    .max(10_000)
    .default(256)
    .meta({ description: 'Most attributes on one span or resource (default 256); more is 400.' }),
  maxAttributeLength: z
    .int()
    .min(16)
    .max(1_000_000)
    .default(4_096)
    .meta({ description: 'Longer string attribute values are cut to this many characters (default 4096).' }),
  maxFutureSkew: boundedDuration('0ms')
    .prefault('5m')
    .meta({ description: 'How far in the future an event time may be (default 5m).' }),
  queueLimit: z.int().min(1_000).max(10_000_000).default(200_000).meta({
    description:
      'Most events plus spans accepted but not yet committed; a request that would pass it gets 429 (default 200000).',
  }),
  parserThreads: z.int().min(0).max(16).default(1).meta({
    description:
      'Worker threads that parse and validate event batches, beside the thread that commits them (default 1; 0 parses on the main thread).',
  }),
  retryAfter: boundedDuration('1s')
    .prefault('1s')
    .meta({ description: 'Retry-After sent with 429 and 503 (default 1s).' }),
  unknownReferences: z.enum(['reject', 'unattributed']).default('reject').meta({
    description:
      'An event naming a participant or integration not in the catalog: reject the batch (default) or keep the event as unattributed.',
  }),
});

export const traceSettingsSchema = z.strictObject({
  pairWait: boundedDuration('100ms')
    .prefault('10s')
    .meta({ description: 'How long a client span waits for its server span, and back (default 10s).' }),
  maxPendingPairs: z
    .int()
    .min(100)
    .max(10_000_000)
    .default(100_000)
    .meta({ description: 'Most spans waiting for their pair; the oldest go first (default 100000).' }),
  maxActiveWorkflowRuns: z
    .int()
    .min(100)
    .max(10_000_000)
    .default(100_000)
    .meta({ description: 'Most workflow runs followed at once; more are not tracked (default 100000).' }),
  sweepInterval: boundedDuration('100ms')
    .prefault('5s')
    .meta({ description: 'How often expired pairs and idle workflow runs are settled (default 5s).' }),
});

export const authSettingsSchema = z.strictObject({
  enabled: z.boolean().default(true).meta({
    description:
      'Require bearer tokens: ingest for /v1/*, read for API reads, admin for API writes (default true; `ecotone demo` turns it off).',
  }),
  protectMetrics: z
    .boolean()
    .default(false)
    .meta({ description: 'Require a read token for /metrics too (default false).' }),
  rateLimit: z
    .strictObject({
      requestsPerSecond: z
        .number()
        .gt(0)
        .max(1_000_000)
        .default(200)
        .meta({ description: 'Sustained requests per second per token (default 200).' }),
      burst: z
        .int()
        .min(1)
        .max(1_000_000)
        .default(400)
        .meta({ description: 'Requests a token may make at once above the rate (default 400).' }),
    })
    .prefault({}),
});

export const qualitySettingsSchema = z.strictObject({
  enabled: z
    .boolean()
    .default(true)
    .meta({ description: 'Run the quality checks of datasets that have a schedule (default true).' }),
  concurrency: z
    .int()
    .min(1)
    .max(64)
    .default(4)
    .meta({ description: 'Most datasets checked at once (default 4).' }),
  timeout: boundedDuration('10ms').prefault('60s').meta({
    description: "Time allowed for one run of a dataset's checks, each source read included (default 60s).",
  }),
  maxRows: z.int().min(1).max(100_000_000).default(1_000_000).meta({
    description:
      'Most rows (or keys) read into the process per source and run; more is an error (default 1000000). SQL aggregates run in the database and are not counted.',
  }),
  maxBody: size
    .prefault('16MiB')
    .meta({ description: 'Most bytes read from an http-json source (default 16MiB).' }),
  history: z
    .int()
    .min(1)
    .max(1_000)
    .default(20)
    .meta({ description: 'Past results per check returned by the quality API (default 20).' }),
});

const weight = (fallback: number, what: string) =>
  z
    .number()
    .min(0)
    .max(1_000)
    .default(fallback)
    .meta({ description: `Weight of ${what} (default ${fallback}); weights are relative, 0 leaves it out.` });

export const kpiSettingsSchema = z.strictObject({
  enabled: z.boolean().default(true).meta({ description: 'Run the KPI jobs (default true).' }),
  schedules: z
    .strictObject({
      participation: cron
        .default('*/15 * * * *')
        .meta({ description: 'Participation KPIs (default every 15 minutes).' }),
      usage: cron.default('* * * * *').meta({ description: 'Usage KPIs (default every minute).' }),
      value: cron.default('*/15 * * * *').meta({ description: 'Value KPIs (default every 15 minutes).' }),
      qualitative: cron
        .default('0 * * * *')
        .meta({ description: 'Qualitative KPIs: satisfaction, tickets, docs, sentiment (default hourly).' }),
      health: cron
        .default('* * * * *')
        .meta({ description: 'Health scores, error budgets and revenue at risk (default every minute).' }),
      fold: cron.default('*/10 * * * * *').meta({
        description:
          "Folds every family's new events into the KPI rollups between the family runs, so a run folds only what arrived since (default every 10 seconds).",
      }),
    })
    .prefault({}),
  lateness: boundedDuration('0ms').prefault('10m').meta({
    description:
      'How late an event may arrive and still count at its own time (default 10m); a later one counts at receive time minus this. Request minutes are sealed into the day rollups once this old.',
  }),
  batchSize: z.int().min(1_000).max(1_000_000).default(100_000).meta({
    description:
      'Most events folded in one transaction (default 100000). Ingest commits wait for the write lock while a fold transaction runs: about 0.24 s for the value fold of 100000 events over 500000 customers, the other folds under 0.05 s. Smaller batches wait less each time but rewrite the same pages more often.',
  }),
  cacheSize: size.prefault('64MiB').meta({
    description:
      "SQLite page cache of the KPI worker's connection (default 64MiB). The folds rewrite per-customer and per-integration rollups; with the library default of 16MB they re-read many of the pages they touch.",
  }),
  snapshotInterval: boundedDuration('1m')
    .prefault('5m')
    .meta({ description: 'Least time between two stored snapshots of one KPI family (default 5m).' }),
  weights: z
    .strictObject({
      availability: weight(0.35, 'the error budget left (availability against the SLO)'),
      latency: weight(0.2, 'the share of calls and probe runs within the SLO latency'),
      status: weight(0.25, 'the current status'),
      quality: weight(0.1, "the data quality of the integration's systems"),
      activity: weight(0.1, 'traffic seen in the last hour'),
    })
    .prefault({})
    .meta({ description: 'Weights of the integration health score components.' }),
  tierWeights: z
    .strictObject({
      critical: weight(4, 'a critical integration'),
      high: weight(3, 'a high-tier integration'),
      medium: weight(2, 'a medium-tier integration'),
      low: weight(1, 'a low-tier integration'),
    })
    .prefault({})
    .meta({ description: 'How much each tier counts in participant and ecosystem scores.' }),
  satisfactionWeight: weight(
    0.2,
    'partner satisfaction in the participant score (integrations count 1 − this)',
  ).refine((w) => w <= 1, { error: 'expected at most 1' }),
});

export const scheduleSettingsSchema = z.strictObject({
  retention: cron.default('17 * * * *').meta({ description: 'Retention pruning (default hourly at :17).' }),
  availability: cron
    .default('*/30 * * * * *')
    .meta({ description: 'Availability per window from the probe rollups (default every 30 seconds).' }),
});

export const uiSettingsSchema = z.strictObject({
  enabled: z.boolean().default(true).meta({
    description: 'Serve the web UI: the ecosystem map at / and the status page at /status (default true).',
  }),
  statusPagePublic: z.boolean().default(false).meta({
    description:
      'Serve GET /api/v1/status-page, the data of /status, without a token even when auth is on, for partners (default false).',
  }),
  refreshInterval: boundedDuration('1s')
    .prefault('5s')
    .meta({ description: 'How often the map and the status page ask the API for changes (default 5s).' }),
});

export const logSettingsSchema = z.strictObject({
  level: z.enum(LOG_LEVELS).default('info'),
});

export const settingsSchema = z
  .strictObject({
    server: serverSettingsSchema.prefault({}),
    storage: storageSettingsSchema.prefault({}),
    retention: retentionSettingsSchema.prefault({}),
    limits: limitsSettingsSchema.prefault({}),
    schedules: scheduleSettingsSchema.prefault({}),
    probes: probeSettingsSchema.prefault({}),
    notifications: notificationSettingsSchema.prefault({}),
    ingest: ingestSettingsSchema.prefault({}),
    traces: traceSettingsSchema.prefault({}),
    auth: authSettingsSchema.prefault({}),
    quality: qualitySettingsSchema.prefault({}),
    kpis: kpiSettingsSchema.prefault({}),
    tracing: tracingSettingsSchema.prefault({}),
    otlpMetrics: otlpMetricsSettingsSchema.prefault({}),
    ui: uiSettingsSchema.prefault({}),
    log: logSettingsSchema.prefault({}),
  })
  .refine((s) => s.limits.apiPageSize <= s.limits.apiMaxPageSize, {
    error: 'expected apiPageSize to be at most apiMaxPageSize',
    path: ['limits', 'apiPageSize'],
  })
  .refine((s) => s.ingest.maxBodySize <= s.ingest.maxDecodedBodySize, {
    error: 'expected maxBodySize to be at most maxDecodedBodySize',
    path: ['ingest', 'maxBodySize'],
  })
  .refine((s) => s.otlpMetrics.timeout <= s.otlpMetrics.interval, {
    error: 'expected timeout to be at most interval',
    path: ['otlpMetrics', 'timeout'],
  })
  .refine((s) => s.notifications.initialBackoff <= s.notifications.maxBackoff, {
    error: 'expected initialBackoff to be at most maxBackoff',
    path: ['notifications', 'initialBackoff'],
  });

export type Settings = z.output<typeof settingsSchema>;
