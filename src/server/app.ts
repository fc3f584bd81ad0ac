import { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from 'pino';
import { CATALOG_KINDS, type Store } from '../../db/index.ts';
import type { Config } from '../config/index.ts';
import type { IngestRoutes } from '../ingest/index.ts';
import type { Telemetry } from '../telemetry/index.ts';
import { registerUi, wantsHtml } from '../ui/index.ts';
import { type AuthOptions, authMiddleware } from './auth.ts';
import { type FieldProblem, problem, problemResponse } from './problem.ts';
import { registerCatalogRoutes } from './routes/catalog.ts';
import { type EdgeRoutesOptions, registerEdgeRoutes } from './routes/edges.ts';
import { registerGraphRoutes } from './routes/graph.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { type HealthScoreRoutesOptions, registerHealthScoreRoutes } from './routes/health-score.ts';
import { registerIngestRoutes } from './routes/ingest.ts';
import { type KpiRoutesOptions, registerKpiRoutes } from './routes/kpis.ts';
import { registerMetricsRoute } from './routes/metrics.ts';
import { registerQualityRoutes } from './routes/quality.ts';
import { registerStatusRoutes, type StatusRoutesOptions } from './routes/status.ts';

export interface AppDependencies {
  config: Config;
  store: Store;
  telemetry: Telemetry;
  logger: Logger;
  /** Whether the scheduler runs, for `/readyz`. */
  schedulerRunning: () => boolean;
  version: string;
  /** The prober, for the status API; without it the status routes are not served. */
  status?: Omit<StatusRoutesOptions, 'store'>;
  /** Token checks in front of every route; without it nothing is checked. */
  auth?: AuthOptions;
  /** Trace and event ingest; without it `/v1/traces` and `/v1/events` are not served. */
  ingest?: IngestRoutes;
  /** Discovered edges API; served when ingest is. */
  edges?: Pick<EdgeRoutesOptions, 'onCatalogChanged'>;
  /** KPI results and the catalog graph; without them the KPI and health-score routes are not served. */
  kpis?: Pick<KpiRoutesOptions, 'state'> & Pick<HealthScoreRoutesOptions, 'catalog'>;
}

const TARGET_NAMES: Record<string, string> = {
  param: 'path',
  query: 'query',
  json: 'body',
  header: 'header',
};

/** Turns a validation failure into field problems named like `query.limit`. */
function fieldProblems(target: string, issues: { path: PropertyKey[]; message: string }[]): FieldProblem[] {
  const prefix = TARGET_NAMES[target] ?? target;
  return issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

/**
 * Builds the HTTP application: health, `/metrics`, the catalog API under `/api/v1` with its
 * OpenAPI document. Nothing here listens on a port; tests call `app.request()`.
 *
 * @example
 * const app = createApp({ config, store, telemetry, logger, schedulerRunning: () => true, version });
 * const res = await app.request('/api/v1/integrations?tier=critical');
 */
export function createApp(deps: AppDependencies): OpenAPIHono {
  const { config, store, telemetry, logger } = deps;
  const app = new OpenAPIHono();

  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    logger.debug(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  });

  app.notFound((c) => problemResponse(c, problem(404, `no route for ${c.req.method} ${c.req.path}`)));
  app.onError((error, c) => {
    if (error instanceof HTTPException) return problemResponse(c, problem(error.status, error.message));
    logger.error({ err: error, method: c.req.method, path: c.req.path }, 'request failed');
    return problemResponse(c, problem(500, 'internal error'));
  });

  if (deps.auth) {
    const auth = authMiddleware(deps.auth);
    // The status page's data is open to partners when settings.ui.statusPagePublic says so.
    const open = config.settings.ui.enabled && config.settings.ui.statusPagePublic;
    app.use(open ? (c, next) => (c.req.path === '/api/v1/status-page' ? next() : auth(c, next)) : auth);
  }

  const ui = config.settings.ui.enabled
    ? registerUi(app, { refreshMs: config.settings.ui.refreshInterval, version: deps.version })
    : undefined;
  app.get('/', (c) =>
    ui && wantsHtml(c)
      ? ui.map(c)
      : c.json({
          name: 'ecotone',
          version: deps.version,
          links: {
            metrics: '/metrics',
            health: '/healthz',
            ready: '/readyz',
            api: '/api/v1',
            openapi: '/api/v1/openapi.json',
            ...(deps.ingest ? { traces: '/v1/traces', events: '/v1/events' } : {}),
            ...(ui ? { map: '/', status: '/status' } : {}),
          },
        }),
  );
  if (deps.ingest) registerIngestRoutes(app, deps.ingest);
  registerHealthRoutes(app, { store, schedulerRunning: deps.schedulerRunning });
  registerMetricsRoute(app, telemetry, logger);

  const api = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (result.success) return;
      const errors = fieldProblems(result.target, result.error.issues);
      const detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
      return problemResponse(c, problem(400, detail, errors));
    },
  });
  registerCatalogRoutes(api, {
    store,
    defaultPageSize: config.settings.limits.apiPageSize,
    maxPageSize: config.settings.limits.apiMaxPageSize,
  });
  if (deps.status) registerStatusRoutes(api, { store, ...deps.status });
  registerGraphRoutes(api, {
    store,
    ...(deps.status ? { probing: deps.status.probing } : {}),
    maintenance: () => config.maintenance,
  });
  registerQualityRoutes(api, {
    store,
    datasets: () => config.datasets,
    history: config.settings.quality.history,
  });
  if (deps.ingest)
    registerEdgeRoutes(api, {
      store,
      defaultPageSize: config.settings.limits.apiPageSize,
      maxPageSize: config.settings.limits.apiMaxPageSize,
      ...deps.edges,
    });
  if (deps.kpis) {
    registerKpiRoutes(api, { store, state: deps.kpis.state });
    registerHealthScoreRoutes(api, deps.kpis);
  }
  api.get('/', (c) =>
    c.json({
      openapi: '/api/v1/openapi.json',
      collections: {
        ...Object.fromEntries(CATALOG_KINDS.map((kind) => [kind, `/api/v1/${kind}`])),
        ...(deps.status ? { status: '/api/v1/status' } : {}),
        ...(deps.ingest ? { discoveredEdges: '/api/v1/discovered-edges' } : {}),
        ...(deps.kpis ? { kpis: '/api/v1/kpis', health: '/api/v1/health/ecosystem/all' } : {}),
      },
    }),
  );
  api.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Ecotone API',
      version: deps.version,
      description: 'The ecosystem catalog and its health, usage, value and data-quality results.',
    },
  });
  app.route('/api/v1', api);
  return app;
}
