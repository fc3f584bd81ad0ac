import { request } from 'node:https';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.ts';
import { type SimulatedEndpoint, type Simulator, startSimulator } from './simulator.ts';
import { certificateExpiry, connectTcp, queryDns } from './testing.ts';

const EXAMPLE = fileURLToPath(new URL('../../examples/ecosystem.yaml', import.meta.url));
const FREE_PORTS = { http: 0, https: 0, eventBus: 0, sftp: 0, dns: 0 };
const START = Date.parse('2026-03-02T12:05:00Z');
const DAY = 86_400_000;
const clock = { now: START };

let simulator: Simulator;
const endpoint = (id: string) => simulator.endpoints.find((e) => e.id === id) as SimulatedEndpoint;

/** Status and body of a GET, or the error code when the connection failed. */
async function get(url: string): Promise<{ status: number; body: unknown } | { error: string }> {
  try {
    const response = await fetch(url);
    return { status: response.status, body: await response.json() };
  } catch (error) {
    return { error: ((error as Error).cause as NodeJS.ErrnoException)?.code ?? String(error) };
  }
}

async function timed<T>(run: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await run();
  return { result, ms: performance.now() - started };
}

beforeAll(async () => {
  simulator = await startSimulator({
    ports: FREE_PORTS,
    now: () => clock.now,
    seed: 42,
    checkEveryMs: 60_000,
  });
});
afterAll(() => simulator.stop());

