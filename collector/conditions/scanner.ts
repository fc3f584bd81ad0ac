import { ConditionError } from './errors.ts';

const IDENTIFIER_START = /[A-Za-z_]/;
const IDENTIFIER_PART = /[A-Za-z0-9_]/;
const SPACE = /\s/;
const REGEX_FLAGS = 'dimsuv';
const UPCOMING_MAX = 30;

/**
 * The lexer: a cursor over one condition's text that reads identifiers, quoted strings and regex
 * literals. Every error it raises is a {@link ConditionError} carrying a 1-based column.
 */
export class Scanner {
  readonly text: string;
  pos = 0;

  constructor(text: string) {
    this.text = text;
  }

  get column(): number {
    return this.pos + 1;
  }

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  peek(offset = 0): string {
    return this.text[this.pos + offset] ?? '';
  }

  skipSpace(): void {
    while (!this.atEnd() && SPACE.test(this.peek())) this.pos++;
  }

  readWhile(pattern: RegExp): string {
    const start = this.pos;
    while (!this.atEnd() && pattern.test(this.peek())) this.pos++;
    return this.text.slice(start, this.pos);
  }

  readIdentifier(): string {
    return IDENTIFIER_START.test(this.peek()) ? this.readWhile(IDENTIFIER_PART) : '';
  }

  /** The run of non-space text at the cursor, for messages; the cursor does not move. */
  upcoming(): string {
    const match = /^\S+/.exec(this.text.slice(this.pos));
    const run = match ? match[0] : '';
    return run.length > UPCOMING_MAX ? `${run.slice(0, UPCOMING_MAX)}…` : run;
  }

  describeUpcoming(): string {
    if (this.atEnd()) return 'the end of the condition';
    const run = this.upcoming();
    return run === '' ? 'a space' : JSON.stringify(run);
  }

  fail(reason: string, column = this.column): never {
    throw new ConditionError(reason, column);
  }

  /** Reads a string quoted with the character at the cursor; only the quote and `\` are escaped. */
  readQuoted(): string {
    const column = this.column;
    const quote = this.peek();
    this.pos++;
    let out = '';
    for (;;) {
      const ch = this.peek();
      if (ch === '') this.fail(`unterminated string (missing closing ${quote})`, column);
      this.pos++;
      if (ch === quote) return out;
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const escaped = this.peek();
      if (escaped === '') this.fail(`unterminated string (missing closing ${quote})`, column);
      if (escaped !== quote && escaped !== '\\') {
        this.fail(`unknown escape "\\${escaped}" in a string (only \\${quote} and \\\\)`, this.column - 1);
      }
      out += escaped;
      this.pos++;
    }
  }

  /** Reads `/source/flags` and compiles it; `g` and `y` are refused since they make tests stateful. */
  readRegex(): RegExp {
    const start = this.pos;
    const column = this.column;
    this.pos++;
    let inClass = false;
    for (;;) {
      const ch = this.peek();
      if (ch === '' || (ch === '\\' && this.peek(1) === '')) {
        this.fail('unterminated regex (missing closing /)', column);
      }
      this.pos += ch === '\\' ? 2 : 1;
      if (ch === '[') inClass = true;
      else if (ch === ']') inClass = false;
      else if (ch === '/' && !inClass) break;
    }
    const source = this.text.slice(start + 1, this.pos - 1);
    const flagsColumn = this.column;
    const flags = this.readWhile(/[A-Za-z]/);
    if (source === '') this.fail('empty regex //', column);
    for (const [i, flag] of [...flags].entries()) {
      if (flag === 'g' || flag === 'y') {
        this.fail(`regex flag "${flag}" is not allowed (a condition tests once)`, flagsColumn + i);
      }
      if (!REGEX_FLAGS.includes(flag)) {
        this.fail(`unknown regex flag "${flag}" (allowed: ${[...REGEX_FLAGS].join(', ')})`, flagsColumn + i);
      }
    }
    try {
      return new RegExp(source, flags);
    } catch (error) {
      const detail =
        error instanceof Error ? error.message.replace(/^Invalid regular expression: \/.*\/\w*: /, '') : '';
      return this.fail(`invalid regex /${source}/${flags}: ${detail}`, column);
    }
  }
}
