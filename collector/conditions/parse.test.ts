import { describe, expect, it } from 'vitest';
import { ConditionError, parseCondition } from './index.ts';

const OPERANDS =
  'status, duration, body, body.<jsonpath>, len(body), len(body.<jsonpath>), len(answers), certificate_expires_in, connected, answers';
const COMPARATORS = '==, !=, <, <=, >, >=, contains, !contains, matches';
const JSONPATH = "(supported: $, .name, ['name'], [index])";

const INVALID: [string, string][] = [
  ['', `column 1: expected an operand (one of ${OPERANDS}), found the end of the condition`],
  ['[STATUS] == 200', `column 1: expected an operand (one of ${OPERANDS}), found "[STATUS]"`],
  ['stauts == 200', `column 1: unknown operand "stauts" (expected one of ${OPERANDS})`],
  ['  latency < 1s', `column 3: unknown operand "latency" (expected one of ${OPERANDS})`],
  ['status => 200', `column 8: expected a comparator (${COMPARATORS}), found "=>"`],
  ['status === 200', `column 8: expected a comparator (${COMPARATORS}), found "==="`],
  ['status 200', `column 8: expected a comparator (${COMPARATORS}), found "200"`],
  ['body contain "x"', `column 6: expected a comparator (${COMPARATORS}), found "contain"`],
  ['body.$.a.b', `column 11: expected a comparator (${COMPARATORS}), found the end of the condition`],
  ['status == 20x', 'column 11: status is compared with an integer such as 200, found "20x"'],
  ['status == 200.5', 'column 11: status is compared with an integer such as 200, found "200.5"'],
  ['status == "200"', 'column 11: status is compared with an integer such as 200, found the string "200"'],
  ['status ==', 'column 10: status is compared with an integer such as 200, found the end of the condition'],
  ['status contains "2"', 'column 8: contains works on body, body.<jsonpath> and answers, not on status'],
  ['status matches /^2/', 'column 8: matches works on body, body.<jsonpath> and answers, not on status'],
  [
    'duration < "fast"',
    'column 12: duration is compared with a duration such as 500ms, found the string "fast"',
  ],
  ['duration < 500', 'column 12: duration is compared with a duration such as 500ms, found "500"'],
  ['duration < 5 s', 'column 12: duration is compared with a duration such as 500ms, found "5"'],
  [
    'certificate_expires_in > 2y',
    'column 26: certificate_expires_in is compared with a duration such as 14d, found "2y"',
  ],
  ['connected < true', 'column 11: connected is compared with == or !=, not <'],
  ['connected == 1', 'column 14: connected is compared with true or false, found "1"'],
  ['answers == "1.2.3.4"', 'column 9: answers is compared with contains, !contains or matches, not =='],
  ['body < 3', 'column 6: body is compared with ==, !=, contains, !contains or matches, not <'],
  ['body == 200', 'column 9: body is compared with a quoted string such as "ok", found "200"'],
  ['body contains ok', 'column 15: contains takes a quoted string such as "ok", found "ok"'],
  [
    'body !contains',
    'column 15: !contains takes a quoted string such as "ok", found the end of the condition',
  ],
  ['body matches "ok"', 'column 14: matches takes a regex literal such as /^ok$/i, found the string "ok"'],
  ['body.$.n < "10"', 'column 12: < takes a number such as 10, found the string "10"'],
  ['body.$.n == 5s', 'column 13: == takes a number, a quoted string, true, false or null, found "5s"'],
  [
    'body.$.n == /x/',
    'column 13: == takes a number, a quoted string, true, false or null, found the regex /x/',
  ],
  ['len(body) > 1.5', 'column 13: len(body) is compared with an integer such as 3, found "1.5"'],
  [
    'len(body) contains "x"',
    'column 11: contains works on body, body.<jsonpath> and answers, not on len(body)',
  ],
  ['len(status) > 1', 'column 5: len takes body, body.<jsonpath> or answers, found "status"'],
  ['len body > 1', 'column 4: expected "(" after len, as in len(body), found a space'],
  ['len(body > 1', 'column 10: expected ")" to close len(, found ">"'],
  ['body.status == "ok"', 'column 6: expected "$" to start a JSONPath such as body.$.status, found "status"'],
  [
    'body.$. == 1',
    `column 8: expected a name after "." in the JSONPath, found a space (use ['name'] for other keys)`,
  ],
  ['body.$.items[0 == 1', 'column 15: expected "]" to close the JSONPath selector, found a space'],
  ['body.$.a[*] == 1', `column 9: unsupported JSONPath wildcard "[*]" ${JSONPATH}`],
  ['body.$.* == 1', `column 7: unsupported JSONPath wildcard ".*" ${JSONPATH}`],
  ['body.$..id == 1', `column 7: unsupported JSONPath recursive descent ".." ${JSONPATH}`],
  ['body.$.a[?(@.b[0]==1)] == 1', `column 9: unsupported JSONPath filter "[?(@.b[0]==1)]" ${JSONPATH}`],
  ['body.$.a[0:2] == 1', `column 9: unsupported JSONPath slice "[0:2]" ${JSONPATH}`],
  ['body.$.a[0,1] == 1', `column 9: unsupported JSONPath union "[0,1]" ${JSONPATH}`],
  ["body.$['a','b'] == 1", `column 7: unsupported JSONPath union "['a','b']" ${JSONPATH}`],
  ['body.$.a[-1] == 1', `column 9: unsupported JSONPath negative index "[-1]" ${JSONPATH}`],
  ['body.$[a] == 1', `column 7: unsupported JSONPath selector "[a]" ${JSONPATH}`],
  ["body.$['a == 1", "column 8: unterminated string (missing closing ')"],
  ['body == "abc', 'column 9: unterminated string (missing closing ")'],
  ['body == "a\\n"', 'column 11: unknown escape "\\n" in a string (only \\" and \\\\)'],
  ["body == 'ok'", 'column 9: strings are written in double quotes, as in "ok"'],
  ['body matches /(/', 'column 14: invalid regex /(/: Unterminated group'],
  ['body matches //', 'column 14: empty regex //'],
  ['body matches /a', 'column 14: unterminated regex (missing closing /)'],
  ['body matches /a/g', 'column 17: regex flag "g" is not allowed (a condition tests once)'],
  ['body matches /a/ix', 'column 18: unknown regex flag "x" (allowed: d, i, m, s, u, v)'],
  [
    'status == 200 and duration < 1s',
    'column 15: unexpected "and" after the value (one condition per string)',
  ],
];

