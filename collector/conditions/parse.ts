import { parseDurationLiteral } from './duration.ts';
import type { JsonPath } from './jsonpath.ts';
import { parseJsonPath } from './jsonpath.ts';
import { Scanner } from './scanner.ts';
import type { Comparator, Condition, LengthTarget, Operand, Value } from './types.ts';
import { COMPARATORS } from './types.ts';

const OPERANDS =
  'status, duration, body, body.<jsonpath>, len(body), len(body.<jsonpath>), len(answers), certificate_expires_in, connected, answers';
const ORDERED: readonly Comparator[] = ['==', '!=', '<', '<=', '>', '>='];
const EQUALITY: readonly Comparator[] = ['==', '!='];
const TEXT_ONLY: readonly Comparator[] = ['contains', '!contains', 'matches'];
const TEXT: readonly Comparator[] = ['==', '!=', ...TEXT_ONLY];
const NUMBER = /^-?\d+(?:\.\d+)?$/;

interface Literal {
  raw: string;
  column: number;
  value: Value | undefined;
}

interface Expectation {
  accepts: (value: Value) => boolean;
  message: string;
}

/**
 * Parses and type-checks one condition, compiling its regex if any.
 *
 * @throws {ConditionError} with the 1-based column of the first problem.
 * @example
 * parseCondition('body.$.status == "ok"')
 * parseCondition('status => 200') // throws 'column 8: expected a comparator (…), found "=>"'
 */
export function parseCondition(text: string): Condition {
  const scanner = new Scanner(text);
  scanner.skipSpace();
  const operandStart = scanner.pos;
  const operand = parseOperand(scanner);
  const operandText = text.slice(operandStart, scanner.pos);
  scanner.skipSpace();
  const comparatorColumn = scanner.column;
  const comparator = parseComparator(scanner);
  checkComparator(scanner, operand, operandText, comparator, comparatorColumn);
  scanner.skipSpace();
  const literal = parseLiteral(scanner);
  const { value } = literal;
  const expectation = expectationFor(operand, operandText, comparator);
  if (!value || !expectation.accepts(value)) {
    return scanner.fail(`${expectation.message}, found ${describe(literal)}`, literal.column);
  }
  scanner.skipSpace();
  if (!scanner.atEnd()) {
    scanner.fail(`unexpected ${scanner.describeUpcoming()} after the value (one condition per string)`);
  }
  return { text: `${operandText} ${comparator} ${literal.raw}`, operand, comparator, value };
}

function parseOperand(scanner: Scanner): Operand {
  const column = scanner.column;
  const name = scanner.readIdentifier();
  switch (name) {
    case 'status':
    case 'duration':
    case 'certificate_expires_in':
    case 'connected':
    case 'answers':
      return { kind: name };
    case 'body':
      return parseBody(scanner);
    case 'len':
      return { kind: 'len', of: parseLength(scanner) };
    case '':
      return scanner.fail(`expected an operand (one of ${OPERANDS}), found ${scanner.describeUpcoming()}`);
    default:
      return scanner.fail(`unknown operand ${JSON.stringify(name)} (expected one of ${OPERANDS})`, column);
  }
}

function parseBody(scanner: Scanner): { kind: 'body' } | { kind: 'json'; path: JsonPath } {
  if (scanner.peek() !== '.') return { kind: 'body' };
  scanner.pos++;
  return { kind: 'json', path: parseJsonPath(scanner) };
}

function parseLength(scanner: Scanner): LengthTarget {
  if (scanner.peek() !== '(')
    scanner.fail(`expected "(" after len, as in len(body), found ${scanner.describeUpcoming()}`);
  scanner.pos++;
  scanner.skipSpace();
  const column = scanner.column;
  const name = scanner.readIdentifier();
  let target: LengthTarget;
  if (name === 'body') target = parseBody(scanner);
  else if (name === 'answers') target = { kind: 'answers' };
  else {
    const found = name ? JSON.stringify(name) : scanner.describeUpcoming();
    return scanner.fail(`len takes body, body.<jsonpath> or answers, found ${found}`, column);
  }
  scanner.skipSpace();
  if (scanner.peek() !== ')') scanner.fail(`expected ")" to close len(, found ${scanner.describeUpcoming()}`);
  scanner.pos++;
  return target;
}

