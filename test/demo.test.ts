import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ROOT, tempDir } from './helpers.ts';

/** `ecotone demo` as a user starts it (simulated partners on their default loopback ports). */
describe('ecotone demo', () => {
  let child: ChildProcess;
  let url: string;
  let output = '';
  let remove: () => Promise<void>;

  beforeAll(async () => {
    const tmp = await tempDir();
    remove = tmp.remove;
    child = spawn(process.execPath, [CLI, 'demo', '--port', '0', '--db', join(tmp.dir, 'demo.db')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    url = await new Promise<string>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = output.match(/"msg":"ecotone listening on (http:\/\/[^"]+)"/);
        if (match) resolve(match[1] as string);
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.once('exit', () => reject(new Error(`demo exited:\n${output}`)));
    });
  });

  afterAll(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    await remove();
  });

  const probe = async (id: string) => {
    const res = await fetch(`${url}/api/v1/integrations/${id}/probe`, { method: 'POST' });
    expect(res.status).toBe(200);
    return (await res.json()) as {
      success: boolean;
      failureClass?: string;
      durationMs: number;
      tlsExpiresAt?: string;
    };
  };

  it('probes healthy simulated partners over HTTP, TCP and DNS', async () => {
    expect(await probe('storefront-checkout')).toMatchObject({ success: true });
    expect(await probe('order-events')).toMatchObject({ success: true });
    expect(await probe('shipment-labels')).toMatchObject({ success: true });
  });

  it('shows a slow partner slower than its SLO and an expiring certificate failing its condition', async () => {
    const slow = await probe('checkout-fraud-screening');
    expect(slow.success).toBe(true);
    expect(slow.durationMs).toBeGreaterThan(400);
    const tls = await probe('marketplace-orders');
    expect(tls).toMatchObject({ success: false, failureClass: 'condition' });
    const days = (Date.parse(tls.tlsExpiresAt as string) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6);
    expect(days).toBeLessThan(8);
  });

  it('stops the simulator and the service on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('"msg":"stopped"');
    const refused = await fetch('http://127.0.0.1:9481/checkout/health').then(
      () => 'answered',
      () => 'refused',
    );
    expect(refused).toBe('refused');
  });
});
