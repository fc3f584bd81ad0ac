import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/index.ts';
import { startTelemetry, type Telemetry } from './telemetry.ts';

interface Push {
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A loopback OTLP/HTTP receiver that records every push. */
async function receiver() {
  const pushes: Push[] = [];
  let notify = () => {};
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      pushes.push({ url: req.url ?? '', headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      notify();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/otlp/`,
    pushes,
    next: () => new Promise<void>((resolve) => (notify = resolve)),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe('OTLP metrics push', () => {
  let telemetry: Telemetry | undefined;
  afterEach(async () => {
    await telemetry?.shutdown();
    telemetry = undefined;
  });

  it('pushes instruments and snapshot gauges to endpoint/v1/metrics with the headers, beside /metrics', async () => {
    const rx = await receiver();
    try {
      telemetry = startTelemetry({
        serviceVersion: 't',
        cardinalityLimit: 100,
        otlpMetrics: {
          endpoint: rx.url,
          headers: { authorization: 'Bearer s3cret' },
          interval: 200,
          timeout: 200,
        },
      });
      telemetry.gauges.register([{ name: 'x_items', description: 'Items.' }], async () => ({
        x_items: [{ attributes: { id: 'a' }, value: 3 }],
      }));
      telemetry.meter.createCounter('x_runs_total').add(2);
      const pushed = rx.next();
      await pushed;
      const push = rx.pushes[0] as Push;
      expect(push.url).toBe('/otlp/v1/metrics');
      expect(push.headers.authorization).toBe('Bearer s3cret');
      expect(push.body).toContain('x_items');
      expect(push.body).toContain('x_runs_total');
      expect(await telemetry.render()).toContain('x_items{id="a"} 3');
    } finally {
      await rx.close();
    }
  });

  it('is off by default, and a timeout above the interval is a config error', () => {
    const yaml = (extra: string) => `settings:\n  otlpMetrics: {${extra}}\nparticipants: []\n`;
    const config = parseConfig(yaml(''), '/tmp/ecosystem.yaml', { env: {} });
    expect(config.settings.otlpMetrics).toEqual({ headers: {}, interval: 60_000, timeout: 10_000 });
    expect(() =>
      parseConfig(
        yaml('endpoint: "http://collector:4318", interval: 5s, timeout: 10s'),
        '/tmp/ecosystem.yaml',
        {
          env: {},
        },
      ),
    ).toThrow(/settings\.otlpMetrics\.timeout: expected timeout to be at most interval/);
  });
});
