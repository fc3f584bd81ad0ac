import { describe, expect, it } from 'vitest';
import { REDACTED, redactSpec } from './redact.ts';

describe('redactSpec', () => {
  it('hides values under secret-looking keys and URL credentials', () => {
    expect(
      redactSpec({
        url: 'https://user:pw@psp.example.com/health',
        headers: { Authorization: 'Bearer abc', 'X-Api-Key': 'k', Accept: 'json' },
        password: 'hunter2',
        nested: [{ token: 't', name: 'ok' }],
        port: 443,
      }),
    ).toEqual({
      url: `https://${REDACTED}@psp.example.com/health`,
      headers: { Authorization: REDACTED, 'X-Api-Key': REDACTED, Accept: 'json' },
      password: REDACTED,
      nested: [{ token: REDACTED, name: 'ok' }],
      port: 443,
    });
  });
});
