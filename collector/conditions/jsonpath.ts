import type { Scanner } from './scanner.ts';

/** A parsed JSONPath: member names and array indexes, applied in order from the root `$`. */
export type JsonPath = readonly (string | number)[];

/** Where a path leads in a document: its value, or the shortest prefix of the path with no value. */
export type Resolved = { found: true; value: unknown } | { found: false; missingAt: string };

const SUPPORTED = "supported: $, .name, ['name'], [index]";
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SNIPPET_MAX = 40;

/**
 * Parses the JSONPath subset at the cursor, which must be on `$`: `.name`, `['name']` (or double
 * quotes) and `[index]`. Wildcards, filters, slices, unions, negative indexes and recursive descent
 * are refused with an error naming the part.
 */
export function parseJsonPath(scanner: Scanner): JsonPath {
  if (scanner.peek() !== '$') {
    scanner.fail(
      `expected "$" to start a JSONPath such as body.$.status, found ${scanner.describeUpcoming()}`,
    );
  }
  scanner.pos++;
  const path: (string | number)[] = [];
  for (;;) {
    const ch = scanner.peek();
    if (ch === '.') path.push(parseMember(scanner));
    else if (ch === '[') path.push(parseBracket(scanner));
    else return path;
  }
}

function parseMember(scanner: Scanner): string {
  const next = scanner.peek(1);
  if (next === '.') unsupported(scanner, 'recursive descent', '..');
  if (next === '*') unsupported(scanner, 'wildcard', '.*');
  scanner.pos++;
  const name = scanner.readIdentifier();
  if (name === '') {
    scanner.fail(
      `expected a name after "." in the JSONPath, found ${scanner.describeUpcoming()} (use ['name'] for other keys)`,
    );
  }
  return name;
}

function parseBracket(scanner: Scanner): string | number {
  const inner = scanner.peek(1);
  if (inner === "'" || inner === '"') {
    const start = scanner.pos;
    scanner.pos++;
    const name = scanner.readQuoted();
    closeBracket(scanner, start);
    return name;
  }
  if (/\d/.test(inner)) {
    const start = scanner.pos;
    scanner.pos++;
    const index = Number(scanner.readWhile(/\d/));
    closeBracket(scanner, start);
    return index;
  }
  const kinds: Record<string, string> = {
    '*': 'wildcard',
    '?': 'filter',
    '(': 'script expression',
    '-': 'negative index',
    ':': 'slice',
  };
  return unsupported(scanner, kinds[inner] ?? 'selector', bracketText(scanner.text, scanner.pos));
}

function closeBracket(scanner: Scanner, start: number): void {
  const ch = scanner.peek();
  if (ch === ']') {
    scanner.pos++;
    return;
  }
  scanner.pos = ch === ':' || ch === ',' ? start : scanner.pos;
  if (ch === ':') unsupported(scanner, 'slice', bracketText(scanner.text, start));
  if (ch === ',') unsupported(scanner, 'union', bracketText(scanner.text, start));
  scanner.fail(`expected "]" to close the JSONPath selector, found ${scanner.describeUpcoming()}`);
}

function unsupported(scanner: Scanner, kind: string, part: string): never {
  return scanner.fail(`unsupported JSONPath ${kind} ${JSON.stringify(part)} (${SUPPORTED})`);
}

function bracketText(text: string, start: number): string {
  let depth = 0;
  let end = text.length;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '[') depth++;
    else if (text[i] === ']' && --depth === 0) {
      end = i + 1;
      break;
    }
  }
  const part = text.slice(start, end);
  return part.length > SNIPPET_MAX ? `${part.slice(0, SNIPPET_MAX)}…` : part;
}

/** Writes a path back in its shortest form, e.g. `$.data.items[0]['key with space']`. */
export function formatJsonPath(path: JsonPath): string {
  let out = '$';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (NAME.test(segment)) out += `.${segment}`;
    else out += `['${segment.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}']`;
  }
  return out;
}

/** Follows a path through a parsed JSON document; names select object members, indexes array items. */
export function resolveJsonPath(document: unknown, path: JsonPath): Resolved {
  let current = document;
  for (const [i, segment] of path.entries()) {
    const next = typeof segment === 'number' ? item(current, segment) : member(current, segment);
    if (next === ABSENT) return { found: false, missingAt: formatJsonPath(path.slice(0, i + 1)) };
    current = next;
  }
  return { found: true, value: current };
}

const ABSENT = Symbol('absent');

function item(value: unknown, index: number): unknown {
  return Array.isArray(value) && index < value.length ? value[index] : ABSENT;
}

function member(value: unknown, name: string): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, name)) {
    return ABSENT;
  }
  return (value as Record<string, unknown>)[name];
}
