import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, EXAMPLE_CONFIG, ROOT, tempDir } from './helpers.ts';

interface Started {
  child: ChildProcess;
  url: Promise<string>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
}

/** Starts `ecotone serve` as a user would, on a free port, and resolves its URL from the start-up log. */
function serve(args: string[]): Started {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = out.match(/"msg":"ecotone listening on (http:\/\/[^"]+)"/);
      if (match) resolve(match[1] as string);
    });
    child.once('exit', () => reject(new Error(`exited before listening:\n${out}`)));
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  url.catch(() => {});
  return { child, url, exit, output: () => out };
}

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
