import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { QUALITY_OUTCOMES, type QualityMethods, type StoredQualityResult } from '../../../db/quality.ts';
import type { Store } from '../../../db/store.ts';
import { type Dataset, defaultCheckName } from '../../config/catalog-schema.ts';
import { IdParams, ProblemSchema } from '../api-schemas.ts';

export interface QualityRoutesOptions {
  store: Pick<Store, 'get'> & QualityMethods;
  /** The datasets as configured (their declared checks). */
  datasets: () => readonly Dataset[];
  /** Past results per check by default (settings.quality.history). */
  history: number;
}

const problemContent = { 'application/problem+json': { schema: ProblemSchema } };
const iso = (ms: number) => new Date(ms).toISOString();

const PastSchema = z.object({
  runAt: z.string(),
  outcome: z.enum(QUALITY_OUTCOMES),
  value: z.number().nullable(),
  message: z.string(),
});
const CheckSchema = z
  .object({
    check: z.string(),
    type: z.string(),
    outcome: z
      .enum(QUALITY_OUTCOMES)
      .nullable()
      .openapi({ description: 'Latest outcome; null before the first run.' }),
    value: z.number().nullable(),
    unit: z.string().nullable(),
    threshold: z.record(z.string(), z.string()),
    message: z.string().nullable(),
    rows: z.number().nullable(),
    runAt: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
    history: z
      .array(PastSchema)
      .openapi({ description: 'Earlier results, newest first (the latest excluded).' }),
  })
  .openapi('QualityCheckResult');
const QualitySchema = z
  .object({
    dataset: z.string(),
    system: z.string(),
    outcome: z
      .enum(QUALITY_OUTCOMES)
      .nullable()
      .openapi({ description: 'Worst latest outcome over the checks; null before the first run.' }),
    checks: z.array(CheckSchema),
    schemaChanges: z.array(
      z.object({
        observedAt: z.string(),
        changes: z.array(
          z.object({
            column: z.string(),
            change: z.string(),
            from: z.string().optional(),
            to: z.string().optional(),
          }),
        ),
      }),
    ),
  })
  .openapi('DatasetQuality');

const SEVERITY = { pass: 0, warn: 1, fail: 2, error: 3 } as const;

/**
 * `GET /datasets/{id}/quality`: the latest result of each declared check with its recent history,
 * and the dataset's recent schema changes. Source settings are never part of the answer.
 */
export function registerQualityRoutes(app: OpenAPIHono, options: QualityRoutesOptions): void {
  const { store } = options;
  const route = createRoute({
    method: 'get',
    path: '/datasets/{id}/quality',
    tags: ['Data quality'],
    summary: "A dataset's latest quality results per check, with history",
    request: {
      params: IdParams,
      query: z.object({
        history: z.coerce
          .number()
          .int()
          .min(0)
          .max(1000)
          .default(options.history)
          .openapi({ description: `Earlier results per check (default ${options.history}, at most 1000).` }),
      }),
    },
    responses: {
      200: { description: 'Quality results', content: { 'application/json': { schema: QualitySchema } } },
      400: { description: 'Invalid query parameter', content: problemContent },
      404: { description: 'No such dataset', content: problemContent },
    },
  });
  app.openapi(route, async (c) => {
    const { id } = c.req.valid('param');
    const { history } = c.req.valid('query');
    const row = await store.get('datasets', id);
    if (!row || row.retiredAt !== null)
      throw new HTTPException(404, { message: `no dataset with id "${id}"` });
    const declared = options.datasets().find((d) => d.id === id);
    const latest = new Map((await store.latestQualityResults({ datasetId: id })).map((r) => [r.check, r]));
    const names = declared
      ? declared.checks.map((check) => ({ name: defaultCheckName(check), type: check.type }))
      : [];
    const checks = [];
    let outcome: (typeof QUALITY_OUTCOMES)[number] | null = null;
    for (const { name, type } of names) {
      const last: StoredQualityResult | undefined = latest.get(name);
      const past =
        last && history > 0
          ? (await store.listQualityResults({ datasetId: id, check: name, limit: history + 1 })).slice(1)
          : [];
      if (last && (outcome === null || SEVERITY[last.outcome] > SEVERITY[outcome])) outcome = last.outcome;
      checks.push({
        check: name,
        type,
        outcome: last?.outcome ?? null,
        value: last?.value ?? null,
        unit: last?.unit ?? null,
        threshold: last?.threshold ?? {},
        message: last?.message ?? null,
        rows: last?.rows ?? null,
        runAt: last ? iso(last.runAt) : null,
        details: last?.details ?? null,
        history: past.map((p) => ({
          runAt: iso(p.runAt),
          outcome: p.outcome,
          value: p.value,
          message: p.message,
        })),
      });
    }
    const schemaChanges = (await store.listSchemaChanges({ datasetId: id, limit: 20 })).map((s) => ({
      observedAt: iso(s.observedAt),
      changes: s.changes.map((ch) => ({
        column: ch.column,
        change: ch.change,
        ...(ch.from !== undefined ? { from: ch.from } : {}),
        ...(ch.to !== undefined ? { to: ch.to } : {}),
      })),
    }));
    return c.json({ dataset: id, system: row.systemId, outcome, checks, schemaChanges }, 200);
  });
}
