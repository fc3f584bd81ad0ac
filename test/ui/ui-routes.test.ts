import { afterEach, describe, expect, it } from 'vitest';
import { createToken } from '../../src/auth/index.ts';
import { blastRadius } from '../../src/ui/static/blast-radius.js';
import { exampleConfig, startTestApp, type TestApp, tempDir } from '../helpers.ts';

interface Graph {
  participants: { id: string; role: string }[];
  systems: { id: string; participant: string }[];
  integrations: { id: string; from: string; to: string; kind: string; status: string }[];
  workflows: { id: string; steps: { integration: string | null }[] }[];
  discovered: unknown[];
  trafficPerMinute: number[];
}

describe('web UI routes', () => {
  let t: TestApp | undefined;
  let remove: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await t?.close();
    await remove?.();
    t = undefined;
  });

  async function start(options: { auth?: boolean; statusPagePublic?: boolean; uiEnabled?: boolean } = {}) {
    const tmp = await tempDir();
    remove = tmp.remove;
    const config = await exampleConfig(tmp.dir, { auth: options.auth ?? false });
    config.settings.ui.statusPagePublic = options.statusPagePublic ?? false;
    config.settings.ui.enabled = options.uiEnabled ?? true;
    t = await startTestApp(config);
    return t;
  }

  it('serves the map to browsers at / and keeps the JSON index for API clients', async () => {
    const { app } = await start();
    const json = await app.request('/');
    expect(json.headers.get('content-type')).toContain('application/json');
    expect(await json.json()).toMatchObject({ name: 'ecotone', links: { map: '/', status: '/status' } });
    const page = await app.request('/', { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('<script src="/ui/vendor/elk.bundled.js"></script>');
    expect(html).toContain('src="/ui/static/map.js"');
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    const status = await app.request('/status');
    expect(await status.text()).toContain('src="/ui/static/status.js"');
  });

  it('serves its static files and ELK with ETags, and nothing else from disk', async () => {
    const { app } = await start();
    for (const path of ['/ui/static/map.js', '/ui/static/ui.css', '/ui/vendor/elk.bundled.js']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      const etag = res.headers.get('etag') as string;
      expect((await app.request(path, { headers: { 'if-none-match': etag } })).status).toBe(304);
    }
    const gzip = await app.request('/ui/vendor/elk.bundled.js', { headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    for (const path of [
      '/ui/static/../index.ts',
      '/ui/static/%2e%2e/pages.ts',
      '/ui/static/nope.js',
      '/ui/package.json',
    ])
      expect((await app.request(path)).status, path).toBe(404);
  });

  it('answers GET /api/v1/graph with the whole catalog, and 304 to its ETag', async () => {
    const { app } = await start();
    const res = await app.request('/api/v1/graph');
    expect(res.status).toBe(200);
    const graph = (await res.json()) as Graph;
    const catalog = (await (await app.request('/api/v1/integrations?limit=500')).json()) as { total: number };
    expect(graph.integrations).toHaveLength(catalog.total);
    expect(graph.systems.length).toBeGreaterThan(20);
    expect(graph.trafficPerMinute).toHaveLength(60);
    expect(graph.workflows.find((w) => w.id === 'order-to-cash')?.steps[0]).toEqual({
      integration: 'storefront-checkout',
      name: null,
    });
    const etag = res.headers.get('etag') as string;
    expect(etag).toMatch(/^W\/"/);
    const again = await app.request('/api/v1/graph', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('answers GET /api/v1/status-page with groups by participant and tier and 30 days each', async () => {
    const { app } = await start();
    const res = await app.request('/api/v1/status-page');
    expect(res.status).toBe(200);
    const page = (await res.json()) as {
      state: string;
      groups: { by: string; id: string; days: unknown[] }[];
      incidents: unknown[];
    };
    expect(page.state).toBe('unknown');
    expect(
      page.groups
        .filter((g) => g.by === 'tier')
        .map((g) => g.id)
        .sort(),
    ).toEqual(['critical', 'high', 'low', 'medium']);
    expect(page.groups.every((g) => g.days.length === 30)).toBe(true);
    expect(page.incidents).toEqual([]);
  });

  it('asks the browser for a token when auth is on, and opens the status page only when configured', async () => {
    const closed = await start({ auth: true });
    expect((await closed.app.request('/', { headers: { accept: 'text/html' } })).status).toBe(200);
    expect((await closed.app.request('/ui/static/map.js')).status).toBe(200);
    expect((await closed.app.request('/api/v1/graph')).status).toBe(401);
    expect((await closed.app.request('/api/v1/status-page')).status).toBe(401);
    const { token } = await createToken(closed.store, { name: 'ui', scopes: ['read'] });
    const auth = { authorization: `Bearer ${token}` };
    expect((await closed.app.request('/api/v1/graph', { headers: auth })).status).toBe(200);
    await closed.close();
    await remove?.();
    t = undefined;
    const open = await start({ auth: true, statusPagePublic: true });
    expect((await open.app.request('/api/v1/status-page')).status).toBe(200);
    expect((await open.app.request('/api/v1/graph')).status).toBe(401);
  });

  it('serves no UI when settings.ui.enabled is false', async () => {
    const { app } = await start({ uiEnabled: false });
    const res = await app.request('/', { headers: { accept: 'text/html' } });
    expect(res.headers.get('content-type')).toContain('application/json');
    expect((await app.request('/status')).status).toBe(404);
  });

  it("computes the map's blast radius as the KPI engine's impact endpoint defines it", async () => {
    const { app } = await start();
    const graph = (await (await app.request('/api/v1/graph')).json()) as Graph;
    const payment = blastRadius(graph, { kind: 'integration', id: 'checkout-payment' });
    expect([...payment.workflows]).toEqual(['order-to-cash']);
    expect(payment.integrations.has('order-invoicing')).toBe(true); // a later step of the workflow
    const stock = blastRadius(graph, { kind: 'integration', id: 'tpl-stock-files' });
    expect([...stock.integrations].sort()).toEqual([
      'crm-segments-marketing',
      'customer-sync-crm',
      'order-fulfilment',
      'order-invoicing',
      'shipment-labels',
      'tpl-stock-files',
    ]);
    expect(stock.systems.has('wms')).toBe(true);
    expect(stock.workflows.size).toBe(0);
    const impact = await app.request('/api/v1/integrations/tpl-stock-files/impact');
    if (impact.status === 200) {
      const body = (await impact.json()) as { downstream: string[]; participants: string[] };
      expect([...stock.integrations].filter((id) => id !== 'tpl-stock-files').sort()).toEqual(
        body.downstream,
      );
      expect([...stock.participants].sort()).toEqual(body.participants);
    }
    const hub = blastRadius(graph, { kind: 'system', id: 'integration-hub' });
    expect(hub.integrations.has('tpl-stock-files')).toBe(true); // into it
    expect(hub.integrations.has('order-fulfilment')).toBe(true); // out of it
  });
});
