import { z } from 'zod';
import { ConditionError, inapplicableOperand, parseCondition } from '../../collector/conditions/index.ts';
import { parseJsonPath } from '../../collector/conditions/jsonpath.ts';
import { Scanner } from '../../collector/conditions/scanner.ts';
import { formatDuration } from './duration.ts';
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
  services: z.array(z.string().min(1).max(256)).max(100).optional().meta({
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

/** Why a JSONPath of the supported subset does not parse, or undefined when it does. */
function jsonPathProblem(text: string): string | undefined {
  try {
    const scanner = new Scanner(text);
    parseJsonPath(scanner);
    if (!scanner.atEnd())
      return `column ${scanner.column}: unexpected ${JSON.stringify(text.slice(scanner.pos))}`;
    return undefined;
  } catch (error) {
    if (error instanceof ConditionError) return error.message;
    throw error;
  }
}

/** Column names the quality checks accept: they are quoted into SQL, so nothing else gets through. */
const COLUMN_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const column = z
  .string()
  .regex(COLUMN_PATTERN, {
    error: 'expected a column name of letters, digits and "_", not starting with a digit',
  })
  .meta({ description: 'A column (or JSON record field) name.' });
const table = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/, {
    error: 'expected a table name such as "customers" or "crm.customers"',
  })
  .meta({ description: 'Table (or view) to read, optionally schema-qualified.' });
const jsonPathText = z
  .string()
  .superRefine((text, ctx) => {
    const problem = jsonPathProblem(text);
    if (problem)
      ctx.addIssue({
        code: 'custom',
        input: text,
        message: `invalid JSONPath "${text}": ${problem}`,
        params: { self: true },
      });
  })
  .meta({ description: "JSONPath subset: $, .name, ['name'], [index]; e.g. $.data.items." });

/** The logical column types a `schema` check compares; each source maps its own types onto them. */
export const COLUMN_TYPES = ['string', 'integer', 'number', 'boolean', 'timestamp', 'json'] as const;

/** Reports a regular expression that does not compile, with the engine's reason. */
const regexIssues = (flags: string) => (text: string, ctx: z.RefinementCtx) => {
  try {
    new RegExp(text, flags);
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      input: text,
      message: `invalid regular expression: ${(error as Error).message}`,
    });
  }
};

const PERCENT_PATTERN = /^(\d+(?:\.\d+)?)%$/;

/** A bound written as a count (`10`) or as a percent of the rows (`"2.5%"`). */
const countOrPercent = z
  .union(
    [
      z.number().min(0),
      z.string().regex(PERCENT_PATTERN, { error: 'expected a count such as 10 or a percent such as "2%"' }),
    ],
    { error: 'expected a count such as 10 or a percent such as "2%"' },
  )
  .transform((value): Bound => {
    if (typeof value === 'number') return { unit: 'count', value };
    return { unit: 'percent', value: Number((PERCENT_PATTERN.exec(value) as RegExpExecArray)[1]) };
  })
  .refine((b) => b.unit === 'count' || b.value <= 100, { error: 'expected a percent of at most 100%' });

/** A bound written as a percent only (`"5%"`): a share of a reference figure. */
const percent = z
  .string({ error: 'expected a percent such as "5%"' })
  .regex(PERCENT_PATTERN, { error: 'expected a percent such as "5%"' })
  .transform(
    (text): Bound => ({ unit: 'percent', value: Number((PERCENT_PATTERN.exec(text) as RegExpExecArray)[1]) }),
  );

/** A measured bound: a count, a percent of the rows, a duration (ms), a z-score or a ratio. */
export interface Bound {
  unit: 'count' | 'percent' | 'ms' | 'z';
  value: number;
}

const durationBound = duration.transform((ms): Bound => ({ unit: 'ms', value: ms }));
const numberBound = (unit: 'count' | 'z') =>
  z
    .number()
    .min(0)
    .transform((value): Bound => ({ unit, value }));

const showBound = (b: Bound) =>
  b.unit === 'percent' ? `${b.value}%` : b.unit === 'ms' ? formatDuration(b.value) : String(b.value);

