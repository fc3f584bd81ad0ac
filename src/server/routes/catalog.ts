import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { CATALOG_KINDS, type CatalogKind, type Store } from '../../../db/index.ts';
import {
  CATALOG_API,
  IdParams,
  itemSchema,
  listQuerySchema,
  listSchema,
  ProblemSchema,
  toApiEntry,
} from '../api-schemas.ts';

export interface CatalogRoutesOptions {
  store: Store;
  defaultPageSize: number;
  maxPageSize: number;
}

const problemContent = { 'application/problem+json': { schema: ProblemSchema } };

/** `GET /{kind}` (filtered, paged) and `GET /{kind}/{id}` for every catalog kind. */
export function registerCatalogRoutes(app: OpenAPIHono, options: CatalogRoutesOptions): void {
  for (const kind of CATALOG_KINDS) registerKind(app, kind, options);
}

function registerKind(app: OpenAPIHono, kind: CatalogKind, options: CatalogRoutesOptions): void {
  const { store } = options;
  const name = CATALOG_API[kind].name;
  const query = listQuerySchema(kind, options.maxPageSize, options.defaultPageSize);

  const list = createRoute({
    method: 'get',
    path: `/${kind}`,
    tags: ['Catalog'],
    summary: `List ${kind}`,
    request: { query },
    responses: {
      200: {
        description: `A page of ${kind}`,
        content: { 'application/json': { schema: listSchema(kind) } },
      },
      400: { description: 'Invalid query parameter', content: problemContent },
    },
  });
  app.openapi(list, async (c) => {
    const { limit, offset, includeRetired, ...filter } = c.req.valid('query') as {
      limit: number;
      offset: number;
      includeRetired: boolean;
    } & Record<string, string | undefined>;
    const page = await store.list(kind, { filter, includeRetired, limit, offset });
    return c.json(
      { items: page.items.map((row) => toApiEntry(kind, row)), total: page.total, limit, offset },
      200,
    );
  });

  const get = createRoute({
    method: 'get',
    path: `/${kind}/{id}`,
    tags: ['Catalog'],
    summary: `Get one ${name.toLowerCase()} by id`,
    request: { params: IdParams },
    responses: {
      200: {
        description: `The ${name.toLowerCase()}`,
        content: { 'application/json': { schema: itemSchema(kind) } },
      },
      404: { description: 'No such entry', content: problemContent },
    },
  });
  app.openapi(get, async (c) => {
    const { id } = c.req.valid('param');
    const row = await store.get(kind, id);
    if (!row) throw new HTTPException(404, { message: `no ${name.toLowerCase()} with id "${id}"` });
    return c.json(toApiEntry(kind, row), 200);
  });
}
