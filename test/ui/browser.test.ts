import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_CHROMIUM, launchChromium, SCREENSHOTS } from './chromium.ts';
import { startUiDemo, type UiDemo } from './demo-harness.ts';

/** How long a poll waits (30 s): the full suite shares two cores with Prometheus and other browsers. */
const POLL = { timeout: 30_000 };

interface StatusItem {
  integration: string;
  status: string;
}

/**
 * The web UI in real headless Chromium, on the demo (simulated partners, traffic and datasets),
 * its simulator on free ports and its clock driven by the test.
 */
describe.skipIf(!HAS_CHROMIUM)('web UI in Chromium', { timeout: 90_000 }, () => {
  let demo: UiDemo;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    demo = await startUiDemo({ refreshMs: 1_000 });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (error) => errors.push(error.message));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  }, 30_000);

  const api = async <T>(path: string): Promise<T> =>
    (await fetch(`${demo.url}/api/v1${path}`)).json() as Promise<T>;
  const edge = (id: string) => page.locator(`#map .edge[data-kind="integration"][data-id="${id}"]`);

  it('draws every catalog integration with the status the API reports', async () => {
    // Every probed integration has had a run, so statuses are settled before comparing.
    for (const id of ['storefront-checkout', 'order-events', 'tpl-stock-files', 'order-fulfilment'])
      await fetch(`${demo.url}/api/v1/integrations/${id}/probe`, { method: 'POST' });
    await page.goto(demo.url);
    await page.waitForSelector('#map[data-ready="true"]', { timeout: 20_000 });
    const catalog = await api<{ items: { id: string }[] }>('/integrations?limit=500');
    expect(catalog.items.length).toBeGreaterThan(20);
    await expect
      .poll(
        async () => {
          const { items } = await api<{ items: StatusItem[] }>('/status');
          const drawn = await page.$$eval('#map .edge[data-kind="integration"]', (gs) =>
            Object.fromEntries(gs.map((g) => [g.getAttribute('data-id'), g.getAttribute('data-status')])),
          );
          return (
            items.every((i) => drawn[i.integration] === i.status) && items.length === catalog.items.length
          );
        },
        { timeout: 15_000, interval: 500 },
      )
      .toBe(true);
    // Status is written as well as coloured: every drawn integration names its status.
    const labels = await page.$$eval('#map .edge[data-kind="integration"]', (gs) =>
      gs.map((g) => g.getAttribute('aria-label') ?? ''),
    );
    for (const label of labels) expect(label).toMatch(/Healthy|Degraded|Down|Unknown|Retired|maintenance/);
    await page.screenshot({ path: join(SCREENSHOTS, 'map.png') });
  });

  it('opens the detail of an integration from the keyboard, with its health explanation or "not available"', async () => {
    await edge('checkout-payment').focus();
    await page.keyboard.press('Enter');
    const panel = page.locator('#detail');
    await expect.poll(() => panel.locator('h2').textContent(), POLL).toBe('Payment authorisation');
    // The KPI engine's explained score when it has one for this integration; "not available" before.
    const health = await fetch(`${demo.url}/api/v1/health/integration/checkout-payment`);
    const section = panel.locator('.detail-section', { hasText: 'Health score' });
    if (health.status === 404)
      await expect.poll(() => section.textContent(), POLL).toContain('not available');
    else {
      const { summary } = (await health.json()) as { summary: string };
      await expect.poll(() => section.locator('.score').textContent(), POLL).toMatch(/^\d+/);
      expect(await section.locator('.summary').textContent()).toBe(summary);
    }
    const radius = panel.locator('.detail-section', { hasText: 'Blast radius' });
    await expect.poll(() => radius.textContent(), POLL).toContain('Order to cash');
    // The blast radius is highlighted on the map, the rest dimmed.
    expect(await page.locator('#map.has-selection').count()).toBe(1);
    expect(await edge('checkout-payment').getAttribute('class')).toContain('selected');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('#map.has-selection').count(), POLL).toBe(0);
  });

  it('turns an edge red and outlines its blast radius without a reload when a partner goes down', async () => {
    const line = edge('tpl-stock-files').locator('.line');
    expect(await edge('tpl-stock-files').getAttribute('data-status')).toBe('healthy');
    await page.evaluate('window.marker = true');
    await demo.startOutage();
    // Three refused connections in a row take it down (hysteresis); run them now instead of waiting.
    for (let i = 0; i < 3; i++)
      await fetch(`${demo.url}/api/v1/integrations/tpl-stock-files/probe`, { method: 'POST' });
    await expect
      .poll(() => edge('tpl-stock-files').getAttribute('data-status'), { timeout: 30_000 })
      .toBe('down');
    const style = (el: unknown) =>
      (globalThis as unknown as { getComputedStyle(e: unknown): { stroke: string } }).getComputedStyle(el)
        .stroke;
    expect(await line.evaluate(style)).toBe('rgb(198, 40, 40)');
    expect(await edge('tpl-stock-files').locator('.glyph text').textContent()).toBe('✕');
    // Downstream of the hub: orders to the warehouse are at risk, and the warehouse system itself.
    await expect
      .poll(() => edge('order-fulfilment').getAttribute('class'), { timeout: 30_000 })
      .toContain('at-risk');
    expect(await page.locator('#map .node[data-id="wms"]').getAttribute('class')).toContain('at-risk');
    expect(await page.evaluate('window.marker')).toBe(true); // the same page: no reload
    await page.screenshot({ path: join(SCREENSHOTS, 'map-outage.png') });
    // Selecting it shows the failure class and the workflows it reaches.
    await edge('tpl-stock-files').focus();
    await page.keyboard.press('Enter');
    const panel = page.locator('#detail');
    await expect.poll(() => panel.locator('h2').textContent(), POLL).toBe('Stock snapshots');
    await expect.poll(() => panel.textContent(), POLL).toContain('connect_refused');
    expect(await panel.locator('.status-line').textContent()).toContain('Down');
    await page.screenshot({ path: join(SCREENSHOTS, 'map-detail.png') });
    await page.keyboard.press('Escape');
  });

  it('sorts and filters the integrations table', async () => {
    await page.click('nav.views a[href="#integrations"]');
    const rows = page.locator('#integrations-view tbody tr');
    await expect.poll(() => rows.count(), POLL).toBeGreaterThan(20);
    const total = await rows.count();
    await page.click('#integrations-view button[data-sort="name"]');
    const names = await page.$$eval('#integrations-view tbody th button', (bs) =>
      bs.map((b) => b.textContent ?? ''),
    );
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(await page.getAttribute('#integrations-view th:has(button[data-sort="name"])', 'aria-sort')).toBe(
      'ascending',
    );
    await page.click('#integrations-view button[data-sort="name"]');
    const reversed = await page.$$eval('#integrations-view tbody th button', (bs) =>
      bs.map((b) => b.textContent ?? ''),
    );
    expect(reversed).toEqual([...names].reverse());
    await page.selectOption('#integrations-view select[name="tier"]', 'critical');
    const tiers = await page.$$eval('#integrations-view tbody tr td:nth-child(5)', (tds) =>
      tds.map((t) => t.textContent),
    );
    expect(tiers.length).toBeGreaterThan(0);
    expect(tiers.length).toBeLessThan(total);
    expect(new Set(tiers)).toEqual(new Set(['critical']));
    await page.selectOption('#integrations-view select[name="tier"]', '');
    await page.selectOption('#integrations-view select[name="status"]', 'down');
    await expect
      .poll(() =>
        page.$$eval('#integrations-view tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-id'))),
      )
      .toContain('tpl-stock-files');
    const statuses = await page.$$eval('#integrations-view tbody tr', (trs) =>
      trs.map((tr) => tr.getAttribute('data-status')),
    );
    expect(new Set(statuses)).toEqual(new Set(['down']));
    await page.screenshot({ path: join(SCREENSHOTS, 'integrations.png'), fullPage: true });
  });

  it('shows workflows, the KPI overview and discovered edges', async () => {
    await page.click('nav.views a[href="#workflows"]');
    await expect.poll(() => page.locator('#workflows-view .workflow').count(), POLL).toBe(2);
    await page.click('nav.views a[href="#kpis"]');
    await expect.poll(() => page.locator('#kpis-view .card').count(), POLL).toBeGreaterThan(3);
    const kpis = await fetch(`${demo.url}/api/v1/kpis`);
    if (kpis.status === 404)
      expect(await page.locator('#kpis-view .notice').textContent()).toContain('not available');
    else
      await expect
        .poll(() => page.locator('#kpis-view [data-kpi="ecosystem_health_score"] .metric').textContent())
        .toMatch(/\d/);
    await page.click('nav.views a[href="#discovered"]');
    await expect
      .poll(() => page.locator('#discovered-view tbody tr').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'discovered.png'), fullPage: true });
  });

  it('adopts a discovered edge into the catalog, and the map redraws it as an integration', async () => {
    const { items } = await api<{
      items: { id: string; caller: { system: string | null }; callee: { system: string | null } }[];
    }>('/discovered-edges?status=open');
    const known = items.find((e) => e.caller.system && e.callee.system) ?? items[0];
    expect(known).toBeDefined();
    const row = page.locator(`#discovered-view tr[data-id="${known?.id}"]`);
    await row.locator('summary').click();
    if (!known?.caller.system) await row.locator('select[name="from"]').selectOption('storefront');
    if (!known?.callee.system) await row.locator('select[name="to"]').selectOption('pim');
    await row.locator('input[name="id"]').fill('adopted-from-ui');
    await row.locator('button[type="submit"]').click();
    // The row leaves the open list at the view's next refresh, so the API is the witness.
    await expect
      .poll(() => api<{ status: string; integration: string | null }>(`/discovered-edges/${known?.id}`), POLL)
      .toMatchObject({ status: 'adopted', integration: 'adopted-from-ui' });
    await page.click('nav.views a[href="#map"]');
    await expect.poll(() => edge('adopted-from-ui').count(), { timeout: 30_000 }).toBe(1);
  });

  it('loads the status page with groups, 30 days of uptime and the incident', async () => {
    await page.goto(`${demo.url}/status`);
    await page.waitForSelector('#status-root[data-ready="true"]');
    expect(await page.locator('#status-banner').textContent()).toContain('down');
    expect(await page.locator('.incidents li[data-id="tpl-stock-files"]').count()).toBe(1);
    const vistula = page.locator('.status-group[data-id="vistula-fulfilment"]');
    expect(await vistula.getAttribute('data-status')).toBe('down');
    expect(await vistula.locator('.bar').count()).toBe(30);
    expect(await page.locator('.status-group').count()).toBeGreaterThan(10);
    await page.screenshot({ path: join(SCREENSHOTS, 'status.png'), fullPage: true });
  });

  it('works in a narrow window: the map fills the height and the detail panel goes under it', async () => {
    const narrow = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await narrow.goto(demo.url);
    await narrow.waitForSelector('#map[data-ready="true"]');
    const box = await narrow.locator('#map').boundingBox();
    expect(box?.width).toBeLessThanOrEqual(390);
    expect(box?.height).toBeGreaterThan(400);
    const overflow = await narrow.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow as number).toBeLessThanOrEqual(0);
    await narrow.locator('#map .node[data-id="integration-hub"]').focus();
    await narrow.keyboard.press('Enter');
    await expect.poll(() => narrow.locator('#detail h2').textContent(), POLL).toBe('Integration hub');
    const panel = await narrow.locator('#detail').boundingBox();
    const map = await narrow.locator('#map').boundingBox();
    expect(panel?.y).toBeGreaterThan((map?.y ?? 0) + (map?.height ?? 0) - 1);
    await narrow.screenshot({ path: join(SCREENSHOTS, 'narrow.png'), fullPage: true });
    await narrow.close();
  });

  it('raised no script errors', () => {
    expect(errors).toEqual([]);
  });
});
