import { and, asc, eq, isNull, or } from 'drizzle-orm';
import * as schema from '../schema.ts';
import type { ApiToken, Store, TokenScope } from '../store.ts';
import type { SqliteDb } from './open.ts';

type TokenMethods = Pick<Store, 'createApiToken' | 'findApiToken' | 'listApiTokens' | 'revokeApiToken'>;

const columns = {
  id: schema.apiTokens.id,
  name: schema.apiTokens.name,
  scopes: schema.apiTokens.scopes,
  participantId: schema.apiTokens.participantId,
  createdAt: schema.apiTokens.createdAt,
  revokedAt: schema.apiTokens.revokedAt,
};

const toToken = (row: Omit<ApiToken, 'scopes'> & { scopes: string[] }): ApiToken => ({
  ...row,
  scopes: row.scopes as TokenScope[],
});

/** API tokens in the SQLite store: hashes only, revoked rows kept for the record. */
export function createTokenMethods(db: SqliteDb): TokenMethods {
  const t = schema.apiTokens;
  return {
    async createApiToken(token) {
      db.insert(t).values(token).run();
    },

    async findApiToken(hash) {
      const row = db
        .select(columns)
        .from(t)
        .where(and(eq(t.hash, hash), isNull(t.revokedAt)))
        .get();
      return row && toToken(row);
    },

    async listApiTokens() {
      return db.select(columns).from(t).orderBy(asc(t.createdAt), asc(t.id)).all().map(toToken);
    },

    async revokeApiToken(idOrName, now) {
      return db
        .update(t)
        .set({ revokedAt: now })
        .where(and(or(eq(t.id, idOrName), eq(t.name, idOrName)), isNull(t.revokedAt)))
        .run().changes;
    },
  };
}
