import { z } from 'zod';
import { boundedDuration, cron } from './primitives.ts';

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

export const scheduleSettingsSchema = z.strictObject({
  retention: cron.default('17 * * * *').meta({ description: 'Retention pruning (default hourly at :17).' }),
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
    log: logSettingsSchema.prefault({}),
  })
  .refine((s) => s.limits.apiPageSize <= s.limits.apiMaxPageSize, {
    error: 'expected apiPageSize to be at most apiMaxPageSize',
    path: ['limits', 'apiPageSize'],
  });

export type Settings = z.output<typeof settingsSchema>;
