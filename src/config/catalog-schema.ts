import { z } from 'zod';
import { ConditionError, inapplicableOperand, parseCondition } from '../../collector/conditions/index.ts';
import {
  boundedDuration,
  country,
  cron,
  currency,
  date,
  duration,
  id,
  labels,
  ref,
  size,
} from './primitives.ts';

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
  services: z
    .array(z.string().min(1).max(256))
    .max(100)
    .optional()
    .meta({
      description:
        'Resource `service.name` values of the processes that make up this system, for traces (default: the system id).',
    }),
});

export const MATCH_SIDES = ['client', 'server'] as const;

/**
 * One rule matching spans to an integration. Every field given must hold (AND); an integration
 * matches a span when any of its rules does (OR).
 */
export const matchRuleSchema = z
  .strictObject({
    side: z.enum(MATCH_SIDES).default('client').meta({
      description:
        'client (default): client and producer spans of the caller; server: server and consumer spans of the callee.',
    }),
    service: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'Resource service.name of the process that emitted the span.' }),
    calleeService: z.string().min(1).optional().meta({
      description:
        'service.name of the callee, learnt by pairing the client span with its server span (or from peer.service); client side only.',
    }),
    serverAddress: z.string().min(1).optional().meta({ description: 'server.address (host) equals this.' }),
    peerService: z.string().min(1).optional().meta({ description: 'peer.service equals this.' }),
    urlPrefix: z.string().min(1).optional().meta({ description: 'url.full starts with this.' }),
    httpRoute: z.string().min(1).optional().meta({ description: 'http.route equals this.' }),
    rpcService: z.string().min(1).optional().meta({ description: 'rpc.service equals this.' }),
    messagingDestination: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'messaging.destination.name equals this.' }),
    spanName: z.string().min(1).optional().meta({ description: 'The span name equals this.' }),
  })
  .refine((rule) => Object.keys(rule).some((key) => key !== 'side'), {
    error: 'expected at least one field to match besides side',
  })
  .refine((rule) => rule.side === 'client' || rule.calleeService === undefined, {
    error: 'expected calleeService only on a client-side rule',
    path: ['calleeService'],
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
  conditions: z
    .array(
      z
        .string()
        .min(1)
        .superRefine((text, ctx) => {
          try {
            parseCondition(text);
          } catch (error) {
            if (!(error instanceof ConditionError)) throw error;
            ctx.addIssue({
              code: 'custom',
              input: text,
              params: { self: true },
              message: `invalid condition "${text}": ${error.message}`,
            });
          }
        }),
    )
    .default([])
    .meta({ description: 'Conditions every result must meet, e.g. "status == 200", "duration < 500ms".' }),
  failureThreshold: z
    .int()
    .min(1)
    .max(100)
    .optional()
    .meta({ description: 'Consecutive failures that mark the integration down (default settings.probes).' }),
  successThreshold: z
    .int()
    .min(1)
    .max(100)
    .optional()
    .meta({ description: 'Consecutive successes that bring it back (default settings.probes).' }),
};

const STATUS_PATTERN = /^[1-5](\d\d|xx)$/;
const headers = z.record(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/), z.string());

export const httpProbeSchema = z.strictObject({
  type: z.literal('http'),
  url: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }),
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).default('GET'),
  headers: headers.default({}).meta({ description: 'Request headers; use ${ENV} for secrets.' }),
  body: z.string().optional(),
  followRedirects: z.boolean().default(true),
  expectStatus: z
    .array(
      z.union(
        [
          z.int().min(100).max(599).transform(String),
          z
            .string()
            .regex(STATUS_PATTERN, { error: 'expected a status code such as 200 or a class such as "2xx"' }),
        ],
        {
          error: 'expected a status code such as 200 or a class such as "2xx"',
        },
      ),
    )
    .min(1)
    .default(['2xx'])
    .meta({ description: 'Accepted statuses: codes (200) or classes ("2xx"); default ["2xx"].' }),
  tls: z
    .strictObject({
      verify: z
        .boolean()
        .default(true)
        .meta({ description: 'Verify the certificate chain and name (default true).' }),
      cert: z
        .string()
        .min(1)
        .optional()
        .meta({ description: 'Client certificate (PEM file, relative to this file).' }),
      key: z
        .string()
        .min(1)
        .optional()
        .meta({ description: 'Client key (PEM file, relative to this file).' }),
      ca: z
        .string()
        .min(1)
        .optional()
        .meta({ description: 'Extra CA bundle (PEM file, relative to this file).' }),
    })
    .prefault({}),
  maxBody: size
    .optional()
    .meta({ description: 'Most response bytes read (default settings.probes.maxBody).' }),
  ...probeCommon,
});