/**
 * Checks one `warn`/`fail` pair. `higher` (the default): a larger value is worse, so `warn` must be
 * at most `fail`; `lower`: a smaller value is worse, so `warn` must be at least `fail`. At least
 * one of the two is required. A measured value equal to a threshold passes it.
 */
function thresholdIssues(
  t: { warn?: Bound | undefined; fail?: Bound | undefined },
  worse: 'higher' | 'lower',
  ctx: z.RefinementCtx,
): void {
  const { warn, fail } = t;
  const issue = (message: string) =>
    ctx.addIssue({ code: 'custom', path: ['warn'], input: warn, params: { self: true }, message });
  if (warn === undefined && fail === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: [],
      input: t,
      params: { self: true },
      message: 'expected warn, fail or both',
    });
    return;
  }
  if (!warn || !fail) return;
  if (warn.unit !== fail.unit) {
    issue(`expected warn and fail in the same unit, found ${showBound(warn)} and ${showBound(fail)}`);
    return;
  }
  if (worse === 'higher' && warn.value > fail.value)
    issue(
      `expected warn to be at most fail (a higher value is worse), found warn ${showBound(warn)} and fail ${showBound(fail)}`,
    );
  if (worse === 'lower' && warn.value < fail.value)
    issue(
      `expected warn to be at least fail (a lower value is worse), found warn ${showBound(warn)} and fail ${showBound(fail)}`,
    );
}

const thresholdFields = <T extends z.ZodType<Bound, unknown>>(bound: T) => ({
  warn: bound.optional().meta({ description: 'Past this the check warns.' }),
  fail: bound.optional().meta({ description: 'Past this the check fails.' }),
});

/** A nested `{ warn, fail }` pair, checked for order. */
function thresholds<T extends z.ZodType<Bound, unknown>>(bound: T, worse: 'higher' | 'lower' = 'higher') {
  return z
    .strictObject(thresholdFields(bound))
    .superRefine((t, ctx) => thresholdIssues(t as Thresholds, worse, ctx));
}

export type Thresholds = { warn?: Bound | undefined; fail?: Bound | undefined };

const checkName = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,128}$/, {
    error: 'expected a name of 1-128 letters, digits, "_", ".", ":" or "-"',
  })
  .optional()
  .meta({
    description: 'Name of the check: its `check` label and API key (default: the type, then the column).',
  });

const sourceTimeout = boundedDuration('10ms').optional().meta({
  description: 'Time allowed for one run of all checks on this source (default settings.quality.timeout).',
});

export const sqliteSourceSchema = z
  .strictObject({
    type: z.literal('sqlite'),
    path: z.string().min(1).meta({ description: 'SQLite file, relative to this file; opened read-only.' }),
    table: table.optional(),
    query: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'A read-only SELECT whose rows are the dataset.' }),
    timeout: sourceTimeout,
  })
  .meta({ description: 'A table or query in a SQLite file.' });

export const postgresSourceSchema = z
  .strictObject({
    type: z.literal('postgres'),
    url: z
      .url({ protocol: /^postgres(ql)?$/, error: 'expected a postgres:// or postgresql:// URL' })
      .meta({ description: 'Connection URL; put credentials in ${ENV} references.' }),
    password: z.string().optional().meta({ description: 'Password, if not in the URL; use ${ENV}.' }),
    table: table.optional(),
    query: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'A read-only SELECT whose rows are the dataset.' }),
    timeout: sourceTimeout,
  })
  .meta({ description: 'A table or query in PostgreSQL, read in a read-only transaction.' });

