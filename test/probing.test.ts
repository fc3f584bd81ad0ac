import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startService } from '../src/service.ts';
import { configFrom, silentLogger, tempDir } from './helpers.ts';

interface Received {
  kind: string;
  status: string;
  previousStatus: string;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function catalog(targetPort: number, receiverPort: number): string {
  return `
settings:
  server: { port: 0 }
  probes: { catalogRefresh: 100ms, failureThreshold: 2, successThreshold: 1 }
  notifications: { initialBackoff: 10ms, maxBackoff: 50ms }
participants:
  - { id: shop, role: orchestrator, country: DE }
  - { id: psp, role: supplier, country: NL }
systems:
  - { id: checkout, participant: shop }
  - { id: psp-api, participant: psp }
integrations:
  - id: payments
    from: checkout
    to: psp-api
    tier: critical
    probe:
      type: http
      url: "http://127.0.0.1:${targetPort}/health"
      interval: 1s
      timeout: 500ms
      conditions: ['body.$.status == "ok"']
notifications:
  channels:
    - id: ops
      type: webhook
      url: "http://127.0.0.1:${receiverPort}/hook"
`;
}

describe('probing end to end', () => {
  let target: Server;
  let receiver: Server;
  let healthy = true;
  let received: Received[] = [];
  let receiverFailures = 0;
  let cleanup: () => Promise<void>;
  let dir: string;

  beforeEach(async () => {
    const tmp = await tempDir();
    dir = tmp.dir;
    cleanup = tmp.remove;
    healthy = true;
    received = [];
    receiverFailures = 0;
    target = createServer((_req, res) => {
      res.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: healthy ? 'ok' : 'down' }));
    });
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        if (receiverFailures > 0) {
          receiverFailures -= 1;
          res.writeHead(500).end();
          return;
        }
        received.push(JSON.parse(body) as Received);
        res.writeHead(204).end();
      });
    });
  });

  afterEach(async () => {
    target.closeAllConnections();
    receiver.closeAllConnections();
    await new Promise((r) => target.close(r));
    await new Promise((r) => receiver.close(r));
    await cleanup();
  });

  it('notifies one problem and one resolved per incident, across a restart, despite a failing receiver', async () => {
    const config = () => configFrom(catalog(targetPort, receiverPort), dir);
    const targetPort = await listen(target);
    const receiverPort = await listen(receiver);

    let service = await startService(config(), silentLogger);
    const status = async () => {
      const res = await fetch(`${service.url}/api/v1/integrations/payments/status`);
      return ((await res.json()) as { status: string }).status;
    };
    await expect.poll(status, { timeout: 10_000, interval: 100 }).toBe('healthy');

    receiverFailures = 2;
    healthy = false;
    await expect.poll(() => received.length, { timeout: 15_000, interval: 100 }).toBe(1);
    expect(received[0]).toMatchObject({ kind: 'problem', status: 'down', previousStatus: 'healthy' });
    await service.stop();

    healthy = true;
    service = await startService(config(), silentLogger);
    try {
      await expect.poll(() => received.length, { timeout: 15_000, interval: 100 }).toBe(2);
      expect(received[1]).toMatchObject({ kind: 'resolved', status: 'healthy', previousStatus: 'down' });

      const detail = (await (await fetch(`${service.url}/api/v1/integrations/payments/status`)).json()) as {
        transitions: { from: string; to: string }[];
        lastRuns: { success: boolean; failureClass?: string }[];
      };
      expect(detail.transitions.map((t) => `${t.from}>${t.to}`)).toEqual([
        'down>healthy',
        'healthy>down',
        'unknown>healthy',
      ]);
      expect(detail.lastRuns.some((r) => r.failureClass === 'status')).toBe(true);

      const metrics = await (await fetch(`${service.url}/metrics`)).text();
      expect(metrics).toMatch(
        /^ecotone_integration_status\{integration="payments",tier="critical",participant="psp"\} 0$/m,
      );
      expect(metrics).toMatch(
        /^ecotone_probes_total\{integration="payments",tier="critical",participant="psp",outcome="success"\} \d+$/m,
      );
      expect(metrics).toContain('ecotone_probe_duration_seconds_bucket{integration="payments"');

      const run = await fetch(`${service.url}/api/v1/integrations/payments/probe`, { method: 'POST' });
      expect(run.status).toBe(200);
      expect(await run.json()).toMatchObject({ success: true, statusCode: 200 });
    } finally {
      await service.stop();
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(received).toHaveLength(2);
  });
});
