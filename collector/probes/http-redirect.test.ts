import { describe, expect, it } from 'vitest';
import { type HopRequest, nextHop } from './http-redirect.ts';

const post: HopRequest = {
  url: new URL('https://api.test/v1/orders?x=1'),
  method: 'POST',
  headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json', 'X-Trace': 'on' },
  body: '{}',
};

describe('nextHop', () => {
  it('stops at a response that is not a redirect, or has no Location', () => {
    expect(nextHop(post, 200, '/elsewhere')).toEqual({ kind: 'final' });
    expect(nextHop(post, 304, '/elsewhere')).toEqual({ kind: 'final' });
    expect(nextHop(post, 302, undefined)).toEqual({ kind: 'final' });
  });

  it('resolves a relative Location and keeps method and body on 307/308', () => {
    const step = nextHop(post, 307, '../v2/orders');
    expect(step).toMatchObject({
      kind: 'follow',
      request: { method: 'POST', body: '{}', headers: post.headers },
    });
    expect(step.kind === 'follow' && step.request.url.href).toBe('https://api.test/v2/orders');
  });

  it.each([
    [303, 'PUT'],
    [302, 'POST'],
    [301, 'POST'],
  ])('turns %i after a %s into a GET without body headers', (status, method) => {
    const step = nextHop({ ...post, method }, status, '/done');
    expect(step).toMatchObject({ kind: 'follow', request: { method: 'GET', body: undefined } });
    expect(step.kind === 'follow' && step.request.headers).toEqual({
      Authorization: 'Bearer t',
      'X-Trace': 'on',
    });
  });

  it('keeps HEAD a HEAD', () => {
    expect(nextHop({ ...post, method: 'HEAD' }, 303, '/x')).toMatchObject({ request: { method: 'HEAD' } });
  });

  it('does not send credentials to another origin', () => {
    const step = nextHop(post, 308, 'https://other.test/v1/orders');
    expect(step.kind === 'follow' && step.request.headers).toEqual({
      'Content-Type': 'application/json',
      'X-Trace': 'on',
    });
  });

  it('refuses a Location that is not http(s) or not a URL', () => {
    expect(nextHop(post, 302, 'ftp://files.test/')).toEqual({
      kind: 'invalid',
      reason: 'redirect to unsupported protocol ftp:',
    });
    expect(nextHop(post, 302, 'http://[oops/')).toEqual({
      kind: 'invalid',
      reason: 'status 302 with an invalid Location',
    });
  });
});
