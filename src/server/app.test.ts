import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exampleConfig, startTestApp, type TestApp, tempDir } from '../../test/helpers.ts';
import { applyCatalog } from '../catalog/index.ts';
import type { Config } from '../config/index.ts';

describe('http app', () => {
  let t: TestApp;
  let config: Config;
  let remove: () => Promise<void>;

  beforeEach(async () => {
    const tmp = await tempDir();
    remove = tmp.remove;
    config = await exampleConfig(tmp.dir);
    t = await startTestApp(config);
  });
  afterEach(async () => {
    await t.close();
    await remove();
  });

  it('answers /healthz', async () => {
    const res = await t.app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('is ready only while the store answers and the scheduler runs', async () => {
    expect((await t.app.request('/readyz')).status).toBe(200);
    t.schedulerRunning.value = false;
    const stopped = await t.app.request('/readyz');
    expect(stopped.status).toBe(503);
    expect(await stopped.json()).toMatchObject({ status: 'not ready', checks: { scheduler: 'stopped' } });
    t.schedulerRunning.value = true;
    await t.store.close();
    const closed = await t.app.request('/readyz');
    expect(closed.status).toBe(503);
    expect(((await closed.json()) as { checks: { store: string } }).checks.store).toMatch(/^failing: /);
  });

  it('serves the catalog gauges with HELP and TYPE on /metrics', async () => {
    const res = await t.app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    const integrations = config.integrations.length;
    const critical = config.integrations.filter((i) => i.tier === 'critical').length;
    const orchestrators = config.participants.filter(
      (p) => p.role === 'orchestrator' && p.stage === 'active',
    ).length;
    const countries = new Set(config.participants.map((p) => p.country)).size;
    expect(text).toContain(
      '# HELP ecotone_participants Participants in the catalog, by role and lifecycle stage.',
    );
    expect(text).toContain('# TYPE ecotone_integrations gauge');
    expect(text).toContain(`ecotone_participants{role="orchestrator",stage="active"} ${orchestrators}`);
    expect(text).toContain(`ecotone_integrations{tier="critical"} ${critical}`);
    expect(text).toContain(`ecotone_systems ${config.systems.length}`);
    expect(text).toContain(`ecotone_participant_countries ${countries}`);
    expect(text.match(/^ecotone_integration_info\{/gm)).toHaveLength(integrations);
    expect(text).toContain('target_info{service_name="ecotone",service_version="test"} 1');
    expect(text).not.toContain('otel_scope');
  });

  it('shows a new apply at the next scrape', async () => {
    const before = await (await t.app.request('/metrics')).text();
    const removed = config.integrations[0]?.id as string;
    expect(before).toContain(`integration="${removed}"`);
    const smaller = {
      ...config,
      integrations: config.integrations.slice(1),
      workflows: [],
    };
    await applyCatalog(t.store, smaller, { source: 'test' });
    const after = await (await t.app.request('/metrics')).text();
    expect(after).not.toContain(`integration="${removed}"`);
    expect(after.match(/^ecotone_integration_info\{/gm)).toHaveLength(config.integrations.length - 1);
  });

  it('reports the previous scrape: its render time and body size', async () => {
    const first = await (await t.app.request('/metrics')).text();
    const second = await (await t.app.request('/metrics')).text();
    expect(second).toMatch(/^ecotone_metrics_render_duration_seconds_count 1$/m);
    expect(second).toContain(`ecotone_metrics_response_bytes ${Buffer.byteLength(first)}`);
  });

  it('exports job metrics with seconds buckets', async () => {
    t.jobMetrics.register('retention');
    t.jobMetrics.record({
      job: 'retention',
      startedAt: 1_700_000_000_000,
      durationMs: 42,
      outcome: 'success',
    });
    t.jobMetrics.record({
      job: 'retention',
      startedAt: 1_700_000_100_000,
      durationMs: 7,
      outcome: 'failure',
      error: 'x',
    });
    const text = await (await t.app.request('/metrics')).text();
    expect(text).toContain('ecotone_job_duration_seconds_bucket{job_name="retention",le="0.05"} 2');
    expect(text).toContain('ecotone_job_duration_seconds_bucket{job_name="retention",le="0.005"} 0');
    expect(text).toContain('ecotone_job_failures_total{job_name="retention"} 1');
    expect(text).toContain('ecotone_job_runs_total{job_name="retention",outcome="success"} 1');
    expect(text).toContain('ecotone_job_last_success_timestamp_seconds{job_name="retention"} 1700000000.042');
    t.jobMetrics.register('restarted', 1_600_000_000_000);
    const later = await (await t.app.request('/metrics')).text();
    expect(later).toContain('ecotone_job_last_success_timestamp_seconds{job_name="restarted"} 1600000000');
  });

  it('lists, filters and pages catalog entries', async () => {
    const res = await t.app.request('/api/v1/integrations?tier=critical&limit=2');
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      items: { id: string; tier: string; retired: boolean }[];
      total: number;
    };
    const critical = config.integrations
      .filter((i) => i.tier === 'critical')
      .map((i) => i.id)
      .sort();
    expect(body.total).toBe(critical.length);
    expect(body.items.map((i) => i.id)).toEqual(critical.slice(0, 2));
    expect(body.items.every((i) => i.tier === 'critical' && !i.retired)).toBe(true);

    const participant = config.participants[0]?.id as string;
    const one = await t.app.request(`/api/v1/participants/${participant}`);
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ id: participant, retired: false, spec: { id: participant } });
  });

  it('answers a bad query parameter with a problem naming the field', async () => {
    const res = await t.app.request('/api/v1/integrations?tier=urgent');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = (await res.json()) as { detail: string; errors: { field: string }[] };
    expect(body.errors.map((e) => e.field)).toEqual(['query.tier']);
    expect(body.detail).toMatch(/^query\.tier: /);
  });

  it('bounds the page size at settings.limits.apiMaxPageSize', async () => {
    const max = config.settings.limits.apiMaxPageSize;
    expect((await t.app.request(`/api/v1/systems?limit=${max}`)).status).toBe(200);
    const over = await t.app.request(`/api/v1/systems?limit=${max + 1}`);
    expect(over.status).toBe(400);
    expect(((await over.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe('query.limit');
    const body = (await (await t.app.request('/api/v1/systems')).json()) as { limit: number };
    expect(body.limit).toBe(config.settings.limits.apiPageSize);
  });

  it('answers 404 problems for unknown ids and routes', async () => {
    const missing = await t.app.request('/api/v1/systems/no-such-system');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ status: 404, detail: 'no system with id "no-such-system"' });
    const route = await t.app.request('/api/v1/nothing');
    expect(route.status).toBe(404);
    expect(route.headers.get('content-type')).toBe('application/problem+json');
  });

  it('lists the API collections at /api/v1', async () => {
    const body = (await (await t.app.request('/api/v1')).json()) as { collections: Record<string, string> };
    expect(body.collections.integrations).toBe('/api/v1/integrations');
    expect((await t.app.request(body.collections.integrations as string)).status).toBe(200);
  });

  it('documents every catalog route in the OpenAPI document', async () => {
    const res = await t.app.request('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: object };
    };
    expect(doc.openapi).toBe('3.1.0');
    for (const kind of ['participants', 'systems', 'integrations', 'workflows', 'datasets']) {
      expect(doc.paths).toHaveProperty(`/${kind}`);
      expect(doc.paths).toHaveProperty(`/${kind}/{id}`);
    }
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Integration', 'Problem']));
  });
});
