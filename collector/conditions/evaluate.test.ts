import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ProbeResult } from '../probes/types.ts';
import { ConditionError, compileConditions, evaluateCondition, parseCondition } from './index.ts';

const NOW = Date.UTC(2025, 0, 1);
const DAY = 86_400_000;
const JSON_BODY = JSON.stringify({
  status: 'degraded',
  count: 5,
  ok: true,
  error: null,
  code: '5',
  'key with space': 'yes',
  data: { items: [{ id: 7, name: 'first' }], tags: ['a', 'b'] },
});
const LONG = 'x'.repeat(100);

type Case = [condition: string, result: Partial<ProbeResult>, ok: boolean, detail: string];

const CASES: Case[] = [
  ['status == 200', { statusCode: 200 }, true, 'status == 200 (found 200)'],
  ['status == 200', { statusCode: 503 }, false, 'status == 200 (found 503)'],
  ['status < 500', { statusCode: 404 }, true, 'status < 500 (found 404)'],
  ['status >= 500', { statusCode: 404 }, false, 'status >= 500 (found 404)'],
  ['status != 200', {}, false, 'status != 200 (no status code)'],
  ['duration < 500ms', { durationMs: 120.46 }, true, 'duration < 500ms (found 120.5ms)'],
  ['duration<=2s', { durationMs: 2_500 }, false, 'duration <= 2s (found 2s500ms)'],
  [
    'certificate_expires_in > 14d',
    { tlsExpiresAt: NOW + 30 * DAY },
    true,
    'certificate_expires_in > 14d (found 30d)',
  ],
  [
    'certificate_expires_in > 14d',
    { tlsExpiresAt: NOW + 14 * DAY - 1 },
    false,
    'certificate_expires_in > 14d (found 13d23h)',
  ],
  [
    'certificate_expires_in > 0ms',
    { tlsExpiresAt: NOW - 2 * DAY },
    false,
    'certificate_expires_in > 0ms (found -2d)',
  ],
  ['certificate_expires_in > 14d', {}, false, 'certificate_expires_in > 14d (no TLS certificate)'],
  ['connected == true', { connected: true }, true, 'connected == true (found true)'],
  ['connected != true', { connected: true }, false, 'connected != true (found true)'],
  ['connected == true', {}, false, 'connected == true (no connection result)'],
  [
    'answers contains "1.2.3.4"',
    { answers: ['1.2.3.4', '5.6.7.8'] },
    true,
    'answers contains "1.2.3.4" (found ["1.2.3.4","5.6.7.8"])',
  ],
  [
    'answers contains "1.2.3"',
    { answers: ['1.2.3.4'] },
    false,
    'answers contains "1.2.3" (found ["1.2.3.4"])',
  ],
  [
    'answers !contains "9.9.9.9"',
    { answers: ['1.2.3.4'] },
    true,
    'answers !contains "9.9.9.9" (found ["1.2.3.4"])',
  ],
  [
    'answers matches /^v=spf1 /',
    { answers: ['google-site', 'v=spf1 -all'] },
    true,
    'answers matches /^v=spf1 / (found ["google-site","v=spf1 -all"])',
  ],
  ['answers contains "x"', {}, false, 'answers contains "x" (no DNS answers)'],
  ['len(answers) == 2', { answers: ['a', 'b'] }, true, 'len(answers) == 2 (found 2)'],
  ['body == "pong"', { body: 'pong' }, true, 'body == "pong" (found "pong")'],
  ['body contains "ok"', { body: 'all OK' }, false, 'body contains "ok" (found "all OK")'],
  ['body matches /ok/i', { body: 'all OK' }, true, 'body matches /ok/i (found "all OK")'],
  [
    'body !contains "error"',
    { body: 'error: disk full' },
    false,
    'body !contains "error" (found "error: disk full")',
  ],
  ['body contains "y"', { body: LONG }, false, `body contains "y" (found "${'x'.repeat(60)}…")`],
  ['body == ""', {}, false, 'body == "" (no body)'],
  ['len(body) > 10', { body: 'short' }, false, 'len(body) > 10 (found 5)'],
  ['len(body) == 0', {}, false, 'len(body) == 0 (no body)'],
  ['body.$.status == "ok"', { body: JSON_BODY }, false, 'body.$.status == "ok" (found "degraded")'],
  ['body.$.status != "ok"', { body: JSON_BODY }, true, 'body.$.status != "ok" (found "degraded")'],
  ['body.$.status == "ok"', { body: '<html>' }, false, 'body.$.status == "ok" (body is not JSON)'],
  ['body.$.status == "ok"', {}, false, 'body.$.status == "ok" (no body)'],
  ['body.$.a.b == 1', { body: '{"a":{}}' }, false, 'body.$.a.b == 1 (no value at $.a.b)'],
  ['body.$.a.b == 1', { body: '{"b":1}' }, false, 'body.$.a.b == 1 (no value at $.a)'],
  ['body.$.a != 1', { body: '{}' }, false, 'body.$.a != 1 (no value at $.a)'],
  ['body.$.count == 5', { body: JSON_BODY }, true, 'body.$.count == 5 (found 5)'],
  ['body.$.count == "5"', { body: JSON_BODY }, false, 'body.$.count == "5" (found 5)'],
  ['body.$.code == 5', { body: JSON_BODY }, false, 'body.$.code == 5 (found "5")'],
  ['body.$.count >= 4.5', { body: JSON_BODY }, true, 'body.$.count >= 4.5 (found 5)'],
  ['body.$.code < 10', { body: JSON_BODY }, false, 'body.$.code < 10 (found "5", not a number)'],
  ['body.$.ok == true', { body: JSON_BODY }, true, 'body.$.ok == true (found true)'],
  ['body.$.error == null', { body: JSON_BODY }, true, 'body.$.error == null (found null)'],
  [
    'body.$.count contains "5"',
    { body: JSON_BODY },
    false,
    'body.$.count contains "5" (found 5, not a string)',
  ],
  [
    'body.$.count !contains "5"',
    { body: JSON_BODY },
    false,
    'body.$.count !contains "5" (found 5, not a string)',
  ],
  [
    'body.$.status matches /^degr/',
    { body: JSON_BODY },
    true,
    'body.$.status matches /^degr/ (found "degraded")',
  ],
  [
    'body.$[\'key with space\'] == "yes"',
    { body: JSON_BODY },
    true,
    'body.$[\'key with space\'] == "yes" (found "yes")',
  ],
  ['body.$.data.items[0].id == 7', { body: JSON_BODY }, true, 'body.$.data.items[0].id == 7 (found 7)'],
  [
    'body.$.data.items[1].id == 7',
    { body: JSON_BODY },
    false,
    'body.$.data.items[1].id == 7 (no value at $.data.items[1])',
  ],
  [
    'body.$.data.items[0] == 1',
    { body: JSON_BODY },
    false,
    'body.$.data.items[0] == 1 (found {"id":7,"name":"first"})',
  ],
  ['body.$ == 1', { body: JSON.stringify([LONG]) }, false, `body.$ == 1 (found ["${'x'.repeat(58)}…)`],
  ['len(body.$.data.items) >= 1', { body: JSON_BODY }, true, 'len(body.$.data.items) >= 1 (found 1)'],
  ['len(body.$.status) == 8', { body: JSON_BODY }, true, 'len(body.$.status) == 8 (found 8)'],
  [
    'len(body.$.count) > 0',
    { body: JSON_BODY },
    false,
    'len(body.$.count) > 0 (found 5, which has no length)',
  ],
  ['len(body.$.nope) > 0', { body: JSON_BODY }, false, 'len(body.$.nope) > 0 (no value at $.nope)'],
];

