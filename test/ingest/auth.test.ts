import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/auth/index.ts';
import { startTestApp, type TestApp, tempDir } from '../helpers.ts';
import { ingestConfig } from './fixture.ts';

const event = (id: string, participant?: string) => ({
  id,
  type: 'docs.view',
  ...(participant ? { participant } : {}),
  data: { page: '/docs/webhooks' },
});

/** A response body as JSON, typed loosely for assertions. */
async function json(
  res: Response,
): Promise<{ detail: string; message: string; errors?: unknown[] } & Record<string, unknown>> {
  return (await res.json()) as never;
}

describe('API tokens', () => {
  let t: TestApp;
  let remove: () => Promise<void>;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    const tmp = await tempDir();
    remove = tmp.remove;
    t = await startTestApp(
      ingestConfig(
        tmp.dir,
        'settings: { auth: { enabled: true, protectMetrics: true, rateLimit: { requestsPerSecond: 1, burst: 3 } } }',
      ),
    );
    for (const [name, scopes, participantId] of [
      ['ingest', ['ingest'], undefined],
      ['reader', ['read'], undefined],
      ['admin', ['admin'], undefined],
      ['psp', ['ingest'], 'psp'],
      ['limited', ['read'], undefined],
    ] as const)
      tokens[name] = (await createToken(t.store, { name, scopes: [...scopes], participantId })).token;
  });
  afterAll(async () => {
    await t.close();
    await remove();
  });

  const request = (path: string, token: string | undefined, init: RequestInit = {}) =>
    t.app.request(path, {
      ...init,
      headers: {
        ...(init.headers as Record<string, string>),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    });
  const postEvents = (token: string | undefined, events: unknown[]) =>
    request('/v1/events', token, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
  const postTraces = (token: string | undefined) =>
    request('/v1/traces', token, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"resourceSpans":[]}',
    });
  const adopt = (token: string | undefined) =>
    request('/api/v1/discovered-edges/edge_missing/adopt', token, { method: 'POST' });

  it.each([
    ['POST /v1/events', () => postEvents(undefined, [event('a', 'psp')])],
    ['POST /v1/traces', () => postTraces(undefined)],
    ['GET /api/v1/integrations', () => request('/api/v1/integrations', undefined)],
    ['POST /api/v1/discovered-edges/{id}/adopt', () => adopt(undefined)],
    ['GET /metrics (protected)', () => request('/metrics', undefined)],
  ])('%s without a token is 401 with a challenge', async (_name, send) => {
    const res = await send();
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="ecotone"');
    expect((await json(res)).detail).toMatch(/needs a bearer token with the (ingest|read|admin) scope/);
  });

  it.each([
    ['POST /v1/events', () => postEvents('eco_wrong', [event('a', 'psp')])],
    ['POST /v1/traces', () => postTraces('eco_wrong')],
    ['GET /api/v1/integrations', () => request('/api/v1/integrations', 'eco_wrong')],
    ['POST /api/v1/discovered-edges/{id}/adopt', () => adopt('eco_wrong')],
  ])('%s with an unknown token is 401 invalid_token', async (_name, send) => {
    const res = await send();
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect((await json(res)).detail).toBe('the token is unknown or revoked');
  });

  it.each([
    ['POST /v1/events with a read token', () => postEvents(tokens.reader, [event('a', 'psp')]), 'ingest'],
    ['POST /v1/traces with an admin token', () => postTraces(tokens.admin), 'ingest'],
    [
      'GET /api/v1/integrations with an ingest token',
      () => request('/api/v1/integrations', tokens.ingest),
      'read',
    ],
    ['POST adopt with a read token', () => adopt(tokens.reader), 'admin'],
  ])('%s is 403 naming the scope', async (_name, send, scope) => {
    const res = await send();
    expect(res.status).toBe(403);
    expect((await json(res)).detail).toMatch(new RegExp(`needs ${scope}$`));
  });

  it('lets each scope through where it belongs; admin includes read', async () => {
    expect((await postEvents(tokens.ingest, [event('ok-1', 'psp')])).status).toBe(200);
    expect((await postTraces(tokens.ingest)).status).toBe(200);
    expect((await request('/api/v1/integrations', tokens.reader)).status).toBe(200);
    expect((await request('/api/v1/integrations', tokens.admin)).status).toBe(200);
    expect((await adopt(tokens.admin)).status).toBe(404);
    expect((await request('/metrics', tokens.reader)).status).toBe(200);
    expect((await request('/healthz', undefined)).status).toBe(200);
    expect((await request('/api/v1/openapi.json', undefined)).status).toBe(200);
  });

  it("refuses a partner-bound token sending another participant's events, writing none of the batch", async () => {
    const res = await postEvents(tokens.psp, [
      event('psp-1', 'psp'),
      event('psp-2', 'carrier'),
      event('psp-3'),
    ]);
    expect(res.status).toBe(403);
    const body = await json(res);
    expect(body.errors).toEqual([
      { index: 1, field: 'participant', message: 'token may only send events of participant "psp"' },
    ]);
    // The same token may send its own events; one without a participant is taken as its own.
    const ok = await postEvents(tokens.psp, [event('psp-1', 'psp'), event('psp-3')]);
    expect(ok.status).toBe(200);
    expect(await json(ok)).toEqual({ received: 2, inserted: 2, duplicates: 0 });
  });

  it('stops a token that is over its rate with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 5; i++) {
      const res = await request('/api/v1/integrations', tokens.limited);
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(retryAfter).toBe('1');
    // Another token is not affected.
    expect((await request('/api/v1/integrations', tokens.reader)).status).toBe(200);
  });

  it('stops a revoked token', async () => {
    const { token } = await createToken(t.store, { name: 'temporary', scopes: ['read'] });
    expect((await request('/api/v1/integrations', token)).status).toBe(200);
    await t.store.revokeApiToken('temporary', Date.now());
    expect((await request('/api/v1/integrations', token)).status).toBe(401);
  });
});
