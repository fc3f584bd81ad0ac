import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import {
  affectedIntegrations,
  blastRadius,
  type KpiCatalog,
  revenueThrough,
} from '../../../jobs/kpi/index.ts';
import type { KpiState } from '../../kpis/state.ts';
import { IdParams, ProblemSchema } from '../api-schemas.ts';

export interface HealthScoreRoutesOptions {
  state: KpiState;
  /** The catalog as the KPI jobs read it (cached by revision). */
  catalog: () => Promise<KpiCatalog>;
}

const problemContent = { 'application/problem+json': { schema: ProblemSchema } };
const ComponentSchema = z.object({
  name: z.string(),
  weight: z.number(),
  share: z.number(),
  score: z.number().nullable(),
  value: z.union([z.number(), z.string()]).nullable(),
  unit: z.string(),
  lost: z.number(),
  lowered: z.string().nullable(),
});
const ExplanationSchema = z
  .object({
    kind: z.enum(['integration', 'participant', 'ecosystem']),
    id: z.string(),
    score: z.number().nullable(),
    summary: z.string(),
    computedAt: z.string(),
    components: z.array(ComponentSchema),
  })
  .openapi('HealthScore');

/**
 * `GET /health/{kind}/{id}`: a health score and each component with its value, weight and what
 * lowered it; `GET /integrations/{id}/impact`: the blast radius and revenue at risk.
 */
export function registerHealthScoreRoutes(app: OpenAPIHono, options: HealthScoreRoutesOptions): void {
  const { state } = options;
  app.openapi(
    createRoute({
      method: 'get',
      path: '/health/{kind}/{id}',
      tags: ['Health'],
      summary: 'An explained health score of an integration, a participant or the ecosystem',
      request: {
        params: z.object({
          kind: z
            .enum(['integration', 'participant', 'ecosystem'])
            .openapi({ param: { name: 'kind', in: 'path' } }),
          id: z
            .string()
            .min(1)
            .max(63)
            .openapi({
              param: { name: 'id', in: 'path' },
              example: 'checkout-payment',
              description: 'Any id for the ecosystem.',
            }),
        }),
      },
      responses: {
        200: {
          description: 'The score explained',
          content: { 'application/json': { schema: ExplanationSchema } },
        },
        400: { description: 'Invalid kind', content: problemContent },
        404: { description: 'No score for it (yet)', content: problemContent },
      },
    }),
    async (c) => {
      const { kind, id } = c.req.valid('param');
      const report = state.health();
      const explanation =
        kind === 'ecosystem'
          ? report?.ecosystem
          : kind === 'integration'
            ? report?.integrations.get(id)
            : report?.participants.get(id);
      if (!explanation) throw new HTTPException(404, { message: `no health score for ${kind} "${id}"` });
      return c.json({ ...explanation, computedAt: new Date(explanation.computedAt).toISOString() }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/integrations/{id}/impact',
      tags: ['Health'],
      summary: 'Blast radius and revenue at risk of an integration',
      request: { params: IdParams },
      responses: {
        200: {
          description: 'Impact',
          content: {
            'application/json': {
              schema: z.object({
                integration: z.string(),
                status: z.string(),
                atRisk: z.boolean(),
                downstream: z.array(z.string()),
                upstream: z.array(z.string()),
                workflows: z.array(z.string()),
                workflowIntegrations: z.array(z.string()),
                participants: z.array(z.string()),
                revenuePerHour: z.array(z.object({ currency: z.string(), amount: z.number() })),
                revenueAtRisk: z.array(z.object({ currency: z.string(), amount: z.number() })),
              }),
            },
          },
        },
        404: { description: 'No such integration', content: problemContent },
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const radius = blastRadius(await options.catalog(), id);
      if (!radius) throw new HTTPException(404, { message: `no integration with id "${id}"` });
      const report = state.health();
      const status = report?.statuses.get(id) ?? 'unknown';
      const atRisk = status === 'degraded' || status === 'down';
      const revenue = [
        ...revenueThrough(affectedIntegrations(radius), report?.hourlyRevenue ?? new Map()),
      ].map(([currency, amount]) => ({ currency, amount }));
      return c.json(
        {
          ...radius,
          status,
          atRisk,
          revenuePerHour: revenue,
          revenueAtRisk: revenue.map((r) => ({ currency: r.currency, amount: atRisk ? r.amount : 0 })),
        },
        200,
      );
    },
  );
}