export const tcpProbeSchema = z.strictObject({
  type: z.literal('tcp'),
  host: z.string().min(1),
  port: z.int().min(1).max(65_535),
  send: z.string().optional().meta({ description: 'Text written after connecting.' }),
  expect: z.string().optional().meta({ description: 'Text the peer must send back.' }),
  maxBody: size
    .optional()
    .meta({ description: 'Most bytes read for expect (default settings.probes.maxBody).' }),
  ...probeCommon,
});

export const dnsProbeSchema = z.strictObject({
  type: z.literal('dns'),
  name: z.string().min(1),
  recordType: z.enum(['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'SRV', 'NS']).default('A'),
  expect: z.array(z.string().min(1)).optional().meta({ description: 'Answers that must all be present.' }),
  server: z
    .string()
    .regex(/^[^\s:]+(:\d{1,5})?$|^\[[0-9a-fA-F:]+\](:\d{1,5})?$/, { error: 'expected "host" or "host:port"' })
    .optional()
    .meta({ description: 'Resolver to ask, "host" or "host:port" (default: the system resolvers).' }),
  ...probeCommon,
});

export const probeSchema = z
  .discriminatedUnion('type', [httpProbeSchema, tcpProbeSchema, dnsProbeSchema], {
    error: 'expected probe type "http", "tcp" or "dns"',
  })
  .refine((probe) => probe.timeout < probe.interval, {
    error: 'expected timeout to be shorter than interval',
    path: ['timeout'],
  })
  .superRefine((probe, ctx) => {
    probe.conditions.forEach((text, i) => {
      let problem: string | undefined;
      try {
        problem = inapplicableOperand(parseCondition(text), probe.type);
      } catch {
        return; // a condition that does not parse is reported on its own
      }
      if (problem)
        ctx.addIssue({
          code: 'custom',
          path: ['conditions', i],
          input: text,
          params: { self: true },
          message: `invalid condition "${text}": ${problem}`,
        });
    });
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
  match: z
    .array(matchRuleSchema)
    .max(50)
    .default([])
    .meta({ description: 'Rules matching spans to this integration (any rule; every field of a rule).' }),
});

export const workflowStepSchema = z.union(
  [
    ref('integration'),
    z.strictObject({ integration: ref('integration'), name: z.string().min(1).optional() }),
    z.strictObject({
      span: z.string().min(1).meta({ description: 'A span with this name reaches the step.' }),
      name: z.string().min(1).optional(),
    }),
  ],
  { error: 'expected an integration id, { integration: id } or { span: name }' },
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

export const NOTIFICATION_CHANNEL_TYPES = ['webhook', 'slack'] as const;

export const notificationChannelSchema = z.strictObject({
  id,
  type: z.enum(NOTIFICATION_CHANNEL_TYPES).meta({
    description: "webhook: Ecotone's JSON payload; slack: a Slack-compatible incoming-webhook message.",
  }),
  url: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }),
  headers: z.record(z.string(), z.string()).default({}),
  tiers: z.array(z.enum(TIERS)).default([]).meta({ description: 'Only these tiers (default: all).' }),
  participants: z
    .array(ref('participant'))
    .default([])
    .meta({ description: 'Only these participants (default: all).' }),
  statuses: z
    .array(z.enum(['down', 'degraded']))
    .default(['down', 'degraded'])
    .meta({ description: 'Which problem statuses notify (each also sends its resolved).' }),
});

export const maintenanceSchema = z
  .strictObject({
    id,
    description: z.string().optional(),
    start: z.iso.datetime({ offset: true }),
    end: z.iso.datetime({ offset: true }),
    integrations: z.array(ref('integration')).default([]),
    participants: z.array(ref('participant')).default([]),
    tiers: z.array(z.enum(TIERS)).default([]),
  })
  .refine((m) => Date.parse(m.end) > Date.parse(m.start), {
    error: 'expected end after start',
    path: ['end'],
  })
  .meta({ description: 'A window that mutes notifications for what it names (nothing named: everything).' });

export type NotificationChannel = z.output<typeof notificationChannelSchema>;
export type Maintenance = z.output<typeof maintenanceSchema>;

export type Participant = z.output<typeof participantSchema>;
export type System = z.output<typeof systemSchema>;
export type Integration = z.output<typeof integrationSchema>;
export type Workflow = z.output<typeof workflowSchema>;
export type Dataset = z.output<typeof datasetSchema>;
export type ValueModel = z.output<typeof valueModelSchema>;
export type MatchRule = z.output<typeof matchRuleSchema>;
export type WorkflowStep = z.output<typeof workflowStepSchema>;
export type Probe = z.output<typeof probeSchema>;
export type Tier = (typeof TIERS)[number];