describe('demo simulator', () => {
  it.each(['checkout-health', 'wms-health'])('%s answers {"status":"ok"} within a few ms', async (id) => {
    const { result, ms } = await timed(() => fetch(endpoint(id).target));
    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toBe('application/json');
    expect(await result.json()).toEqual({ status: 'ok' });
    expect(ms).toBeLessThan(250);
  });

  it('answers 404 on unknown paths and 405 on other methods', async () => {
    const base = endpoint('checkout-health').target;
    expect((await fetch(new URL('/nowhere', base))).status).toBe(404);
    const post = await fetch(base, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('answers fraud screening correctly but slower than its SLO latency', async () => {
    const config = await loadConfig(EXAMPLE, { env: simulator.env });
    const integration = config.integrations.find((i) => i.id === endpoint('fraud-health').integration);
    const { result, ms } = await timed(() => get(endpoint('fraud-health').target));
    expect(result).toEqual({ status: 200, body: { status: 'ok' } });
    expect(ms).toBeGreaterThan(integration?.slo.latency ?? Number.POSITIVE_INFINITY);
    expect(ms).toBeLessThan(integration?.probe?.timeout ?? 0);
  });

  it('fails some payment checks with a 503 or a reset and passes the others, never 3 in a row', async () => {
    const outcomes: string[] = [];
    for (let i = 0; i < 40; i++) {
      const result = await get(endpoint('psp-health').target);
      outcomes.push('error' in result ? 'reset' : String(result.status));
    }
    const ok = outcomes.filter((o) => o === '200').length;
    expect(ok).toBeGreaterThan(12);
    expect(ok).toBeLessThan(36);
    expect(outcomes).toContain('503');
    expect(outcomes).toContain('reset');
    expect(outcomes.join(' ').replaceAll('reset', '503')).not.toMatch(/503 503 503/);
  });

  it('reports {"status":"degraded"} on some order-service checks, with a 200', async () => {
    const bodies = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const result = await get(endpoint('orders-health').target);
      expect(result).toMatchObject({ status: 200 });
      bodies.add(JSON.stringify((result as { body: unknown }).body));
    }
    expect(bodies).toEqual(new Set(['{"status":"ok"}', '{"status":"degraded"}']));
  });

  it('refuses the SFTP drop during the outage window and serves it outside', async () => {
    const { host, port } = endpoint('sftp');
    try {
      expect(await connectTcp(host, port)).toEqual({
        received: 'SSH-2.0-VistulaSFTP_3.1\r\n',
        closedByPeer: false,
      });
      clock.now = Date.parse('2026-03-02T12:16:00Z');
      await simulator.refresh();
      await expect(connectTcp(host, port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      clock.now = Date.parse('2026-03-02T12:17:59Z');
      await simulator.refresh();
      await expect(connectTcp(host, port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      clock.now = Date.parse('2026-03-02T12:18:00Z');
      await simulator.refresh();
      expect((await connectTcp(host, port)).received).toMatch(/^SSH-2\.0-/);
    } finally {
      clock.now = START;
      await simulator.refresh();
    }
  });

  it('accepts event bus connections', async () => {
    const { host, port } = endpoint('event-bus');
    expect(await connectTcp(host, port)).toEqual({ received: '', closedByPeer: false });
  });

  it('serves the marketplace over TLS with a certificate that expires 7 days after start', async () => {
    const { host, port, target } = endpoint('marketplace-health');
    expect(Math.abs((await certificateExpiry(host, port)) - (START + 7 * DAY))).toBeLessThan(1_000);
    const status = await new Promise((resolve, reject) =>
      request(target, { method: 'HEAD', rejectUnauthorized: false }, (response) => {
        response.resume();
        resolve(response.statusCode);
      })
        .on('error', reject)
        .end(),
    );
    expect(status).toBe(200);
  });

  it('resolves the carrier API name to 127.0.0.1 and nothing else', async () => {
    const dns = endpoint('carrier-dns');
    expect(await queryDns(dns, 'api.kestrel-parcel.example')).toEqual({ rcode: 0, addresses: ['127.0.0.1'] });
    expect(await queryDns(dns, 'API.Kestrel-Parcel.example.')).toEqual({
      rcode: 0,
      addresses: ['127.0.0.1'],
    });
    expect(await queryDns(dns, 'api.kestrel-parcel.example', 28)).toEqual({ rcode: 0, addresses: [] });
    expect(await queryDns(dns, 'www.kestrel-parcel.example')).toEqual({ rcode: 3, addresses: [] });
  });

  it("answers Node's own resolver, as a dns probe asks it", async () => {
    const { Resolver } = await import('node:dns/promises');
    const resolver = new Resolver({ timeout: 1_000, tries: 1 });
    resolver.setServers([endpoint('carrier-dns').server]);
    expect(await resolver.resolve4('api.kestrel-parcel.example')).toEqual(['127.0.0.1']);
    await expect(resolver.resolve4('nowhere.example')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('gives the environment that points every probe of the example at it', async () => {
    const config = await loadConfig(EXAMPLE, { env: simulator.env });
    const probed = config.integrations.filter((i) => i.probe);
    expect(simulator.endpoints.map((e) => e.integration).sort()).toEqual(probed.map((i) => i.id).sort());
    for (const { integration, target, host, port, server } of simulator.endpoints) {
      const probe = probed.find((i) => i.id === integration)?.probe;
      if (probe?.type === 'http') expect(probe.url).toBe(target);
      if (probe?.type === 'tcp') expect([probe.host, probe.port]).toEqual([host, port]);
      if (probe?.type === 'dns') expect([probe.name, probe.server]).toEqual([target, server]);
    }
  });
});

describe('demo simulator options', () => {
  it.each([
    [
      { host: '0.0.0.0' },
      'demo simulator: host must be a loopback address such as 127.0.0.1 or ::1, found "0.0.0.0"',
    ],
    [{ ports: { ftp: 21 } }, 'demo simulator: unknown port "ftp" (known: http, https, eventBus, sftp, dns)'],
    [{ ports: { http: 70_000 } }, 'demo simulator: ports.http must be a port number 0-65535, found 70000'],
  ])('rejects %o', async (options, message) => {
    await expect(startSimulator(options as never)).rejects.toThrow(message);
  });

  it('names the port it cannot bind and closes the listeners it had started', async () => {
    const taken = endpoint('event-bus').port;
    const attempt = startSimulator({ ports: { ...FREE_PORTS, sftp: taken } });
    await expect(attempt).rejects.toThrow(
      `demo simulator: cannot listen on 127.0.0.1:${taken} (sftp): the port is in use`,
    );
  });
});
