import { describe, expect, it } from 'vitest';
import { statusAccepted, statusReason } from './http-status.ts';

describe('statusAccepted', () => {
  it.each([
    [200, ['2xx'], true],
    [299, ['2xx'], true],
    [301, ['2xx'], false],
    [404, ['200', '404'], true],
    [500, ['200', '4xx'], false],
    [204, ['200'], false],
  ])('%i in %o is %s', (status, expected, accepted) => {
    expect(statusAccepted(status, expected)).toBe(accepted);
  });
});

describe('statusReason', () => {
  it('names the status and every accepted pattern', () => {
    expect(statusReason(503, ['2xx'])).toBe('status 503, expected 2xx');
    expect(statusReason(503, ['200', '3xx'])).toBe('status 503, expected 200 or 3xx');
  });
});
