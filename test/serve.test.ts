import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_CONFIG, ROOT, serve, tempDir } from './helpers.ts';

describe('ecotone serve', () => {
  it('starts on the example, is ready, serves metrics, and shuts down cleanly on SIGTERM', async () => {
    const { dir, remove } = await tempDir();
    const s = serve(['-c', EXAMPLE_CONFIG, '--port', '0', '--db', join(dir, 'ecotone.db')]);
    try {
      const url = await s.url;
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(200);
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toContain('# HELP ecotone_integrations ');
      expect(metrics).toMatch(/^ecotone_systems \d+$/m);

      s.child.kill('SIGTERM');
      expect(await s.exit).toEqual({ code: 0, signal: null });
      expect(s.output()).toContain('"msg":"stopped"');
    } finally {
      s.child.kill('SIGKILL');
      await remove();
    }
  });

  it('exits 1 with a clear message when the port is taken', async () => {
    const { dir, remove } = await tempDir();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const s = serve(['-c', EXAMPLE_CONFIG, '--port', String(port), '--db', join(dir, 'ecotone.db')]);
    try {
      expect(await s.exit).toEqual({ code: 1, signal: null });
      expect(s.output()).toContain(
        `ecotone: could not start: cannot listen: port ${port} on 127.0.0.1 is already in use`,
      );
    } finally {
      blocker.close();
      await remove();
    }
  });

  it('exits 1 before opening anything when the config is invalid', async () => {
    const s = serve(['-c', join(ROOT, 'test', 'fixtures', 'config', 'bad-cron.yaml')]);
    expect(await s.exit).toEqual({ code: 1, signal: null });
    expect(s.output()).toContain('settings.schedules.retention: expected a cron expression');
  });
});
