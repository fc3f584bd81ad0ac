import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createProbeScheduler,
  type ProbeScheduler,
  type ScheduledRun,
} from '../../collector/probes/scheduler.ts';
import type { HttpProbeSpec } from '../../collector/probes/types.ts';
import { silentLogger } from '../../test/helpers.ts';
import { createProbeRunner } from './run.ts';

const servers: Server[] = [];

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const spec = (url: string, extra: Partial<HttpProbeSpec> = {}): HttpProbeSpec => ({
  type: 'http',
  url,
  method: 'GET',
  headers: {},
  followRedirects: true,
  expectStatus: ['2xx'],
  tls: { verify: true },
  maxBodyBytes: 65_536,
  interval: 200,
  timeout: 150,
  conditions: [],
  ...extra,
});

describe('probe runner against loopback servers', () => {
  let scheduler: ProbeScheduler | undefined;
  afterEach(async () => {
    await scheduler?.stop(1_000);
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      server.close();
    }
  });

  it('fails a JSONPath condition with what it found', async () => {
    const url = await serve((_req, res) => res.end(JSON.stringify({ status: 'degraded' })));
    const run = createProbeRunner(trace.getTracer('test'));
    const result = await run(
      {
        integrationId: 'x',
        version: '1',
        spec: spec(url, { conditions: ['status == 200', 'body.$.status == "ok"'] }),
      },
      new AbortController().signal,
    );
    expect(result).toMatchObject({
      success: false,
      statusCode: 200,
      failure: { class: 'condition', reason: 'body.$.status == "ok" (found "degraded")' },
    });
  });

  it('keeps the cadence of a healthy target while another never answers', async () => {
    const hung = await serve(() => {});
    const fast = await serve((_req, res) => res.end('{"status":"ok"}'));
    const runs: ScheduledRun[] = [];
    scheduler = createProbeScheduler({
      targets: async () => [
        { integrationId: 'hung', version: '1', spec: spec(hung) },
        { integrationId: 'fast', version: '1', spec: spec(fast) },
      ],
      refreshMs: 60_000,
      concurrency: 4,
      logger: silentLogger,
      run: createProbeRunner(trace.getTracer('test')),
      onRun: (run) => runs.push(run),
    });
    await scheduler.start();
    await expect
      .poll(() => runs.filter((r) => r.target.integrationId === 'fast').length, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(6);
    const fastRuns = runs.filter((r) => r.target.integrationId === 'fast');
    const gaps = fastRuns.slice(1).map((r, i) => r.scheduledAt - (fastRuns[i] as ScheduledRun).scheduledAt);
    expect(new Set(gaps)).toEqual(new Set([200]));
    expect(fastRuns.every((r) => r.result.success)).toBe(true);
    const hungRuns = runs.filter((r) => r.target.integrationId === 'hung');
    expect(hungRuns.length).toBeGreaterThan(0);
    expect(hungRuns.every((r) => r.result.failure?.class === 'timeout')).toBe(true);
  });
});
