import { describe, expect, it } from 'vitest';
import { REQUEST_OUTCOMES, spanOutcome } from './outcome.ts';
import { span } from './test-spans.ts';
import { type Attributes, StatusCode } from './types.ts';

describe('spanOutcome', () => {
  it.each<[string, Attributes, StatusCode, string]>([
    ['no status at all is success', {}, StatusCode.UNSET, 'success'],
    ['status OK is success', {}, StatusCode.OK, 'success'],
    ['status ERROR is error', {}, StatusCode.ERROR, 'error'],
    ['200 is success', { 'http.response.status_code': 200 }, StatusCode.UNSET, 'success'],
    ['200 with status ERROR is error', { 'http.response.status_code': 200 }, StatusCode.ERROR, 'error'],
    ['404 is client_error', { 'http.response.status_code': 404 }, StatusCode.UNSET, 'client_error'],
    ['400 outranks status ERROR', { 'http.response.status_code': 400 }, StatusCode.ERROR, 'client_error'],
    ['499 is client_error', { 'http.response.status_code': 499 }, StatusCode.UNSET, 'client_error'],
    ['500 is server_error', { 'http.response.status_code': 500 }, StatusCode.UNSET, 'server_error'],
    ['599 is server_error', { 'http.response.status_code': 599 }, StatusCode.ERROR, 'server_error'],
    [
      'a 503 string is server_error',
      { 'http.response.status_code': '503' },
      StatusCode.UNSET,
      'server_error',
    ],
    ['older http.status_code is read', { 'http.status_code': 502 }, StatusCode.UNSET, 'server_error'],
    [
      'the current attribute wins over the older one',
      { 'http.response.status_code': 200, 'http.status_code': 500 },
      StatusCode.UNSET,
      'success',
    ],
    ['a 3xx is success', { 'http.response.status_code': 302 }, StatusCode.UNSET, 'success'],
    ['600 is no HTTP class', { 'http.response.status_code': 600 }, StatusCode.ERROR, 'error'],
    ['a non-numeric string is ignored', { 'http.response.status_code': 'bad' }, StatusCode.UNSET, 'success'],
  ])('%s', (_name, attributes, statusCode, expected) => {
    expect(spanOutcome(span({ attributes, statusCode }))).toBe(expected);
  });

  it('lists every outcome once', () => {
    expect(REQUEST_OUTCOMES).toEqual(['success', 'client_error', 'server_error', 'error']);
  });
});
