import type { DatasetSource } from '../../../src/config/catalog-schema.ts';
import { parseJsonPath, resolveJsonPath } from '../../conditions/jsonpath.ts';
import { Scanner } from '../../conditions/scanner.ts';
import { type Aggregate, SourceError, type SourceOpener } from '../types.ts';
import { abortReason } from './abort.ts';
import { foldRows, inferColumns, type Row, sortedKeys } from './rows.ts';

type HttpJsonSource = Extract<DatasetSource, { type: 'http-json' }>;

const pathOf = (text: string) => parseJsonPath(new Scanner(text));

/** Reads the body up to `max` bytes; a longer body is an error, not a silent cut. */
async function readBounded(response: Response, max: number, what: string): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max)
    throw new SourceError(`${what}: response larger than ${max} bytes`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw new SourceError(`${what}: response larger than ${max} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * An HTTP endpoint answering JSON, fetched once per run: an array of records at `records`, and/or
 * aggregate figures the endpoint computes itself (`rowCount`, `newest`). The body is bounded by
 * `maxBody`; the URL shown in messages has no user info and no query string.
 */
export const openHttpJsonSource: SourceOpener<HttpJsonSource> = async (source, context) => {
  const url = new URL(source.url);
  const what = `http-json ${url.protocol}//${url.host}${url.pathname}`;
  let response: Response;
  try {
    response = await fetch(source.url, {
      headers: source.headers,
      signal: context.signal,
      redirect: 'follow',
    });
  } catch (error) {
    if (context.signal.aborted)
      throw new SourceError(`${what}: ${abortReason(context.signal)}`, { cause: error });
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new SourceError(`${what}: ${cause?.code ?? cause?.message ?? (error as Error).message}`, {
      cause: error,
    });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new SourceError(`${what}: HTTP ${response.status}`);
  }
  let document: unknown;
  try {
    const text = await readBounded(response, source.maxBody ?? context.maxBody, what);
    document = JSON.parse(text);
  } catch (error) {
    if (error instanceof SourceError) throw error;
    if (context.signal.aborted)
      throw new SourceError(`${what}: ${abortReason(context.signal)}`, { cause: error });
    throw new SourceError(`${what}: invalid JSON: ${(error as Error).message}`, { cause: error });
  }

  const at = (text: string) => {
    const resolved = resolveJsonPath(document, pathOf(text));
    if (!resolved.found) throw new SourceError(`${what}: nothing at ${resolved.missingAt}`);
    return resolved.value;
  };
  const records = (): Row[] => {
    if (source.records === undefined) throw new SourceError(`${what}: the source declares no records`);
    const list = at(source.records);
    if (!Array.isArray(list)) throw new SourceError(`${what}: ${source.records} is not a list`);
    list.forEach((item, i) => {
      if (item === null || typeof item !== 'object' || Array.isArray(item))
        throw new SourceError(`${what}: ${source.records}[${i}] is not an object`);
    });
    return list as Row[];
  };

  return {
    describe: () => what,
    columns: async () => inferColumns(records(), { sample: context.maxRows, json: true }),
    async aggregate(aggregates: Aggregate[]) {
      const fromRecords = aggregates.filter((a) => !(a.kind === 'count' && source.rowCount !== undefined));
      const folded =
        source.records === undefined
          ? []
          : await foldRows(records(), fromRecords, {
              maxRows: context.maxRows,
              what,
              sourceNewest: () => (source.newest === undefined ? null : at(source.newest)),
            });
      let next = 0;
      return aggregates.map((a) => {
        if (a.kind === 'count' && source.rowCount !== undefined) {
          const value = at(source.rowCount);
          if (typeof value !== 'number') throw new SourceError(`${what}: ${source.rowCount} is not a number`);
          return value;
        }
        if (source.records === undefined) {
          if (a.kind === 'newest' && source.newest !== undefined) return at(source.newest);
          throw new SourceError(`${what}: the source declares no records`);
        }
        return folded[next++];
      });
    },
    keys: (columns: string[]) => sortedKeys(records(), columns, { maxRows: context.maxRows, what }),
    async close() {},
  };
};