function parseComparator(scanner: Scanner): Comparator {
  const column = scanner.column;
  let found = scanner.readWhile(/[=!<>]/);
  if (found === '' || found === '!') found += scanner.readIdentifier();
  const comparator = COMPARATORS.find((candidate) => candidate === found);
  if (comparator) return comparator;
  scanner.pos = column - 1;
  const shown = found ? JSON.stringify(found) : scanner.describeUpcoming();
  return scanner.fail(`expected a comparator (${COMPARATORS.join(', ')}), found ${shown}`);
}

function checkComparator(
  scanner: Scanner,
  operand: Operand,
  name: string,
  comparator: Comparator,
  column: number,
): void {
  const allowed = comparatorsFor(operand);
  if (allowed.includes(comparator)) return;
  if (TEXT_ONLY.includes(comparator)) {
    scanner.fail(`${comparator} works on body, body.<jsonpath> and answers, not on ${name}`, column);
  }
  scanner.fail(`${name} is compared with ${listOr(allowed)}, not ${comparator}`, column);
}

function comparatorsFor(operand: Operand): readonly Comparator[] {
  switch (operand.kind) {
    case 'status':
    case 'duration':
    case 'certificate_expires_in':
    case 'len':
      return ORDERED;
    case 'connected':
      return EQUALITY;
    case 'body':
      return TEXT;
    case 'answers':
      return TEXT_ONLY;
    case 'json':
      return COMPARATORS;
  }
}

function parseLiteral(scanner: Scanner): Literal {
  const start = scanner.pos;
  const column = scanner.column;
  const ch = scanner.peek();
  if (ch === '"') {
    const value = scanner.readQuoted();
    return { raw: scanner.text.slice(start, scanner.pos), column, value: { kind: 'string', value } };
  }
  if (ch === '/') {
    const value = scanner.readRegex();
    return { raw: scanner.text.slice(start, scanner.pos), column, value: { kind: 'regex', value } };
  }
  if (ch === "'") scanner.fail('strings are written in double quotes, as in "ok"');
  const raw = scanner.readWhile(/\S/);
  return { raw, column, value: classify(raw) };
}

function classify(raw: string): Value | undefined {
  if (raw === 'true' || raw === 'false') return { kind: 'boolean', value: raw === 'true' };
  if (raw === 'null') return { kind: 'null', value: null };
  if (NUMBER.test(raw)) return { kind: 'number', value: Number(raw) };
  const ms = parseDurationLiteral(raw);
  return ms === undefined ? undefined : { kind: 'duration', value: ms };
}

function expectationFor(operand: Operand, name: string, comparator: Comparator): Expectation {
  if (comparator === 'matches')
    return { accepts: is('regex'), message: 'matches takes a regex literal such as /^ok$/i' };
  if (comparator === 'contains' || comparator === '!contains') {
    return { accepts: is('string'), message: `${comparator} takes a quoted string such as "ok"` };
  }
  switch (operand.kind) {
    case 'status':
      return { accepts: isInteger, message: 'status is compared with an integer such as 200' };
    case 'len':
      return { accepts: isInteger, message: `${name} is compared with an integer such as 3` };
    case 'duration':
      return { accepts: is('duration'), message: 'duration is compared with a duration such as 500ms' };
    case 'certificate_expires_in':
      return {
        accepts: is('duration'),
        message: 'certificate_expires_in is compared with a duration such as 14d',
      };
    case 'connected':
      return { accepts: is('boolean'), message: 'connected is compared with true or false' };
    case 'body':
    case 'answers':
      return { accepts: is('string'), message: `${name} is compared with a quoted string such as "ok"` };
    case 'json':
      if (!EQUALITY.includes(comparator))
        return { accepts: is('number'), message: `${comparator} takes a number such as 10` };
      return {
        accepts: is('number', 'string', 'boolean', 'null'),
        message: `${comparator} takes a number, a quoted string, true, false or null`,
      };
  }
}

function is(...kinds: Value['kind'][]): (value: Value) => boolean {
  return (value) => kinds.includes(value.kind);
}

function isInteger(value: Value): boolean {
  return value.kind === 'number' && Number.isInteger(value.value);
}

function describe(literal: Literal): string {
  if (literal.raw === '') return 'the end of the condition';
  if (literal.value?.kind === 'string') return `the string ${literal.raw}`;
  if (literal.value?.kind === 'regex') return `the regex ${literal.raw}`;
  return JSON.stringify(literal.raw);
}

function listOr(items: readonly string[]): string {
  return items.length === 1 ? (items[0] as string) : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}