export const httpJsonSourceSchema = z
  .strictObject({
    type: z.literal('http-json'),
    url: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }),
    headers: headers.default({}).meta({ description: 'Request headers; use ${ENV} for secrets.' }),
    records: jsonPathText.optional().meta({ description: 'JSONPath of the array of records, e.g. $.items.' }),
    rowCount: jsonPathText
      .optional()
      .meta({ description: 'JSONPath of a row count the endpoint reports (an aggregate endpoint).' }),
    newest: jsonPathText.optional().meta({
      description: 'JSONPath of the newest timestamp the endpoint reports (an aggregate endpoint).',
    }),
    maxBody: size
      .optional()
      .meta({ description: 'Most response bytes read (default settings.quality.maxBody).' }),
    timeout: sourceTimeout,
  })
  .refine((s) => s.records !== undefined || s.rowCount !== undefined || s.newest !== undefined, {
    error: 'expected records, rowCount or newest',
    path: ['records'],
  })
  .meta({ description: 'An HTTP endpoint answering JSON: records, or aggregate figures.' });

export const csvSourceSchema = z
  .strictObject({
    type: z.literal('csv'),
    path: z.string().min(1).optional().meta({ description: 'One CSV file, relative to this file.' }),
    folder: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'A folder of CSV drops, relative to this file: the newest drop is checked.' }),
    pattern: z.string().min(1).superRefine(regexIssues('')).optional().meta({
      description: 'Regular expression a drop file name must match (default: names ending in .csv).',
    }),
    newest: z
      .enum(['mtime', 'name'])
      .default('mtime')
      .meta({ description: 'Which drop is newest: last modified (mtime), or last by name (dated names).' }),
    delimiter: z.string().length(1, { error: 'expected one character' }).default(','),
    timeout: sourceTimeout,
  })
  .meta({ description: 'A CSV file with a header row, or the newest of a folder of drops.' });

export const datasetSourceSchema = z
  .discriminatedUnion(
    'type',
    [sqliteSourceSchema, postgresSourceSchema, httpJsonSourceSchema, csvSourceSchema],
    {
      error: 'expected source type "sqlite", "postgres", "http-json" or "csv"',
    },
  )
  .superRefine((source, ctx) => {
    if (source.type === 'sqlite' || source.type === 'postgres') {
      if ((source.table === undefined) === (source.query === undefined))
        ctx.addIssue({
          code: 'custom',
          path: ['table'],
          input: source.table,
          params: { self: true },
          message: 'expected exactly one of table or query',
        });
    }
    if (source.type === 'csv') {
      if ((source.path === undefined) === (source.folder === undefined))
        ctx.addIssue({
          code: 'custom',
          path: ['path'],
          input: source.path,
          params: { self: true },
          message: 'expected exactly one of path or folder',
        });
      if (source.pattern !== undefined && source.folder === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['pattern'],
          input: source.pattern,
          params: { self: true },
          message: 'expected pattern only with folder',
        });
    }
  });

const checkCommon = { name: checkName };
const flatThresholds = (c: Thresholds, ctx: z.RefinementCtx) => thresholdIssues(c, 'higher', ctx);

export const freshnessCheckSchema = z
  .strictObject({
    type: z.literal('freshness'),
    ...checkCommon,
    column: column.optional().meta({
      description: 'Timestamp column whose newest value is the age; CSV: leave out to use the file time.',
    }),
    ...thresholdFields(durationBound),
  })
  .superRefine(flatThresholds);

export const rowCountCheckSchema = z
  .strictObject({
    type: z.literal('row_count'),
    ...checkCommon,
    min: thresholds(numberBound('count'), 'lower')
      .optional()
      .meta({ description: 'Fewer rows than this warn or fail.' }),
    max: thresholds(numberBound('count'))
      .optional()
      .meta({ description: 'More rows than this warn or fail.' }),
    change: thresholds(percent)
      .optional()
      .meta({ description: 'Change against the previous run, as a percent of it, in either direction.' }),
  })
  .refine((c) => c.min !== undefined || c.max !== undefined || c.change !== undefined, {
    error: 'expected min, max or change',
  });

export const missingCheckSchema = z
  .strictObject({
    type: z.literal('missing'),
    ...checkCommon,
    column,
    ...thresholdFields(countOrPercent),
  })
  .superRefine(flatThresholds);

export const duplicatesCheckSchema = z
  .strictObject({
    type: z.literal('duplicates'),
    ...checkCommon,
    key: z.array(column).min(1).max(16).meta({ description: 'Columns that together identify a record.' }),
    ...thresholdFields(countOrPercent),
  })
  .superRefine(flatThresholds);

