import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import type { KpiMethods } from '../../../db/kpi.ts';
import { KPI_BY_NAME, KPI_DEFINITIONS, type KpiDefinition } from '../../kpis/definitions.ts';
import type { KpiState } from '../../kpis/state.ts';
import { ProblemSchema } from '../api-schemas.ts';

export interface KpiRoutesOptions {
  store: Pick<KpiMethods, 'listKpiSnapshots'>;
  state: KpiState;
  /** Most history points one request returns. */
  maxPoints?: number;
}

const problemContent = { 'application/problem+json': { schema: ProblemSchema } };
const iso = (ms: number) => new Date(ms).toISOString();
const SeriesValue = z.object({ labels: z.record(z.string(), z.string()), value: z.number() });
const KpiSchema = z
  .object({
    name: z.string(),
    metric: z.string().nullable(),
    family: z.string(),
    type: z.enum(['gauge', 'counter']),
    unit: z.string(),
    labels: z.array(z.string()),
    window: z.string(),
    source: z.string(),
    formula: z.string(),
    description: z.string(),
    computedAt: z.string().nullable(),
    values: z.array(SeriesValue),
  })
  .openapi('Kpi');

const FILTERS = ['participant', 'integration', 'channel'] as const;

function describe(k: KpiDefinition, state: KpiState, filter: Record<string, string>) {
  const current = state.get(k.name);
  return {
    name: k.name,
    metric: k.metric === false ? null : `ecotone_${k.name}`,
    family: k.family,
    type: k.type,
    unit: k.unit,
    labels: k.labels,
    window: k.window,
    source: k.source,
    formula: k.formula,
    description: k.description,
    computedAt: current ? iso(current.at) : null,
    values: (current?.samples ?? []).filter((s) =>
      Object.entries(filter).every(([key, v]) => s.labels[key] === v),
    ),
  };
}

const time = z
  .string()
  .refine((t) => Number.isFinite(Date.parse(t)), { error: 'expected an ISO 8601 date-time' })
  .transform((t) => Date.parse(t));

/**
 * `GET /kpis` (every KPI with its definition and current values) and `GET /kpis/{name}` (its
 * history from the stored snapshots, `step` apart: the last snapshot of each step).
 */
export function registerKpiRoutes(app: OpenAPIHono, options: KpiRoutesOptions): void {
  const { store, state } = options;
  const maxPoints = options.maxPoints ?? 10_000;
  const filterQuery = Object.fromEntries(
    FILTERS.map((f) => [
      f,
      z
        .string()
        .min(1)
        .max(63)
        .optional()
        .openapi({ description: `Only series with this ${f} (where the KPI has the label).` }),
    ]),
  ) as Record<(typeof FILTERS)[number], z.ZodOptional<z.ZodString>>;
  const filterOf = (q: Partial<Record<(typeof FILTERS)[number], string | undefined>>, k?: KpiDefinition) =>
    Object.fromEntries(
      FILTERS.flatMap((f) =>
        q[f] !== undefined && (!k || k.labels.includes(f)) ? [[f, q[f] as string]] : [],
      ),
    );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/kpis',
      tags: ['KPIs'],
      summary: 'Every KPI with its unit, definition and current values',
      request: { query: z.object(filterQuery) },
      responses: {
        200: {
          description: 'KPIs',
          content: { 'application/json': { schema: z.object({ items: z.array(KpiSchema) }) } },
        },
        400: { description: 'Invalid query parameter', content: problemContent },
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      return c.json({ items: KPI_DEFINITIONS.map((k) => describe(k, state, filterOf(query, k))) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/kpis/{name}',
      tags: ['KPIs'],
      summary: "A KPI's definition, current values and history",
      request: {
        params: z.object({
          name: z
            .string()
            .min(1)
            .max(100)
            .openapi({ param: { name: 'name', in: 'path' }, example: 'active_users' }),
        }),
        query: z.object({
          from: time.optional().openapi({ description: 'Start (ISO 8601; default 24 hours before `to`).' }),
          to: time.optional().openapi({ description: 'End (ISO 8601; default now).' }),
          step: z.coerce.number().int().min(1).max(86_400).optional().openapi({
            description: 'Seconds between points: the last snapshot of each step (default: every snapshot).',
          }),
          ...filterQuery,
        }),
      },
      responses: {
        200: {
          description: 'The KPI and its history',
          content: {
            'application/json': {
              schema: KpiSchema.extend({
                history: z.array(
                  z.object({
                    labels: z.record(z.string(), z.string()),
                    points: z.array(z.object({ at: z.string(), value: z.number() })),
                  }),
                ),
              }),
            },
          },
        },
        400: { description: 'Invalid query parameter', content: problemContent },
        404: { description: 'No such KPI', content: problemContent },
      },
    }),
    async (c) => {
      const { name } = c.req.valid('param');
      const query = c.req.valid('query');
      const kpi = KPI_BY_NAME.get(name);
      if (!kpi) throw new HTTPException(404, { message: `no KPI named "${name}"` });
      const to = query.to ?? Date.now();
      const from = query.from ?? to - 86_400_000;
      if (from > to) throw new HTTPException(400, { message: 'query.from: expected from to be before to' });
      const filter = filterOf(query, kpi);
      const rows = await store.listKpiSnapshots({ name, from, to, labels: filter, limit: maxPoints });
      const series = new Map<
        string,
        { labels: Record<string, string>; points: Map<number, { at: number; value: number }> }
      >();
      const stepMs = (query.step ?? 0) * 1000;
      for (const row of rows) {
        const key = JSON.stringify(row.labels);
        const entry = series.get(key) ?? { labels: row.labels, points: new Map() };
        entry.points.set(stepMs > 0 ? Math.floor(row.at / stepMs) : row.at, { at: row.at, value: row.value });
        series.set(key, entry);
      }
      return c.json(
        {
          ...describe(kpi, state, filter),
          history: [...series.values()].map((s) => ({
            labels: s.labels,
            points: [...s.points.values()].map((p) => ({ at: iso(p.at), value: p.value })),
          })),
        },
        200,
      );
    },
  );
}