describe('parseCondition', () => {
  it.each(INVALID)('rejects %j', (text, message) => {
    const error = catchError(() => parseCondition(text));
    expect(error).toBeInstanceOf(ConditionError);
    expect(error.message).toBe(message);
    expect(error.column).toBe(Number(/^column (\d+)/.exec(message)?.[1]));
  });

  it.each([
    ['status==200', 'status == 200'],
    ['  status   >=  200 ', 'status >= 200'],
    ["body.$['key with space'] != null", "body.$['key with space'] != null"],
    ['len(body.$.items)>=1', 'len(body.$.items) >= 1'],
    ['body matches /[/]x/i', 'body matches /[/]x/i'],
  ])('normalises %j to %j', (text, normalised) => {
    expect(parseCondition(text).text).toBe(normalised);
  });

  it('converts durations to ms and compiles regexes at parse time', () => {
    expect(parseCondition('certificate_expires_in > 14d').value).toEqual({
      kind: 'duration',
      value: 1_209_600_000,
    });
    expect(parseCondition('duration < 1.5s').value).toEqual({ kind: 'duration', value: 1_500 });
    expect(parseCondition('body matches /^ok$/i').value).toEqual({ kind: 'regex', value: /^ok$/i });
  });

  it('reads the JSONPath subset', () => {
    expect(parseCondition(`body.$.data.items[0]["id"]['a \\' b'] == 1`).operand).toEqual({
      kind: 'json',
      path: ['data', 'items', 0, 'id', "a ' b"],
    });
    expect(parseCondition('len(answers) == 2').operand).toEqual({ kind: 'len', of: { kind: 'answers' } });
  });
});

function catchError(run: () => unknown): ConditionError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConditionError) return error;
    throw error;
  }
  throw new Error('expected a ConditionError');
}
