import { createHash, randomBytes } from 'node:crypto';
import type { ApiToken, Store, TokenScope } from '../../db/index.ts';

/** Every token starts with this, so a leaked one is easy to search for in code and logs. */
export const TOKEN_PREFIX = 'eco_';

/** SHA-256 hex of a token: what the store keeps and looks up by. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface NewToken {
  /** The secret, shown once; only its hash is stored. */
  token: string;
  record: ApiToken;
}

/**
 * Creates a token (256 random bits, base64url) with the given scopes, optionally bound to a
 * participant, and stores its hash.
 *
 * @example
 * const { token } = await createToken(store, { name: 'partner-x', scopes: ['ingest'], participantId: 'acme' });
 */
export async function createToken(
  store: Store,
  options: { name: string; scopes: TokenScope[]; participantId?: string | undefined; now?: number },
): Promise<NewToken> {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const record: ApiToken = {
    id: `tok_${randomBytes(6).toString('hex')}`,
    name: options.name,
    scopes: [...new Set(options.scopes)],
    participantId: options.participantId ?? null,
    createdAt: options.now ?? Date.now(),
    revokedAt: null,
  };
  await store.createApiToken({ ...record, hash: hashToken(token) });
  return { token, record };
}

/** Whether a token's scopes allow `needed`; `admin` includes `read`. */
export function hasScope(token: ApiToken, needed: TokenScope): boolean {
  return token.scopes.includes(needed) || (needed === 'read' && token.scopes.includes('admin'));
}

export interface TokenResolver {
  /** The live token for a presented secret, or undefined. */
  resolve(secret: string): Promise<ApiToken | undefined>;
}

/**
 * Looks tokens up by hash with a short cache, so a busy ingest client costs no store read per
 * request; a revoked token stops working within `ttlMs`. Unknown secrets are cached too (bounded),
 * so guessing costs the store nothing either.
 */
export function createTokenResolver(
  store: Store,
  options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {},
): TokenResolver {
  const ttl = options.ttlMs ?? 5_000;
  const max = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { token: ApiToken | undefined; until: number }>();
  return {
    async resolve(secret) {
      const hash = hashToken(secret);
      const hit = cache.get(hash);
      const at = now();
      if (hit && hit.until > at) return hit.token;
      const token = await store.findApiToken(hash);
      cache.delete(hash);
      if (cache.size >= max) cache.delete(cache.keys().next().value as string);
      cache.set(hash, { token, until: at + ttl });
      return token;
    },
  };
}
