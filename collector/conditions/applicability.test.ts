import { describe, expect, it } from 'vitest';
import { inapplicableOperand } from './applicability.ts';
import { parseCondition } from './parse.ts';

describe('conditions per probe type', () => {
  it.each([
    ['status == 200', 'http', undefined],
    ['body.$.a == 1', 'http', undefined],
    ['len(body) > 0', 'http', undefined],
    ['certificate_expires_in > 14d', 'http', undefined],
    ['connected == true', 'tcp', undefined],
    ['duration < 1s', 'tcp', undefined],
    ['answers contains "127.0.0.1"', 'dns', undefined],
    ['len(answers) > 0', 'dns', undefined],
    ['status == 200', 'tcp', 'status is not available on a tcp probe (available: duration, connected)'],
    [
      'body contains "x"',
      'dns',
      'body is not available on a dns probe (available: duration, answers, len(answers))',
    ],
    ['connected == true', 'http', 'connected is not available on a http probe'],
    ['len(body.$.items) > 0', 'dns', 'len(body.<jsonpath>) is not available on a dns probe'],
  ] as const)('%s on %s', (text, probe, problem) => {
    const found = inapplicableOperand(parseCondition(text), probe);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });
});
