/** A CSV text that does not follow RFC 4180, with the line where it went wrong. */
export class CsvSyntaxError extends Error {
  readonly line: number;
  constructor(message: string, line: number) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvSyntaxError';
    this.line = line;
  }
}

/** One parsed record and the line it started on (1-based). */
export interface CsvRecord {
  fields: string[];
  line: number;
}

/**
 * An incremental RFC 4180 parser: feed it chunks as they arrive, take the complete records.
 * Quoted fields may hold the delimiter, `""` and line breaks; CRLF and LF both end a record.
 * A quote inside an unquoted field, text after a closing quote, or an unterminated quote is an
 * error naming the line. A record longer than `maxRecordLength` characters is an error too.
 */
export class CsvParser {
  private readonly delimiter: string;
  private readonly maxRecordLength: number;
  private field = '';
  private fields: string[] = [];
  private quoted = false;
  private inQuotes = false;
  private afterQuote = false;
  private pendingCr = false;
  private line = 1;
  private recordLine = 1;
  private recordLength = 0;
  private started = false;

  constructor(options: { delimiter?: string; maxRecordLength?: number } = {}) {
    this.delimiter = options.delimiter ?? ',';
    this.maxRecordLength = options.maxRecordLength ?? 1_048_576;
  }

  push(chunk: string): CsvRecord[] {
    const out: (CsvRecord & { quoted: boolean })[] = [];
    let text = chunk;
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    for (let i = 0; i < text.length; i++) {
      const ch = text[i] as string;
      if (this.pendingCr) {
        this.pendingCr = false;
        if (ch === '\n') continue;
      }
      if (++this.recordLength > this.maxRecordLength)
        throw new CsvSyntaxError(`record longer than ${this.maxRecordLength} characters`, this.recordLine);
      if (this.inQuotes) {
        if (ch === '"') {
          if (text[i + 1] === '"') {
            this.field += '"';
            i++;
          } else if (i + 1 === text.length) {
            // The next chunk decides whether this quote is escaped; look again when it comes.
            this.inQuotes = false;
            this.afterQuote = true;
            this.escapePending = true;
          } else {
            this.inQuotes = false;
            this.afterQuote = true;
          }
        } else {
          if (ch === '\n') this.line++;
          else if (ch === '\r' && text[i + 1] !== '\n') this.line++;
          this.field += ch;
        }
        continue;
      }
      if (this.escapePending) {
        this.escapePending = false;
        if (ch === '"') {
          this.field += '"';
          this.inQuotes = true;
          this.afterQuote = false;
          continue;
        }
      }
      if (ch === this.delimiter) {
        this.endField();
      } else if (ch === '\n' || ch === '\r') {
        if (ch === '\r') this.pendingCr = true;
        out.push(this.endRecord());
        this.line++;
      } else if (ch === '"') {
        if (this.field !== '' || this.afterQuote)
          throw new CsvSyntaxError(
            'unexpected quote inside a field (quote the whole field and double the quote)',
            this.line,
          );
        this.inQuotes = true;
        this.quoted = true;
      } else {
        if (this.afterQuote)
          throw new CsvSyntaxError(`unexpected ${JSON.stringify(ch)} after a closing quote`, this.line);
        this.field += ch;
      }
    }
    return out
      .filter((r) => !(r.fields.length === 1 && r.fields[0] === '' && !r.quoted))
      .map(({ fields, line }) => ({ fields, line }));
  }

  private escapePending = false;

  /** Ends the input: the last record, if the text did not end with a line break. */
  end(): CsvRecord[] {
    if (this.inQuotes) throw new CsvSyntaxError('unterminated quoted field', this.recordLine);
    if (this.field === '' && this.fields.length === 0 && !this.quoted) return [];
    const { fields, line } = this.endRecord();
    return [{ fields, line }];
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = '';
    this.afterQuote = false;
  }

  private endRecord(): CsvRecord & { quoted: boolean } {
    this.endField();
    const record = { fields: this.fields, line: this.recordLine, quoted: this.quoted };
    this.fields = [];
    this.quoted = false;
    this.recordLength = 0;
    this.recordLine = this.line + 1;
    return record;
  }
}