export const invalidCheckSchema = z
  .strictObject({
    type: z.literal('invalid'),
    ...checkCommon,
    column,
    pattern: z.string().min(1).superRefine(regexIssues('u')).optional().meta({
      description: 'A value must match this regular expression (anchor it with ^…$ for a whole match).',
    }),
    values: z
      .array(z.union([z.string(), z.number(), z.boolean()]))
      .min(1)
      .max(1000)
      .optional()
      .meta({ description: 'A value must be one of these.' }),
    min: z.number().optional().meta({ description: 'A value must be a number at least this.' }),
    max: z.number().optional().meta({ description: 'A value must be a number at most this.' }),
    ...thresholdFields(countOrPercent),
  })
  .superRefine(flatThresholds)
  .refine(
    (c) => c.pattern !== undefined || c.values !== undefined || c.min !== undefined || c.max !== undefined,
    {
      error: 'expected pattern, values, min or max',
    },
  )
  .refine((c) => c.min === undefined || c.max === undefined || c.min <= c.max, {
    error: 'expected min to be at most max',
    path: ['min'],
  });

export const schemaCheckSchema = z
  .strictObject({
    type: z.literal('schema'),
    ...checkCommon,
    columns: z.record(column, z.enum(COLUMN_TYPES)).optional().meta({
      description: 'Expected columns and their types; without it, changes from the last run are counted.',
    }),
    warn: numberBound('count').optional().meta({ description: 'More differences than this warn.' }),
    fail: numberBound('count')
      .optional()
      .meta({ description: 'More differences than this fail (default 0).' }),
  })
  .superRefine((c, ctx) => {
    if (c.warn && c.fail) thresholdIssues(c, 'higher', ctx);
  });

export const consistencyCheckSchema = z
  .strictObject({
    type: z.literal('consistency'),
    ...checkCommon,
    reference: ref('dataset').meta({
      description: 'The dataset to compare with, usually in another system.',
    }),
    measure: z.enum(['count', 'sum', 'keys']).default('count').meta({
      description: 'count: row counts; sum: the sum of column; keys: the sets of key values.',
    }),
    column: column.optional().meta({ description: 'For sum: the column summed on both sides.' }),
    key: z
      .array(column)
      .min(1)
      .max(16)
      .optional()
      .meta({ description: 'For keys: the key columns on both sides.' }),
    referenceColumn: column
      .optional()
      .meta({ description: 'For sum: the column in the reference (default column).' }),
    referenceKey: z
      .array(column)
      .min(1)
      .max(16)
      .optional()
      .meta({ description: 'For keys: the reference key (default key).' }),
    ...thresholdFields(percent),
  })
  .superRefine(flatThresholds)
  .superRefine((c, ctx) => {
    const issue = (path: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], input: undefined, params: { self: true }, message });
    if (c.measure === 'sum' && c.column === undefined) issue('column', 'expected column with measure "sum"');
    if (c.measure === 'keys' && c.key === undefined) issue('key', 'expected key with measure "keys"');
    if (c.measure === 'keys' && c.referenceKey && c.key && c.referenceKey.length !== c.key.length)
      issue('referenceKey', 'expected as many columns as key');
  });

export const anomalyCheckSchema = z
  .strictObject({
    type: z.literal('anomaly'),
    ...checkCommon,
    metric: z
      .enum(['row_count', 'freshness'])
      .meta({ description: 'The measurement watched for anomalies.' }),
    column: column
      .optional()
      .meta({ description: 'For freshness: the timestamp column (CSV: default the file time).' }),
    window: z
      .int()
      .min(3)
      .max(1000)
      .default(30)
      .meta({ description: 'Previous runs the mean and spread come from (default 30).' }),
    minHistory: z
      .int()
      .min(2)
      .max(1000)
      .default(10)
      .meta({ description: 'Runs of history needed before the check judges (default 10).' }),
    warn: numberBound('z')
      .prefault(3)
      .meta({ description: 'Absolute z-score above which the check warns (default 3).' }),
    fail: numberBound('z')
      .prefault(5)
      .meta({ description: 'Absolute z-score above which the check fails (default 5).' }),
  })
  .refine((c) => c.minHistory <= c.window, {
    error: 'expected minHistory to be at most window',
    path: ['minHistory'],
  })
  .refine((c) => c.warn.value <= c.fail.value, {
    error: 'expected warn to be at most fail (a higher z-score is worse)',
    path: ['warn'],
  });

