import { describe, expect, it } from 'vitest';
import { type EnvProblem, expandEnv } from './env.ts';

describe('expandEnv', () => {
  const env = { TOKEN: 's3cr3t', PORT: '9090', EMPTY: '', FLAG: 'true' };

  it('expands references inside strings, with defaults', () => {
    const problems: EnvProblem[] = [];
    const out = expandEnv(
      { url: 'https://${HOST:-localhost}:8443/x?t=${TOKEN}', list: ['${TOKEN}'], n: 3 },
      env,
      problems,
    );
    expect(out).toEqual({ url: 'https://localhost:8443/x?t=s3cr3t', list: ['s3cr3t'], n: 3 });
    expect(problems).toEqual([]);
  });

  it('gives a whole-reference value the type of its text', () => {
    const out = expandEnv(
      { port: '${PORT}', on: '${FLAG}', fallback: '${NOPE:-42}', mixed: 'p${PORT}' },
      env,
      [],
    );
    expect(out).toEqual({ port: 9090, on: true, fallback: 42, mixed: 'p9090' });
  });

  it('treats an empty variable as unset and reports a missing one with its path', () => {
    const problems: EnvProblem[] = [];
    expandEnv({ a: [{ b: '${EMPTY}' }] }, env, problems);
    expect(problems).toEqual([{ path: ['a', 0, 'b'], message: 'environment variable EMPTY is not set' }]);
  });

  it('keeps $${ as a literal ${', () => {
    expect(expandEnv('cost $${TOKEN}', env, [])).toBe('cost ${TOKEN}');
  });
});
