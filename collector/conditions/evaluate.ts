import type { ProbeResult } from '../probes/types.ts';
import { formatDurationFound } from './duration.ts';
import { resolveJsonPath } from './jsonpath.ts';
import { parseCondition } from './parse.ts';
import type { Comparator, Condition, ConditionOutcome, LengthTarget, Operand, Value } from './types.ts';

const FOUND_MAX = 60;

type JsonBody = { ok: true; value: unknown } | { ok: false; detail: string };

/** One result under evaluation; the body is parsed as JSON on first use only. */
interface Subject {
  result: ProbeResult;
  now: number;
  json: () => JsonBody;
}

type Lookup = { value: unknown } | { missing: string };

/**
 * Evaluates a parsed condition on one probe result; never throws. A condition whose operand has no
 * value (no status, body not JSON, nothing at the path) fails whatever its comparator.
 *
 * @param now Unix ms, the reference for `certificate_expires_in`.
 * @example
 * evaluateCondition(parseCondition('status == 200'), { success: true, durationMs: 12, statusCode: 503 }, Date.now())
 * // { ok: false, detail: 'status == 200 (found 503)' }
 */
export function evaluateCondition(condition: Condition, result: ProbeResult, now: number): ConditionOutcome {
  return evaluate(condition, subjectOf(result, now));
}

/**
 * Parses every condition once and returns a checker that gives the detail of the first failing
 * condition, or `undefined` when all hold. The body is parsed as JSON at most once per call.
 *
 * @param now Unix ms for `certificate_expires_in` (default: `Date.now()` at the call).
 * @throws {ConditionError} for the first condition that does not parse.
 * @example
 * const check = compileConditions(['status == 200', 'body.$.status == "ok"']);
 * check(result) // undefined, or e.g. 'body.$.status == "ok" (found "degraded")'
 */
export function compileConditions(
  texts: string[],
): (result: ProbeResult, now?: number) => string | undefined {
  const conditions = texts.map(parseCondition);
  return (result, now = Date.now()) => {
    const subject = subjectOf(result, now);
    for (const condition of conditions) {
      const outcome = evaluate(condition, subject);
      if (!outcome.ok) return outcome.detail;
    }
    return undefined;
  };
}

function subjectOf(result: ProbeResult, now: number): Subject {
  let parsed: JsonBody | undefined;
  return { result, now, json: () => (parsed ??= parseJson(result.body)) };
}

function parseJson(body: string | undefined): JsonBody {
  if (body === undefined) return { ok: false, detail: 'no body' };
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    return { ok: false, detail: 'body is not JSON' };
  }
}

function evaluate(condition: Condition, subject: Subject): ConditionOutcome {
  try {
    const found = lookup(condition.operand, subject);
    if ('missing' in found) return { ok: false, detail: `${condition.text} (${found.missing})` };
    const outcome = compare(
      found.value,
      condition.comparator,
      condition.value,
      condition.operand.kind === 'answers',
    );
    const shown = formatFound(condition.operand, found.value);
    const mismatch = typeof outcome === 'string' ? `, ${outcome}` : '';
    return { ok: outcome === true, detail: `${condition.text} (found ${shown}${mismatch})` };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, detail: `${condition.text} (could not evaluate: ${truncate(reason)})` };
  }
}

function lookup(operand: Operand | LengthTarget, subject: Subject): Lookup {
  const { result } = subject;
  switch (operand.kind) {
    case 'status':
      return present(result.statusCode, 'no status code');
    case 'duration':
      return { value: result.durationMs };
    case 'certificate_expires_in':
      return result.tlsExpiresAt === undefined
        ? { missing: 'no TLS certificate' }
        : { value: result.tlsExpiresAt - subject.now };
    case 'connected':
      return present(result.connected, 'no connection result');
    case 'answers':
      return present(result.answers, 'no DNS answers');
    case 'body':
      return present(result.body, 'no body');
    case 'json': {
      const body = subject.json();
      if (!body.ok) return { missing: body.detail };
      const resolved = resolveJsonPath(body.value, operand.path);
      return resolved.found ? { value: resolved.value } : { missing: `no value at ${resolved.missingAt}` };
    }
    case 'len': {
      const target = lookup(operand.of, subject);
      if ('missing' in target) return target;
      const { value } = target;
      if (typeof value === 'string' || Array.isArray(value)) return { value: value.length };
      return { missing: `found ${formatValue(value)}, which has no length` };
    }
  }
}

function present(value: unknown, missing: string): Lookup {
  return value === undefined ? { missing } : { value };
}

function compare(
  actual: unknown,
  comparator: Comparator,
  expected: Value,
  isList: boolean,
): boolean | string {
  switch (comparator) {
    case '==':
      return actual === expected.value;
    case '!=':
      return actual !== expected.value;
    case '<':
      return order(actual, expected, (a, b) => a < b);
    case '<=':
      return order(actual, expected, (a, b) => a <= b);
    case '>':
      return order(actual, expected, (a, b) => a > b);
    case '>=':
      return order(actual, expected, (a, b) => a >= b);
    case 'contains':
      return contains(actual, expected, isList);
    case '!contains': {
      const outcome = contains(actual, expected, isList);
      return typeof outcome === 'string' ? outcome : !outcome;
    }
    case 'matches':
      return matches(actual, expected, isList);
  }
}

function order(actual: unknown, expected: Value, holds: (a: number, b: number) => boolean): boolean | string {
  if (typeof actual !== 'number') return 'not a number';
  return typeof expected.value === 'number' && holds(actual, expected.value);
}

function contains(actual: unknown, expected: Value, isList: boolean): boolean | string {
  if (typeof expected.value !== 'string') return false;
  if (isList && Array.isArray(actual)) return actual.includes(expected.value);
  if (typeof actual !== 'string') return 'not a string';
  return actual.includes(expected.value);
}

function matches(actual: unknown, expected: Value, isList: boolean): boolean | string {
  const pattern = expected.value;
  if (!(pattern instanceof RegExp)) return false;
  if (isList && Array.isArray(actual))
    return actual.some((item) => typeof item === 'string' && pattern.test(item));
  if (typeof actual !== 'string') return 'not a string';
  return pattern.test(actual);
}

function formatFound(operand: Operand, value: unknown): string {
  const isDuration = operand.kind === 'duration' || operand.kind === 'certificate_expires_in';
  return isDuration && typeof value === 'number' ? formatDurationFound(value) : formatValue(value);
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(truncate(value));
  if (value === undefined) return 'nothing';
  return truncate(JSON.stringify(value) ?? String(value));
}

function truncate(text: string): string {
  if (text.length <= FOUND_MAX) return text;
  const end = /[\uD800-\uDBFF]/.test(text[FOUND_MAX - 1] ?? '') ? FOUND_MAX - 1 : FOUND_MAX;
  return `${text.slice(0, end)}…`;
}
