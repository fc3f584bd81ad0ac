import type { MiddlewareHandler } from 'hono';
import type { ApiToken, Store, TokenScope } from '../../db/index.ts';
import {
  createRateLimiter,
  createTokenResolver,
  hasScope,
  type RateLimiter,
  type TokenResolver,
} from '../auth/index.ts';
import type { Settings } from '../config/index.ts';
import { problem, problemResponse } from './problem.ts';

/** Why a request was turned away before reaching its route, as counted in metrics. */
export type AuthRejection = 'unauthorized' | 'forbidden' | 'rate_limited';

export interface AuthOptions {
  /** Off: every request passes with no token (the demo). */
  enabled: boolean;
  /** Whether `/metrics` needs a read token. */
  protectMetrics: boolean;
  resolver: TokenResolver;
  limiter: RateLimiter;
  onReject?: (reason: AuthRejection, path: string) => void;
}

/**
 * Auth options from `settings.auth`: tokens looked up in the store (cached for `tokenCacheMs`,
 * default 5 s) and a per-token rate limiter.
 */
export function authOptions(
  store: Store,
  auth: Settings['auth'],
  extra: { tokenCacheMs?: number; onReject?: AuthOptions['onReject'] } = {},
): AuthOptions {
  return {
    enabled: auth.enabled,
    protectMetrics: auth.protectMetrics,
    resolver: createTokenResolver(
      store,
      extra.tokenCacheMs === undefined ? {} : { ttlMs: extra.tokenCacheMs },
    ),
    limiter: createRateLimiter({
      ratePerSecond: auth.rateLimit.requestsPerSecond,
      burst: auth.rateLimit.burst,
    }),
    ...(extra.onReject ? { onReject: extra.onReject } : {}),
  };
}

const tokens = new WeakMap<Request, ApiToken>();

/** The token a request was authenticated with; undefined when auth is off or the path is open. */
export function requestToken(request: Request): ApiToken | undefined {
  return tokens.get(request);
}

/**
 * The scope a request needs: `ingest` for `/v1/*`, `read` for reads under `/api/v1` (the OpenAPI
 * document stays open), `admin` for writes there, `read` for `/metrics` when protected; nothing
 * for health, readiness and the root.
 */
export function requiredScope(method: string, path: string, protectMetrics: boolean): TokenScope | undefined {
  if (path.startsWith('/v1/')) return 'ingest';
  if (path === '/api/v1' || path.startsWith('/api/v1/')) {
    if (path === '/api/v1/openapi.json') return undefined;
    return method === 'GET' || method === 'HEAD' ? 'read' : 'admin';
  }
  if (path === '/metrics') return protectMetrics ? 'read' : undefined;
  return undefined;
}

const CHALLENGE = 'Bearer realm="ecotone"';

/**
 * Bearer-token authentication, scope checks and a per-token rate limit, in front of every route.
 * 401 for a missing or unknown token (with a `WWW-Authenticate` challenge), 403 for a token without
 * the scope, 429 with `Retry-After` when the token is over its rate.
 */
export function authMiddleware(options: AuthOptions): MiddlewareHandler {
  return async (c, next) => {
    const scope = requiredScope(c.req.method, c.req.path, options.protectMetrics);
    if (!options.enabled || scope === undefined) return next();
    const reject = (
      reason: AuthRejection,
      status: number,
      detail: string,
      headers: Record<string, string>,
    ) => {
      options.onReject?.(reason, c.req.path);
      return problemResponse(c, problem(status, detail), headers);
    };
    const header = c.req.header('authorization');
    const match = header === undefined ? null : /^Bearer[ \t]+(\S+)\s*$/i.exec(header);
    if (!match)
      return reject(
        'unauthorized',
        401,
        header === undefined
          ? `${c.req.path} needs a bearer token with the ${scope} scope`
          : 'expected an Authorization header of the form "Bearer <token>"',
        { 'www-authenticate': CHALLENGE },
      );
    const token = await options.resolver.resolve(match[1] as string);
    if (!token)
      return reject('unauthorized', 401, 'the token is unknown or revoked', {
        'www-authenticate': `${CHALLENGE}, error="invalid_token"`,
      });
    if (!hasScope(token, scope))
      return reject(
        'forbidden',
        403,
        `token "${token.name}" has scopes [${token.scopes.join(', ')}]; ${c.req.method} ${c.req.path} needs ${scope}`,
        { 'www-authenticate': `${CHALLENGE}, error="insufficient_scope", scope="${scope}"` },
      );
    const wait = options.limiter.take(token.id);
    if (wait > 0)
      return reject('rate_limited', 429, `token "${token.name}" is over its rate limit`, {
        'retry-after': String(Math.max(1, Math.ceil(wait))),
      });
    tokens.set(c.req.raw, token);
    return next();
  };
}
