import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CLI, EXAMPLE_CONFIG, ROOT, tempDir } from './helpers.ts';

const exec = promisify(execFile);

/** Runs the real CLI in a child process; never throws, returns the exit code and output. */
async function ecotone(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await exec(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const fixture = (name: string) => join(ROOT, 'test', 'fixtures', 'config', `${name}.yaml`);

describe('ecotone validate', () => {
  it.each([
    ['unknown-key', 'integrations[0].probe.tmeout: unknown key "tmeout"'],
    ['wrong-type', 'settings.server.port: expected number, found string "eighty"'],
    ['bad-cron', 'settings.schedules.retention: expected a cron expression'],
    ['duplicate-id', 'systems[2].id: duplicate id "storefront" (first defined at systems[0])'],
    ['missing-system', 'integrations[0].to: unknown system "psp-gateway"'],
  ])('exits 1 on %s and names the path', async (name, message) => {
    const result = await ecotone(['validate', fixture(name)]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`${fixture(name)}:`);
    expect(result.stderr).toContain(message);
  });

  it('exits 0 on the bundled example', async () => {
    const result = await ecotone(['validate', EXAMPLE_CONFIG]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/: valid \(\d+ participants, \d+ systems, \d+ integrations/);
  });

  it('reads the file from ECOTONE_CONFIG when none is named', async () => {
    const result = await ecotone(['validate'], { ECOTONE_CONFIG: fixture('bad-enum') });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('integrations[0].tier');
  });
});

describe('ecotone apply', () => {
  it('is idempotent, and retires an integration removed from the file while keeping its row', async () => {
    const { dir, remove } = await tempDir();
    try {
      const db = join(dir, 'ecotone.db');
      const first = await ecotone(['apply', '-f', EXAMPLE_CONFIG, '--db', db]);
      expect(first.code).toBe(0);
      expect(first.stdout).toContain('applied as revision 1');
      expect(first.stdout).toMatch(/integrations: \d+ created/);

      const second = await ecotone(['apply', '-f', EXAMPLE_CONFIG, '--db', db]);
      expect(second.code).toBe(0);
      expect(second.stdout).toContain('catalog unchanged');

      const { readFile } = await import('node:fs/promises');
      const { parseDocument } = await import('yaml');
      const doc = parseDocument(await readFile(EXAMPLE_CONFIG, 'utf8'));
      const removed = doc.getIn(['integrations', 0, 'id']) as string;
      // Workflows may name the removed integration as a step; drop them too, so the file stays valid.
      doc.deleteIn(['integrations', 0]);
      doc.set('workflows', []);
      const smaller = join(dir, 'smaller.yaml');
      await writeFile(smaller, doc.toString().replace(/path: .*ecotone\.db.*/, `path: ${db}`));

      const third = await ecotone(['apply', '-f', smaller, '--db', db]);
      expect(third.stderr).toBe('');
      expect(third.code).toBe(0);
      expect(third.stdout).toContain('applied as revision 2');
      expect(third.stdout).toContain('integrations: 1 retired');

      const { openStore } = await import('../db/index.ts');
      const store = openStore({ path: db });
      const row = await store.get('integrations', removed);
      await store.close();
      expect(row?.retiredAt).toEqual(expect.any(Number));
      expect(row?.createdAt).toEqual(expect.any(Number));
    } finally {
      await remove();
    }
  });

  it('exits 1 and writes nothing for an invalid file', async () => {
    const { dir, remove } = await tempDir();
    try {
      const result = await ecotone(['apply', '-f', fixture('missing-system'), '--db', join(dir, 'x.db')]);
      expect(result.code).toBe(1);
      const { existsSync } = await import('node:fs');
      expect(existsSync(join(dir, 'x.db'))).toBe(false);
    } finally {
      await remove();
    }
  });
});

describe('ecotone probe', () => {
  it('runs one probe against a loopback server and prints the result', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => res.writeHead(503).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const { dir, remove } = await tempDir();
    try {
      const file = join(dir, 'ecosystem.yaml');
      await writeFile(
        file,
        [
          'participants: [{ id: p, role: partner, country: FR }]',
          'systems: [{ id: a, participant: p }, { id: b, participant: p }]',
          'integrations:',
          '  - id: a-b',
          '    from: a',
          '    to: b',
          `    probe: { type: http, url: "http://127.0.0.1:${port}/health", timeout: 2s }`,
          '  - { id: b-a, from: b, to: a }',
        ].join('\n'),
      );
      const failed = await ecotone(['probe', 'a-b', '-c', file]);
      expect(failed.code).toBe(1);
      expect(failed.stdout).toMatch(/^outcome +failure: status \(status 503, expected 2xx\)$/m);
      expect(failed.stdout).toMatch(/^status +503$/m);
      const none = await ecotone(['probe', 'b-a', '-c', file]);
      expect(none.code).toBe(1);
      expect(none.stderr).toContain('integration "b-a" declares no probe');
    } finally {
      server.close();
      await remove();
    }
  });
});

describe('ecotone command line', () => {
  it('prints the JSON Schema', async () => {
    const result = await ecotone(['schema']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ title: 'Ecotone ecosystem.yaml', type: 'object' });
  });

  it.each([
    [['--help'], 0, 'Commands:'],
    [['serve', '--help'], 0, 'Usage: ecotone serve'],
    [['apply', '-h'], 0, 'Usage: ecotone apply'],
    [['validate', '--help'], 0, 'Usage: ecotone validate'],
    [['schema', '--help'], 0, 'Usage: ecotone schema'],
  ])('%j exits %d with help', async (args, code, text) => {
    const result = await ecotone(args);
    expect(result.code).toBe(code);
    expect(result.stdout).toContain(text);
  });

  it.each([
    [[], 'Commands:'],
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['validate', '--colour'], "Unknown option '--colour'"],
    [['serve', '--port', 'http'], '--port: expected a port number 0-65535, found "http"'],
    [['apply', 'ecosystem.yaml'], 'unexpected argument "ecosystem.yaml" (use -f FILE)'],
  ])('%j is a usage error (exit 2)', async (args, text) => {
    const result = await ecotone(args);
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).toContain(text);
  });
});
