import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { TcpProbeSpec } from '../../collector/probes/types.ts';
import { startTelemetry, type Telemetry } from '../telemetry/index.ts';
import { createProbeRunner } from './run.ts';

describe('probe spans', () => {
  let telemetry: Telemetry | undefined;
  afterEach(async () => {
    await telemetry?.shutdown();
  });

  it('exports one ecotone.probe span per run over OTLP/HTTP when an endpoint is configured', async () => {
    const requests: { path: string; type: string; body: Buffer }[] = [];
    const collector = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        requests.push({
          path: req.url ?? '',
          type: req.headers['content-type'] ?? '',
          body: Buffer.concat(chunks),
        });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const port = (collector.address() as AddressInfo).port;
    try {
      telemetry = startTelemetry({
        serviceVersion: 't',
        cardinalityLimit: 100,
        tracing: { endpoint: `http://127.0.0.1:${port}`, headers: {} },
      });
      const spec: TcpProbeSpec = {
        type: 'tcp',
        host: '127.0.0.1',
        port,
        interval: 1_000,
        timeout: 500,
        conditions: [],
        maxBodyBytes: 1_024,
      };
      const result = await createProbeRunner(telemetry.tracer)(
        { integrationId: 'psp-health', version: '1', spec },
        new AbortController().signal,
      );
      expect(result.success).toBe(true);
      await telemetry.shutdown();
      telemetry = undefined;
      const traces = requests.filter((r) => r.path === '/v1/traces');
      expect(traces).toHaveLength(1);
      const body = traces[0]?.body.toString('latin1') ?? '';
      expect(body).toContain('ecotone.probe');
      expect(body).toContain('psp-health');
      expect(body).toContain('ecotone.probe.outcome');
    } finally {
      collector.closeAllConnections();
      collector.close();
    }
  });
});
