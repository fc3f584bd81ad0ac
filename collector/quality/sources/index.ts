import type { DatasetSource } from '../../../src/config/catalog-schema.ts';
import type { SourceContext, SourceOpener, SourceReader } from '../types.ts';
import { openCsvSource } from './csv.ts';
import { openHttpJsonSource } from './http-json.ts';
import { openPostgresSource } from './postgres.ts';
import { openSqliteSource } from './sqlite.ts';

/** One opener per source kind; the runner looks the source's `type` up here. */
export const SOURCES: { [K in DatasetSource['type']]: SourceOpener<Extract<DatasetSource, { type: K }>> } = {
  sqlite: openSqliteSource,
  postgres: openPostgresSource,
  'http-json': openHttpJsonSource,
  csv: openCsvSource,
};

/** Opens a dataset's source for one run. */
export function openSource(source: DatasetSource, context: SourceContext): Promise<SourceReader> {
  return (SOURCES[source.type] as SourceOpener)(source, context);
}