describe('evaluateCondition', () => {
  it.each(CASES)('%s on %j', (text, partial, ok, detail) => {
    const result: ProbeResult = { success: true, durationMs: 50, ...partial };
    expect(evaluateCondition(parseCondition(text), result, NOW)).toEqual({ ok, detail });
  });

  it('does not carry regex state from one result to the next', () => {
    const condition = parseCondition('body matches /ok/');
    for (let i = 0; i < 3; i++) {
      expect(evaluateCondition(condition, { success: true, durationMs: 1, body: 'ok' }, NOW).ok).toBe(true);
    }
  });
});

describe('compileConditions', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const check = compileConditions(['status == 200', 'body.$.status == "ok"', 'len(body.$.items) > 0']);

  it('returns undefined when every condition holds', () => {
    const body = JSON.stringify({ status: 'ok', items: [1] });
    expect(check({ success: true, durationMs: 5, statusCode: 200, body })).toBeUndefined();
  });

  it('returns the detail of the first failing condition', () => {
    const body = JSON.stringify({ status: 'degraded', items: [] });
    expect(check({ success: true, durationMs: 5, statusCode: 200, body })).toBe(
      'body.$.status == "ok" (found "degraded")',
    );
    expect(check({ success: true, durationMs: 5, statusCode: 503, body })).toBe('status == 200 (found 503)');
  });

  it('parses the body as JSON at most once per evaluation', () => {
    const parse = vi.spyOn(JSON, 'parse');
    const body = JSON.stringify({ status: 'ok', items: [1] });
    check({ success: true, durationMs: 5, statusCode: 200, body });
    expect(parse).toHaveBeenCalledTimes(1);
    check({ success: true, durationMs: 5, statusCode: 200, body });
    expect(parse).toHaveBeenCalledTimes(2);
  });

  it('measures certificate expiry from now, defaulting to the clock', () => {
    const certificate = compileConditions(['certificate_expires_in > 7d']);
    const result: ProbeResult = { success: true, durationMs: 5, tlsExpiresAt: NOW + 10 * DAY };
    expect(certificate(result, NOW)).toBeUndefined();
    expect(certificate(result, NOW + 5 * DAY)).toBe('certificate_expires_in > 7d (found 5d)');
    expect(certificate({ ...result, tlsExpiresAt: Date.now() + 10 * DAY })).toBeUndefined();
  });

  it('throws the parse error of the first invalid condition', () => {
    expect(() => compileConditions(['status == 200', 'stauts == 200'])).toThrow(ConditionError);
  });
});
