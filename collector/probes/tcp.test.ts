import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from './run-probe.ts';
import { createTcpProber } from './tcp.ts';
import { freePort, loopbackLookup, startDnsServer, startTcpServer, type TestServer } from './test-servers.ts';
import { expectEndedAtTimeout, tcpSpec } from './test-specs.ts';

let pong: TestServer;
let closer: TestServer;
let silent: TestServer;

beforeAll(async () => {
  [pong, closer, silent] = await Promise.all([
    startTcpServer((socket) => {
      socket.on('data', (data) => {
        if (data.toString().includes('PING')) socket.write('+OK ready\r\n+PONG\r\n');
      });
    }),
    startTcpServer((socket) => socket.end('hello, bye\r\n')),
    startTcpServer(() => {}),
  ]);
});
afterAll(() => Promise.all([pong, closer, silent].map((server) => server.close())));

describe('tcp prober over loopback', () => {
  it('connects, with ordered dns and connect phases', async () => {
    const result = await runProbe(tcpSpec({ port: silent.port }));
    expect(result).toMatchObject({ success: true, connected: true });
    const { dns, connect, total } = result.phases!;
    expect(dns!).toBeLessThanOrEqual(connect!);
    expect(connect!).toBeLessThanOrEqual(total);
  });

  it('sends and finds the expected text', async () => {
    const result = await runProbe(tcpSpec({ port: pong.port, send: 'PING\r\n', expect: '+PONG' }));
    expect(result).toMatchObject({ success: true, connected: true });
    expect(result.phases!.firstByte!).toBeGreaterThanOrEqual(result.phases!.connect!);
  });

  it('fails with condition when the peer closes without the expected text', async () => {
    const result = await runProbe(tcpSpec({ port: closer.port, expect: '+PONG' }));
    expect(result).toMatchObject({ success: false, connected: true });
    expect(result.failure).toEqual({
      class: 'condition',
      reason: 'peer closed before sending the expected text',
    });
  });

  it('looks for the expected text only within maxBodyBytes', async () => {
    const spec = tcpSpec({ port: pong.port, send: 'PING\r\n', expect: '+PONG', maxBodyBytes: 12 });
    const result = await runProbe(spec);
    expect(result.failure).toEqual({ class: 'condition', reason: 'expected text not in the first 12 bytes' });
    expect(await runProbe({ ...spec, maxBodyBytes: 16 })).toMatchObject({ success: true });
  });

  it('fails with connect_refused on a port nothing listens on', async () => {
    const result = await runProbe(tcpSpec({ port: await freePort() }));
    expect(result).toMatchObject({ success: false, connected: false });
    expect(result.failure?.class).toBe('connect_refused');
    expect(result.failure?.reason).toMatch(/^connection refused to 127\.0\.0\.1:\d+ \(ECONNREFUSED\)$/);
  });

  it('fails with timeout at the bound when the peer stays silent', async () => {
    const result = await runProbe(tcpSpec({ port: silent.port, expect: 'hello', timeout: 300 }));
    expectEndedAtTimeout(result, 300);
    expect(result.failure?.reason).toBe('timeout after 300ms waiting for the response');
    expect(result.connected).toBe(true);
  });

  it('fails with dns when the host does not resolve', async () => {
    const dns = await startDnsServer({});
    try {
      const probers = { tcp: createTcpProber({ lookup: loopbackLookup(dns.server) }) };
      const result = await runProbe(tcpSpec({ host: 'nowhere.invalid', port: 80 }), { probers });
      expect(result.failure).toEqual({
        class: 'dns',
        reason: 'cannot resolve nowhere.invalid: name not found (ENOTFOUND)',
      });
      expect(result.connected).toBe(false);
    } finally {
      await dns.close();
    }
  });
});
