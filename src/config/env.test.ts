import { describe, expect, it } from 'vitest';
import { expandString } from './env.ts';
import { parseConfig } from './load.ts';

describe('expandString', () => {
  const env = { TOKEN: 's3cr3t', EMPTY: '' };

  it('expands references inside text, with defaults', () => {
    const missing: string[] = [];
    const out = expandString('https://${HOST:-localhost}:8443/x?t=${TOKEN}', env, (n) => missing.push(n));
    expect(out).toBe('https://localhost:8443/x?t=s3cr3t');
    expect(missing).toEqual([]);
  });

  it('treats an empty variable as unset and reports a missing one', () => {
    const missing: string[] = [];
    expect(expandString('a${EMPTY}b${NOPE}c', env, (n) => missing.push(n))).toBe('abc');
    expect(missing).toEqual(['EMPTY', 'NOPE']);
  });

  it('keeps $${ as a literal ${', () => {
    expect(expandString('cost $${TOKEN}', env, () => {})).toBe('cost ${TOKEN}');
  });
});

describe('environment expansion in a config', () => {
  const yaml = (value: string) =>
    [
      'participants:',
      '  - id: p',
      '    role: partner',
      '    country: FR',
      `    name: ${value}`,
      'settings:',
      '  server:',
      '    port: ${PORT}',
    ].join('\n');

  it('gives an unquoted whole reference the type of its text', () => {
    const config = parseConfig(yaml('"${NAME}"'), 'x.yaml', { env: { PORT: '8080', NAME: '42' } });
    expect(config.settings.server.port).toBe(8080);
    expect(config.participants[0]?.name).toBe('42');
  });

  it('keeps a quoted reference a string', () => {
    expect(() => parseConfig(yaml('${NAME}'), 'x.yaml', { env: { PORT: '1', NAME: '42' } })).toThrow(
      'participants[0].name: expected string, found number 42',
    );
  });

  it('never lets a value change the document structure', () => {
    const config = parseConfig(yaml('"${NAME}"'), 'x.yaml', { env: { PORT: '1', NAME: 'a\n  b: [c]' } });
    expect(config.participants[0]?.name).toBe('a\n  b: [c]');
  });
});
