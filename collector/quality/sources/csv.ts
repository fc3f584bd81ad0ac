import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve } from 'node:path';
import type { DatasetSource } from '../../../src/config/catalog-schema.ts';
import { type Aggregate, type SourceContext, SourceError, type SourceOpener } from '../types.ts';
import { abortReason } from './abort.ts';
import { CsvParser, CsvSyntaxError } from './csv-parse.ts';
import { foldRows, inferColumns, type Row, sortedKeys } from './rows.ts';

type CsvSource = Extract<DatasetSource, { type: 'csv' }>;

/** Rows read to infer column types (a CSV declares none). */
const TYPE_SAMPLE_ROWS = 1_000;
const DEFAULT_PATTERN = /\.csv$/i;

/** The file to read: the one named, or the newest drop in the folder by mtime or by name. */
async function pickFile(source: CsvSource, baseDir: string): Promise<{ file: string; mtimeMs: number }> {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  if (source.path !== undefined) {
    const file = abs(source.path);
    try {
      return { file, mtimeMs: (await stat(file)).mtimeMs };
    } catch (error) {
      throw new SourceError(`csv ${source.path}: ${describeFsError(error)}`, { cause: error });
    }
  }
  const folder = abs(source.folder as string);
  const pattern = source.pattern === undefined ? DEFAULT_PATTERN : new RegExp(source.pattern);
  let names: string[];
  try {
    names = (await readdir(folder, { withFileTypes: true }))
      .filter((e) => e.isFile() && pattern.test(e.name))
      .map((e) => e.name);
  } catch (error) {
    throw new SourceError(`csv folder ${source.folder}: ${describeFsError(error)}`, { cause: error });
  }
  if (names.length === 0)
    throw new SourceError(
      `csv folder ${source.folder}: no file matches ${source.pattern ?? 'names ending in .csv'}`,
    );
  const files = await Promise.all(
    names.map(async (name) => ({
      file: join(folder, name),
      mtimeMs: (await stat(join(folder, name))).mtimeMs,
    })),
  );
  files.sort((a, b) =>
    source.newest === 'name'
      ? basename(a.file) < basename(b.file)
        ? -1
        : 1
      : a.mtimeMs - b.mtimeMs || (a.file < b.file ? -1 : 1),
  );
  return files[files.length - 1] as { file: string; mtimeMs: number };
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'not found';
  if (code === 'EACCES') return 'permission denied';
  return (error as Error).message;
}

/** Streams a CSV file's records as rows keyed by the header; a malformed record throws with its line. */
async function* readRows(
  file: string,
  what: string,
  delimiter: string,
  signal: AbortSignal,
): AsyncIterable<Row> {
  const parser = new CsvParser({ delimiter });
  let header: string[] | undefined;
  const toRow = (fields: string[], line: number): Row | undefined => {
    if (!header) {
      header = fields.map((f) => f.trim());
      return undefined;
    }
    if (fields.length !== header.length)
      throw new SourceError(
        `${what}: line ${line}: expected ${header.length} fields, found ${fields.length}`,
      );
    const row: Row = {};
    header.forEach((name, i) => {
      row[name] = fields[i];
    });
    return row;
  };
  const stream = createReadStream(file, { encoding: 'utf8', signal, highWaterMark: 256 * 1024 });
  try {
    for await (const chunk of stream) {
      for (const record of parser.push(chunk as string)) {
        const row = toRow(record.fields, record.line);
        if (row) yield row;
      }
    }
    for (const record of parser.end()) {
      const row = toRow(record.fields, record.line);
      if (row) yield row;
    }
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new SourceError(`${what}: ${error.message}`, { cause: error });
    if (signal.aborted) throw new SourceError(`${what}: ${abortReason(signal)}`, { cause: error });
    if (error instanceof SourceError) throw error;
    throw new SourceError(`${what}: ${describeFsError(error)}`, { cause: error });
  } finally {
    stream.destroy();
  }
}

/**
 * A CSV file with a header row, or the newest drop in a folder: the legacy "scheduled file
 * transfer". Each read streams the file again, so memory holds one chunk (and, for duplicates and
 * key sets, the keys), never the file. Without a column, freshness is the file's modification time.
 */
export const openCsvSource: SourceOpener<CsvSource> = async (source, context: SourceContext) => {
  const { file, mtimeMs } = await pickFile(source, context.baseDir);
  const what = `csv ${source.path ?? join(source.folder as string, basename(file))}`;
  const rows = () => readRows(file, what, source.delimiter, context.signal);
  return {
    describe: () => what,
    async columns() {
      const parser = new CsvParser({ delimiter: source.delimiter });
      let header: string[] = [];
      for await (const chunk of createReadStream(file, {
        encoding: 'utf8',
        signal: context.signal,
        end: 1_048_575,
      })) {
        const records = parser.push(chunk as string);
        if (records.length > 0) {
          header = (records[0]?.fields ?? []).map((f) => f.trim());
          break;
        }
      }
      return inferColumns(rows(), { sample: TYPE_SAMPLE_ROWS, header });
    },
    aggregate: (aggregates: Aggregate[]) =>
      foldRows(rows(), aggregates, { maxRows: context.maxRows, what, sourceNewest: () => new Date(mtimeMs) }),
    keys: (columns: string[]) => sortedKeys(rows(), columns, { maxRows: context.maxRows, what }),
    async close() {},
  };
};