export const CHECK_TYPES = [
  'freshness',
  'row_count',
  'missing',
  'duplicates',
  'invalid',
  'schema',
  'consistency',
  'anomaly',
] as const;

export const qualityCheckSchema = z.discriminatedUnion(
  'type',
  [
    freshnessCheckSchema,
    rowCountCheckSchema,
    missingCheckSchema,
    duplicatesCheckSchema,
    invalidCheckSchema,
    schemaCheckSchema,
    consistencyCheckSchema,
    anomalyCheckSchema,
  ],
  { error: `expected check type ${CHECK_TYPES.map((t) => `"${t}"`).join(', ')}` },
);

/** The default name of a check: its type, then its column or key (`missing.email`). */
export function defaultCheckName(check: z.output<typeof qualityCheckSchema>): string {
  if (check.name) return check.name;
  if (check.type === 'duplicates') return `duplicates.${check.key.join('.')}`;
  if (check.type === 'consistency') return `consistency.${check.reference}`;
  if (check.type === 'anomaly') return `anomaly.${check.metric}`;
  if ((check.type === 'missing' || check.type === 'invalid') && check.column)
    return `${check.type}.${check.column}`;
  return check.type;
}

/** Check types that need the rows themselves, not only a count or a newest time. */
const NEEDS_RECORDS = new Set(['missing', 'duplicates', 'invalid', 'schema']);

export const datasetSchema = z
  .strictObject({
    ...common,
    system: ref('system'),
    schedule: cron
      .optional()
      .meta({ description: 'When to run the quality checks (none: only `ecotone check`).' }),
    source: datasetSourceSchema.optional().meta({ description: 'Where the checks read the data.' }),
    checks: z
      .array(qualityCheckSchema)
      .max(100)
      .default([])
      .meta({ description: 'Quality checks, each with warn and fail thresholds.' }),
  })
  .superRefine((dataset, ctx) => {
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: 'custom', path, input: undefined, params: { self: true }, message });
    if (dataset.checks.length > 0 && dataset.source === undefined)
      issue(['source'], 'required, expected a source for the checks');
    const seen = new Map<string, number>();
    dataset.checks.forEach((check, i) => {
      const name = defaultCheckName(check);
      const first = seen.get(name);
      if (first === undefined) seen.set(name, i);
      else
        issue(
          ['checks', i, 'name'],
          `duplicate check name "${name}" (first at checks[${first}]); give one a name`,
        );
      const source = dataset.source;
      if (source?.type !== 'http-json') {
        if (
          source?.type !== 'csv' &&
          (check.type === 'freshness' || (check.type === 'anomaly' && check.metric === 'freshness')) &&
          check.column === undefined
        )
          issue(
            ['checks', i, 'column'],
            `required with a ${source?.type ?? ''} source, expected a timestamp column`,
          );
        return;
      }
      if (
        source.records === undefined &&
        (NEEDS_RECORDS.has(check.type) || (check.type === 'consistency' && check.measure !== 'count'))
      )
        issue(
          ['checks', i, 'type'],
          `expected a source that reads records: http-json without records gives only row_count, freshness, anomaly and consistency by count`,
        );
      const needsNewest =
        check.type === 'freshness' || (check.type === 'anomaly' && check.metric === 'freshness');
      if (needsNewest && check.column === undefined && source.newest === undefined)
        issue(['checks', i, 'column'], 'required, expected a timestamp column (or newest on the source)');
    });
  });

export type DatasetSource = z.output<typeof datasetSourceSchema>;
export type QualityCheck = z.output<typeof qualityCheckSchema>;

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
