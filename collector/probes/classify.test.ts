import { describe, expect, it } from 'vitest';
import { classifyError, classifyFailure } from './classify.ts';
import { ProbeError } from './result.ts';
import type { FailureClass } from './types.ts';

const error = (fields: Record<string, unknown>, message = 'raw message with secret-123'): Error =>
  Object.assign(new Error(message), fields);

const CASES: [string, Error, FailureClass, string][] = [
  [
    'getaddrinfo ENOTFOUND',
    error({ code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname: 'api.example.com' }),
    'dns',
    'cannot resolve api.example.com: name not found (ENOTFOUND)',
  ],
  [
    'getaddrinfo EAI_AGAIN',
    error({ code: 'EAI_AGAIN', syscall: 'getaddrinfo', hostname: 'a.test' }),
    'dns',
    'cannot resolve a.test: temporary resolver failure (EAI_AGAIN)',
  ],
  [
    'c-ares ENODATA',
    error({ code: 'ENODATA', syscall: 'queryAaaa', hostname: 'a.test' }),
    'dns',
    'cannot resolve a.test: no records of this type (ENODATA)',
  ],
  [
    'c-ares ESERVFAIL',
    error({ code: 'ESERVFAIL', syscall: 'queryA', hostname: 'a.test' }),
    'dns',
    'cannot resolve a.test: server failure (ESERVFAIL)',
  ],
  [
    'c-ares ETIMEOUT',
    error({ code: 'ETIMEOUT', syscall: 'queryA', hostname: 'a.test' }),
    'dns',
    'cannot resolve a.test: query timed out (ETIMEOUT)',
  ],
  [
    'c-ares ECONNREFUSED is the resolver',
    error({ code: 'ECONNREFUSED', syscall: 'queryA', hostname: 'a.test' }),
    'dns',
    'cannot resolve a.test: resolver refused the connection (ECONNREFUSED)',
  ],
  [
    'ENOTFOUND without a name',
    error({ code: 'ENOTFOUND' }),
    'dns',
    'dns lookup failed: name not found (ENOTFOUND)',
  ],
  [
    'connect ECONNREFUSED',
    error({ code: 'ECONNREFUSED', syscall: 'connect', address: '127.0.0.1', port: 9 }),
    'connect_refused',
    'connection refused to 127.0.0.1:9 (ECONNREFUSED)',
  ],
  [
    'happy eyeballs AggregateError',
    Object.assign(new AggregateError([error({ code: 'ECONNREFUSED', address: '::1', port: 80 })]), {
      code: 'ECONNREFUSED',
    }),
    'connect_refused',
    'connection refused to ::1:80 (ECONNREFUSED)',
  ],
  [
    'read ECONNRESET',
    error({ code: 'ECONNRESET', syscall: 'read' }),
    'connect_reset',
    'connection reset (ECONNRESET)',
  ],
  [
    'socket hang up',
    error({ code: 'ECONNRESET' }, 'socket hang up'),
    'connect_reset',
    'socket hang up (ECONNRESET)',
  ],
  [
    'response aborted',
    error({ code: 'ECONNRESET' }, 'aborted'),
    'connect_reset',
    'response cut short (ECONNRESET)',
  ],
  [
    'reset in TLS handshake',
    error(
      { code: 'ECONNRESET' },
      'Client network socket disconnected before secure TLS connection was established',
    ),
    'connect_reset',
    'connection reset during the TLS handshake (ECONNRESET)',
  ],
  ['write EPIPE', error({ code: 'EPIPE', syscall: 'write' }), 'connect_reset', 'connection reset (EPIPE)'],
  [
    'self-signed',
    error({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
    'tls',
    'self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)',
  ],
  [
    'self-signed in chain',
    error({ code: 'SELF_SIGNED_CERT_IN_CHAIN' }),
    'tls',
    'self-signed certificate in the chain (SELF_SIGNED_CERT_IN_CHAIN)',
  ],
  ['expired', error({ code: 'CERT_HAS_EXPIRED' }), 'tls', 'certificate has expired (CERT_HAS_EXPIRED)'],
  [
    'unknown issuer',
    error({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }),
    'tls',
    'cannot verify the leaf certificate (UNABLE_TO_VERIFY_LEAF_SIGNATURE)',
  ],
  [
    'hostname mismatch',
    error({ code: 'ERR_TLS_CERT_ALTNAME_INVALID', host: 'a.test' }),
    'tls',
    'hostname does not match the certificate (ERR_TLS_CERT_ALTNAME_INVALID)',
  ],
  [
    'handshake alert',
    error({ code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE' }),
    'tls',
    'TLS handshake failed (ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE)',
  ],
  [
    'plain HTTP on a TLS port',
    error({ code: 'ERR_SSL_WRONG_VERSION_NUMBER' }),
    'tls',
    'TLS handshake failed (ERR_SSL_WRONG_VERSION_NUMBER)',
  ],
  [
    'bad PEM',
    error({ code: 'ERR_OSSL_PEM_NO_START_LINE' }),
    'tls',
    'TLS handshake failed (ERR_OSSL_PEM_NO_START_LINE)',
  ],
  [
    'OS connect timeout',
    error({ code: 'ETIMEDOUT', address: '10.0.0.1', port: 443 }),
    'timeout',
    'connection timed out to 10.0.0.1:443 (ETIMEDOUT)',
  ],
  [
    'timeout signal reason',
    new DOMException('The operation was aborted due to timeout', 'TimeoutError') as unknown as Error,
    'timeout',
    'timed out',
  ],
  [
    'HTTP parse error',
    error({ code: 'HPE_INVALID_CONSTANT' }),
    'other',
    'invalid HTTP response (HPE_INVALID_CONSTANT)',
  ],
  [
    'header value with a secret',
    error({ code: 'ERR_INVALID_CHAR' }, 'Invalid character in header content ["authorization"]'),
    'other',
    'invalid character in a header (ERR_INVALID_CHAR)',
  ],
  [
    'invalid URL',
    error({ code: 'ERR_INVALID_URL', input: 'http://user:pw@' }),
    'other',
    'invalid URL (ERR_INVALID_URL)',
  ],
  [
    'unreachable',
    error({ code: 'EHOSTUNREACH', address: '10.9.9.9', port: 80 }),
    'other',
    'host unreachable to 10.9.9.9:80 (EHOSTUNREACH)',
  ],
  ['unknown code', error({ code: 'EWHATEVER' }), 'other', 'unexpected error (EWHATEVER)'],
  ['no code', new RangeError('secret-123'), 'other', 'unexpected RangeError'],
];

describe('classifyError', () => {
  it.each(CASES)('%s', (_name, thrown, failureClass, reason) => {
    const failure = classifyError(thrown);
    expect(failure).toEqual({ class: failureClass, reason });
    expect(failure.reason).not.toContain('secret-123');
  });

  it('classifies the cause of a ProbeError', () => {
    const wrapped = new ProbeError(error({ code: 'ECONNREFUSED' }), { phases: { total: 1 } });
    expect(classifyError(wrapped)).toEqual({
      class: 'connect_refused',
      reason: 'connection refused (ECONNREFUSED)',
    });
  });

  it('classifies values that are not errors', () => {
    expect(classifyError('boom')).toEqual({ class: 'other', reason: 'unexpected error' });
    expect(classifyError(undefined)).toEqual({ class: 'other', reason: 'unexpected error' });
  });
});

describe('classifyFailure', () => {
  const reset = error({ code: 'ECONNRESET' });

  it.each([
    [undefined, 'timeout after 500ms'],
    [{ total: 500 }, 'timeout after 500ms while connecting'],
    [{ dns: 1, connect: 2, total: 500 }, 'timeout after 500ms waiting for the response'],
    [{ dns: 1, connect: 2, firstByte: 3, total: 500 }, 'timeout after 500ms reading the response'],
  ])('puts the run timeout first, whatever the error (%o)', (phases, reason) => {
    expect(classifyFailure(reset, { timedOut: true, timeoutMs: 500, aborted: true, phases })).toEqual({
      class: 'timeout',
      reason,
    });
  });

  it('reports an abort by the caller, then the error', () => {
    expect(classifyFailure(reset, { timedOut: false, timeoutMs: 500, aborted: true })).toEqual({
      class: 'other',
      reason: 'run aborted',
    });
    expect(classifyFailure(reset, { timedOut: false, timeoutMs: 500 }).class).toBe('connect_reset');
  });
});
