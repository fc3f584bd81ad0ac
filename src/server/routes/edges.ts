import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { type DiscoveredEdge, EDGE_STATUSES, type Store } from '../../../db/index.ts';
import { INTEGRATION_KINDS, integrationSchema, TIERS } from '../../config/index.ts';
import { IdParams, ProblemSchema } from '../api-schemas.ts';
import { problem, problemResponse } from '../problem.ts';

export interface EdgeRoutesOptions {
  store: Store;
  defaultPageSize: number;
  maxPageSize: number;
  /** Called after an adoption changed the catalog, so ingest matches the new integration at once. */
  onCatalogChanged?: () => void;
  now?: () => number;
}

const iso = (ms: number) => new Date(ms).toISOString();
const problemContent = { 'application/problem+json': { schema: ProblemSchema } };

const EdgeSchema = z
  .object({
    id: z.string(),
    caller: z.object({ service: z.string(), system: z.string().nullable() }),
    callee: z.object({ service: z.string(), system: z.string().nullable() }),
    firstSeen: z.string(),
    lastSeen: z.string(),
    calls: z.int(),
    errors: z.int(),
    status: z.enum(EDGE_STATUSES),
    integration: z.string().nullable().openapi({ description: 'The integration an adopted edge became.' }),
  })
  .openapi('DiscoveredEdge');

const toApi = (e: DiscoveredEdge) => ({
  id: e.id,
  caller: { service: e.callerService, system: e.callerSystemId },
  callee: { service: e.calleeService, system: e.calleeSystemId },
  firstSeen: iso(e.firstSeen),
  lastSeen: iso(e.lastSeen),
  calls: e.calls,
  errors: e.errors,
  status: e.status,
  integration: e.integrationId,
});

const catalogId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, { error: 'expected a lowercase id: a-z, 0-9, ".", "_", "-"' });

const AdoptBody = z
  .strictObject({
    id: catalogId.optional().openapi({ description: 'Integration id (default: "<caller>-to-<callee>").' }),
    name: z.string().min(1).max(200).optional(),
    from: catalogId
      .optional()
      .openapi({ description: "Calling system (default: the caller service's system)." }),
    to: catalogId
      .optional()
      .openapi({ description: "Called system (default: the callee service's system)." }),
    kind: z.enum(INTEGRATION_KINDS).default('api'),
    tier: z.enum(TIERS).default('medium'),
    owner: z.string().min(1).max(200).optional(),
  })
  .openapi('AdoptEdge');

/** Lowercase id from service names: `Checkout API` + `search` → `checkout-api-to-search`. */
function defaultId(edge: DiscoveredEdge): string {
  const slug = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '');
  return (
    `${slug(edge.callerService)}-to-${slug(edge.calleeService)}`.slice(0, 63).replace(/-+$/, '') || 'adopted'
  );
}

/**
 * `GET /discovered-edges` (paged, by status), `GET /discovered-edges/{id}`,
 * `POST /discovered-edges/{id}/adopt` (into the catalog as an integration matching the edge's
 * calls) and `PATCH /discovered-edges/{id}` (ignore or reopen).
 */
