import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const INDEX = fileURLToPath(new URL('./index.ts', import.meta.url));
const TESTING = fileURLToPath(new URL('./testing.ts', import.meta.url));

/**
 * Starts in an outage window (the SFTP listener paused), uses every other listener, stops with a
 * slow answer pending, and lets the event loop empty: the process exits only if nothing is left open.
 */
const SCRIPT = `
import { startSimulator } from ${JSON.stringify(INDEX)};
import { certificateExpiry, connectTcp, queryDns } from ${JSON.stringify(TESTING)};
const simulator = await startSimulator({ ports: { http: 0, https: 0, eventBus: 0, sftp: 0, dns: 0 }, seed: 1, now: () => Date.parse('2026-03-02T12:01:00Z') });
const at = (id) => simulator.endpoints.find((e) => e.id === id);
const slow = fetch(at('fraud-health').target).catch(() => 'dropped');
await fetch(at('checkout-health').target).then((r) => r.text());
await certificateExpiry(at('marketplace-health').host, at('marketplace-health').port);
await connectTcp(at('event-bus').host, at('event-bus').port);
await queryDns(at('carrier-dns'), 'api.kestrel-parcel.example');
await simulator.stop();
console.log('stopped', await slow);
`;

describe('demo simulator stop', () => {
  it('leaves nothing open: a process that started and stopped it exits by itself', async () => {
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        ['--input-type=module', '-e', SCRIPT],
        { timeout: 15_000 },
        (error, out) => resolve({ code: error ? (child.exitCode ?? -1) : 0, stdout: out }),
      );
    });
    expect(stdout).toBe('stopped dropped\n');
    expect(code).toBe(0);
  });
});
