import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import {
  INTEGRATION_STATUSES,
  type ProbeRunRecord,
  type StatusState,
  type Store,
} from '../../../db/index.ts';
import { type Maintenance, TIERS } from '../../config/index.ts';
import type { IntegrationLabelCache } from '../../metrics/index.ts';
import { type Probing, runRecord } from '../../probing/index.ts';
import { IdParams, ProblemSchema } from '../api-schemas.ts';

export interface StatusRoutesOptions {
  store: Store;
  probing: Probing;
  labels: IntegrationLabelCache;
  maintenance: () => Maintenance[];
  now?: () => number;
}

const iso = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();
const problemContent = { 'application/problem+json': { schema: ProblemSchema } };

const MaintenanceSchema = z.object({ id: z.string(), description: z.string().nullable(), end: z.string() });
const StatusItemSchema = z
  .object({
    integration: z.string(),
    tier: z.string(),
    participant: z.string(),
    probed: z.boolean(),
    status: z.enum(INTEGRATION_STATUSES),
    since: z.string().nullable(),
    lastRunAt: z.string().nullable(),
    lastSuccessAt: z.string().nullable(),
    lastFailureClass: z.string().nullable(),
    availability: z
      .record(z.string(), z.number())
      .openapi({ description: 'Share of successful runs per window.' }),
    maintenance: MaintenanceSchema.nullable(),
  })
  .openapi('IntegrationStatus');

const RunSchema = z
  .object({
    startedAt: z.string(),
    durationMs: z.number(),
    success: z.boolean(),
    failureClass: z.string().optional(),
    reason: z.string().optional(),
    statusCode: z.int().optional(),
    tlsExpiresAt: z.string().optional(),
    phases: z.record(z.string(), z.number()).optional(),
  })
  .openapi('ProbeRun');

/** A stored or fresh run as the API shows it: times as ISO 8601, absent fields left out. */
function toApiRun(r: ProbeRunRecord) {
  return {
    startedAt: iso(r.startedAt) as string,
    durationMs: r.durationMs,
    success: r.success,
    ...(r.failureClass ? { failureClass: r.failureClass } : {}),
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.statusCode !== undefined ? { statusCode: r.statusCode } : {}),
    ...(r.tlsExpiresAt !== undefined ? { tlsExpiresAt: iso(r.tlsExpiresAt) as string } : {}),
    ...(r.phases ? { phases: r.phases } : {}),
  };
}

function activeMaintenance(
  windows: Maintenance[],
  id: string,
  tier: string,
  participant: string,
  at: number,
) {
  const window = windows.find((w) => {
    if (at < Date.parse(w.start) || at >= Date.parse(w.end)) return false;
    const all = w.integrations.length + w.participants.length + w.tiers.length === 0;
    return (
      all ||
      w.integrations.includes(id) ||
      w.participants.includes(participant) ||
      w.tiers.includes(tier as never)
    );
  });
  return window ? { id: window.id, description: window.description ?? null, end: window.end } : null;
}

/** Status of integrations from probes: the list, one integration's detail, and a probe run on demand. */
export function registerStatusRoutes(app: OpenAPIHono, options: StatusRoutesOptions): void {
  const { store, probing } = options;
  const now = options.now ?? Date.now;

  function item(id: string, attributes: { tier?: unknown; participant?: unknown }, probedIds: Set<string>) {
    const state: StatusState | undefined = probedIds.has(id) ? probing.recorder.status(id) : undefined;
    const tier = String(attributes.tier ?? '');
    const participant = String(attributes.participant ?? '');
    return {
      integration: id,
      tier,
      participant,
      probed: probedIds.has(id),
      status: state?.status ?? 'unknown',
      since: iso(state?.since),
      lastRunAt: iso(state?.lastResultAt),
      lastSuccessAt: iso(state?.lastSuccessAt),
      lastFailureClass: state?.lastFailureClass ?? null,
      availability: probing.availability().get(id) ?? {},
      maintenance: activeMaintenance(options.maintenance(), id, tier, participant, now()),
    };
  }

  const list = createRoute({
    method: 'get',
    path: '/status',
    tags: ['Status'],
    summary: 'Status of every integration in the catalog',
    request: {
      query: z.object({
        status: z.enum(INTEGRATION_STATUSES).optional(),
        tier: z.enum(TIERS).optional(),
        participant: z.string().min(1).max(63).optional(),
      }),
    },
    responses: {
      200: {
        description: 'Integrations with their status',
        content: {
          'application/json': { schema: z.object({ items: z.array(StatusItemSchema), total: z.int() }) },
        },
      },
      400: { description: 'Invalid query parameter', content: problemContent },
    },
  });
  app.openapi(list, async (c) => {
    const query = c.req.valid('query');
    const { byId } = await options.labels();
    const probedIds = new Set((await probing.catalog.current()).keys());
    const items = [];
    for (const [id, attributes] of byId) {
      const entry = item(id, attributes, probedIds);
      if (query.status && entry.status !== query.status) continue;
      if (query.tier && entry.tier !== query.tier) continue;
      if (query.participant && entry.participant !== query.participant) continue;
      items.push(entry);
    }
    return c.json({ items, total: items.length }, 200);
  });

  const one = createRoute({
    method: 'get',
    path: '/integrations/{id}/status',
    tags: ['Status'],
    summary: "One integration's status, recent runs and transitions",
    request: { params: IdParams },
    responses: {
      200: {
        description: 'Status detail',
        content: {
          'application/json': {
            schema: StatusItemSchema.extend({
              consecutiveFailures: z.int(),
              consecutiveSuccesses: z.int(),
              lastRuns: z.array(RunSchema),
              transitions: z.array(
                z.object({ at: z.string(), from: z.string(), to: z.string(), reason: z.string() }),
              ),
            }).openapi('IntegrationStatusDetail'),
          },
        },
      },
      404: { description: 'No such integration', content: problemContent },
    },
  });
  app.openapi(one, async (c) => {
    const { id } = c.req.valid('param');
    const attributes = (await options.labels()).byId.get(id);
    if (!attributes) throw new HTTPException(404, { message: `no integration with id "${id}"` });
    const probedIds = new Set((await probing.catalog.current()).keys());
    const state = probedIds.has(id) ? probing.recorder.status(id) : undefined;
    const runs = await store.listProbeRuns({ integrationId: id, limit: 20 });
    const transitions = await store.listStatusTransitions({ integrationId: id, limit: 20 });
    return c.json(
      {
        ...item(id, attributes, probedIds),
        consecutiveFailures: state?.consecutiveFailures ?? 0,
        consecutiveSuccesses: state?.consecutiveSuccesses ?? 0,
        lastRuns: runs.map(toApiRun),
        transitions: transitions.map((t) => ({
          at: iso(t.at) as string,
          from: t.from,
          to: t.to,
          reason: t.reason,
        })),
      },
      200,
    );
  });

  const probe = createRoute({
    method: 'post',
    path: '/integrations/{id}/probe',
    tags: ['Status'],
    summary: "Run an integration's probe now and return the result",
    request: { params: IdParams },
    responses: {
      200: { description: 'The probe result', content: { 'application/json': { schema: RunSchema } } },
      404: { description: 'No such integration', content: problemContent },
      409: { description: 'The integration declares no probe', content: problemContent },
    },
  });
  app.openapi(probe, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await store.get('integrations', id)))
      throw new HTTPException(404, { message: `no integration with id "${id}"` });
    const run = await probing.runNow(id);
    if (!run) throw new HTTPException(409, { message: `integration "${id}" declares no probe` });
    return c.json(toApiRun(runRecord(run)), 200);
  });
}