export function registerEdgeRoutes(app: OpenAPIHono, options: EdgeRoutesOptions): void {
  const { store } = options;
  const now = options.now ?? Date.now;

  const list = createRoute({
    method: 'get',
    path: '/discovered-edges',
    tags: ['Discovery'],
    summary: 'List calls between services that no integration matches',
    request: {
      query: z.object({
        status: z.enum(EDGE_STATUSES).optional().openapi({ description: 'Only edges with this status.' }),
        limit: z.coerce.number().int().min(1).max(options.maxPageSize).default(options.defaultPageSize),
        offset: z.coerce.number().int().min(0).default(0),
      }),
    },
    responses: {
      200: {
        description: 'Edges, most recently seen first',
        content: {
          'application/json': {
            schema: z.object({ items: z.array(EdgeSchema), total: z.int(), limit: z.int(), offset: z.int() }),
          },
        },
      },
      400: { description: 'Invalid query parameter', content: problemContent },
    },
  });
  app.openapi(list, async (c) => {
    const { status, limit, offset } = c.req.valid('query');
    const page = await store.listDiscoveredEdges({ ...(status ? { status } : {}), limit, offset });
    return c.json({ items: page.items.map(toApi), total: page.total, limit, offset }, 200);
  });

  const edgeParams = z.object({ id: IdParams.shape.id.openapi({ example: 'edge_3f9a0c1d2b4e5f60' }) });
  const notFound = (id: string) => new HTTPException(404, { message: `no discovered edge with id "${id}"` });

  const get = createRoute({
    method: 'get',
    path: '/discovered-edges/{id}',
    tags: ['Discovery'],
    summary: 'Get one discovered edge',
    request: { params: edgeParams },
    responses: {
      200: { description: 'The edge', content: { 'application/json': { schema: EdgeSchema } } },
      404: { description: 'No such edge', content: problemContent },
    },
  });
  app.openapi(get, async (c) => {
    const { id } = c.req.valid('param');
    const edge = await store.getDiscoveredEdge(id);
    if (!edge) throw notFound(id);
    return c.json(toApi(edge), 200);
  });

  const adopt = createRoute({
    method: 'post',
    path: '/discovered-edges/{id}/adopt',
    tags: ['Discovery'],
    summary: 'Adopt a discovered edge into the catalog as an integration',
    description:
      'Creates an integration from the caller system to the callee system with a match rule on the two services, so its calls count from now on. The integration lives in the store (origin "api"); add it to ecosystem.yaml to manage it as code.',
    request: {
      params: edgeParams,
      body: { content: { 'application/json': { schema: AdoptBody } }, required: false },
    },
    responses: {
      201: {
        description: 'The integration created',
        content: { 'application/json': { schema: z.object({ integration: z.string(), edge: EdgeSchema }) } },
      },
      400: { description: 'Systems missing or unknown', content: problemContent },
      404: { description: 'No such edge', content: problemContent },
      409: { description: 'The edge is not open, or the integration id is taken', content: problemContent },
    },
  });
  app.openapi(adopt, async (c) => {
    const { id } = c.req.valid('param');
    const raw = (await c.req.text()).trim();
    let input: unknown = {};
    try {
      if (raw !== '') input = JSON.parse(raw);
    } catch (error) {
      return problemResponse(c, problem(400, `body is not valid JSON: ${(error as Error).message}`)) as never;
    }
    const parsed = AdoptBody.safeParse(input);
    if (!parsed.success) {
      const fieldErrors = parsed.error.issues.map((i) => ({
        field: ['body', ...i.path.map(String)].join('.'),
        message: i.message,
      }));
      return problemResponse(
        c,
        problem(400, fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; '), fieldErrors),
      ) as never;
    }
    const body = parsed.data;
    const edge = await store.getDiscoveredEdge(id);
    if (!edge) throw notFound(id);
    if (edge.status !== 'open')
      throw new HTTPException(409, { message: `edge "${id}" is ${edge.status}, not open` });
    const from = body.from ?? edge.callerSystemId ?? undefined;
    const to = body.to ?? edge.calleeSystemId ?? undefined;
    const errors = [
      ...(from
        ? []
        : [{ field: 'body.from', message: `no system lists service "${edge.callerService}"; name one` }]),
      ...(to
        ? []
        : [{ field: 'body.to', message: `no system lists service "${edge.calleeService}"; name one` }]),
    ];
    for (const [field, systemId] of [
      ['body.from', from],
      ['body.to', to],
    ] as const) {
      if (systemId && !(await store.get('systems', systemId)))
        errors.push({ field, message: `no system "${systemId}" in the catalog` });
    }
    if (from && to && from === to)
      errors.push({ field: 'body.to', message: 'expected a system other than from' });
    if (errors.length > 0)
      return problemResponse(
        c,
        problem(400, errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors),
      ) as never;
    const integrationId = body.id ?? defaultId(edge);
    const spec = integrationSchema.parse({
      id: integrationId,
      name: body.name ?? `${edge.callerService} to ${edge.calleeService}`,
      description: `Adopted from calls discovered in traces (${edge.id}).`,
      from,
      to,
      kind: body.kind,
      tier: body.tier,
      ...(body.owner ? { owner: body.owner } : {}),
      match: [{ side: 'client', service: edge.callerService, calleeService: edge.calleeService }],
    });
    const result = await store.adoptDiscoveredEdge(
      id,
      {
        id: integrationId,
        name: spec.name ?? integrationId,
        owner: spec.owner,
        sourceSystemId: from as string,
        targetSystemId: to as string,
        kind: spec.kind,
        tier: spec.tier,
        spec,
      },
      { now: now() },
    );
    if (!result.ok) {
      if (result.reason === 'not-found') throw notFound(id);
      throw new HTTPException(409, {
        message:
          result.reason === 'id-taken'
            ? `integration id "${integrationId}" is taken; choose another with "id"`
            : `edge "${id}" is not open`,
      });
    }
    options.onCatalogChanged?.();
    return c.json(
      { integration: integrationId, edge: toApi((await store.getDiscoveredEdge(id)) as DiscoveredEdge) },
      201,
    );
  });

  const patch = createRoute({
    method: 'patch',
    path: '/discovered-edges/{id}',
    tags: ['Discovery'],
    summary: 'Ignore a discovered edge, or reopen an ignored one',
    request: {
      params: edgeParams,
      body: {
        content: { 'application/json': { schema: z.strictObject({ status: z.enum(['open', 'ignored']) }) } },
        required: true,
      },
    },
    responses: {
      200: { description: 'The edge', content: { 'application/json': { schema: EdgeSchema } } },
      400: { description: 'Invalid body', content: problemContent },
      404: { description: 'No such edge', content: problemContent },
      409: { description: 'The edge was adopted', content: problemContent },
    },
  });
  app.openapi(patch, async (c) => {
    const { id } = c.req.valid('param');
    const { status } = c.req.valid('json');
    const edge = await store.getDiscoveredEdge(id);
    if (!edge) throw notFound(id);
    if (edge.status === 'adopted') throw new HTTPException(409, { message: `edge "${id}" was adopted` });
    await store.setDiscoveredEdgeStatus(id, status);
    return c.json(toApi((await store.getDiscoveredEdge(id)) as DiscoveredEdge), 200);
  });
}
