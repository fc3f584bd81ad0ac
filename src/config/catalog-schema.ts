import { z } from 'zod';
import { boundedDuration, country, cron, currency, date, duration, id, labels, ref } from './primitives.ts';

export const PARTICIPANT_ROLES = ['orchestrator', 'partner', 'supplier', 'customer', 'internal'] as const;
export const PARTICIPANT_STAGES = ['prospect', 'onboarding', 'active', 'churned'] as const;
export const SYSTEM_KINDS = [
  'application',
  'saas',
  'partner-api',
  'database',
  'data-warehouse',
  'file-store',
  'message-broker',
  'middleware',
] as const;
export const INTEGRATION_KINDS = [
  'api',
  'webhook',
  'event-stream',
  'file-transfer',
  'middleware',
  'database-link',
] as const;
export const TIERS = ['critical', 'high', 'medium', 'low'] as const;

const common = {
  id,
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  owner: z.string().min(1).optional().meta({ description: 'Owning team or person.' }),
  labels: labels.optional(),
};

export const lifecycleSchema = z
  .strictObject({
    signed: date.optional(),
    onboarding: date.optional(),
    firstValue: date.optional().meta({ description: 'When the participant first produced value.' }),
    active: date.optional(),
    churned: date.optional(),
  })
  .meta({ description: 'When the participant reached each lifecycle milestone.' });

export const participantSchema = z.strictObject({
  ...common,
  role: z.enum(PARTICIPANT_ROLES),
  country,
  industry: z.string().min(1).optional(),
  stage: z.enum(PARTICIPANT_STAGES).default('active'),
  lifecycle: lifecycleSchema.optional(),
  website: z.url().optional(),
});

export const systemSchema = z.strictObject({
  ...common,
  participant: ref('participant'),
  kind: z.enum(SYSTEM_KINDS).default('application'),
});

export const sloSchema = z.strictObject({
  availability: z
    .number()
    .gt(0)
    .lt(1)
    .default(0.99)
    .meta({ description: 'Target share of successful checks and calls, e.g. 0.999.' }),
  latency: duration.prefault('1s').meta({ description: 'Latency target for a single call (default 1s).' }),
  window: boundedDuration('1h').prefault('30d').meta({ description: 'SLO window (default 30d).' }),
});

const probeCommon = {
  interval: boundedDuration('1s').prefault('30s').meta({ description: 'How often to probe (default 30s).' }),
  timeout: boundedDuration('10ms').prefault('5s').meta({ description: 'Per-probe timeout (default 5s).' }),
};

export const probeSchema = z
  .discriminatedUnion(
    'type',
    [
      z.strictObject({
        type: z.literal('http'),
        url: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }),
        method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).default('GET'),
        ...probeCommon,
      }),
      z.strictObject({
        type: z.literal('tcp'),
        host: z.string().min(1),
        port: z.int().min(1).max(65_535),
        ...probeCommon,
      }),
      z.strictObject({
        type: z.literal('dns'),
        name: z.string().min(1),
        recordType: z.enum(['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'SRV', 'NS']).default('A'),
        ...probeCommon,
      }),
    ],
    { error: 'expected probe type "http", "tcp" or "dns"' },
  )
  .refine((probe) => probe.timeout < probe.interval, {
    error: 'expected timeout to be shorter than interval',
    path: ['timeout'],
  });

export const integrationSchema = z.strictObject({
  ...common,
  from: ref('system').meta({ description: 'Id of the calling (source) system.' }),
  to: ref('system').meta({ description: 'Id of the called (target) system.' }),
  kind: z.enum(INTEGRATION_KINDS).default('api'),
  tier: z.enum(TIERS).default('medium'),
  channel: id.optional().meta({ description: 'Sales or business channel this integration carries.' }),
  runbook: z.url().optional(),
  slo: sloSchema.prefault({}),
  probe: probeSchema.optional(),
});

export const workflowStepSchema = z.union(
  [
    ref('integration'),
    z.strictObject({ integration: ref('integration'), name: z.string().min(1).optional() }),
  ],
  { error: 'expected an integration id or { integration: id }' },
);

export const workflowSchema = z.strictObject({
  ...common,
  steps: z.array(workflowStepSchema).min(2, { error: 'expected at least 2 steps' }),
  timeout: boundedDuration('1s')
    .prefault('1h')
    .meta({ description: 'A run idle this long is abandoned (default 1h).' }),
});

export const datasetSchema = z.strictObject({
  ...common,
  system: ref('system'),
  schedule: cron.optional().meta({ description: 'When to poll the dataset for quality checks.' }),
});

export const valueModelSchema = z.strictObject({
  currency: currency.default('EUR'),
  costPerManualHandoff: z
    .number()
    .min(0)
    .default(0)
    .meta({ description: 'Cost of one manual hand-off that an automated integration avoids.' }),
  savingsPerStandardIntegration: z
    .number()
    .min(0)
    .default(0)
    .meta({ description: 'Yearly saving per integration built on a standard connector.' }),
  yearlyEcosystemCost: z
    .number()
    .min(0)
    .default(0)
    .meta({ description: 'Yearly running cost of the ecosystem.' }),
});

export type Participant = z.output<typeof participantSchema>;
export type System = z.output<typeof systemSchema>;
export type Integration = z.output<typeof integrationSchema>;
export type Workflow = z.output<typeof workflowSchema>;
export type Dataset = z.output<typeof datasetSchema>;
export type ValueModel = z.output<typeof valueModelSchema>;
export type Probe = z.output<typeof probeSchema>;
export type Tier = (typeof TIERS)[number];
