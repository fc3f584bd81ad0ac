import { and, eq, inArray, isNull, or, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import * as schema from '../schema.ts';
import type { CatalogFilters, CatalogKind } from '../store.ts';
import type { SqliteDb } from './open.ts';

type CatalogTable =
  | typeof schema.participants
  | typeof schema.systems
  | typeof schema.integrations
  | typeof schema.workflows
  | typeof schema.datasets;

export const CATALOG_TABLES: Record<CatalogKind, CatalogTable> = {
  participants: schema.participants,
  systems: schema.systems,
  integrations: schema.integrations,
  workflows: schema.workflows,
  datasets: schema.datasets,
};

const eqIf = (column: SQLiteColumn, value: string | undefined) =>
  value === undefined ? undefined : eq(column, value);

/** Builds the WHERE clause for one kind's list filters. */
export function filterConditions<K extends CatalogKind>(
  db: SqliteDb,
  kind: K,
  filter: CatalogFilters[K] | undefined,
  includeRetired: boolean,
): SQL | undefined {
  const table = CATALOG_TABLES[kind];
  const conditions: (SQL | undefined)[] = [includeRetired ? undefined : isNull(table.retiredAt)];
  const f = (filter ?? {}) as Record<string, string | undefined>;
  switch (kind) {
    case 'participants': {
      const t = schema.participants;
      conditions.push(eqIf(t.role, f.role), eqIf(t.stage, f.stage), eqIf(t.country, f.country));
      break;
    }
    case 'systems': {
      const t = schema.systems;
      conditions.push(eqIf(t.participantId, f.participant), eqIf(t.kind, f.kind));
      break;
    }
    case 'integrations': {
      const t = schema.integrations;
      conditions.push(
        eqIf(t.tier, f.tier),
        eqIf(t.kind, f.kind),
        eqIf(t.sourceSystemId, f.from),
        eqIf(t.targetSystemId, f.to),
        eqIf(t.channel, f.channel),
      );
      if (f.participant !== undefined) {
        const owned = db
          .select({ id: schema.systems.id })
          .from(schema.systems)
          .where(eq(schema.systems.participantId, f.participant));
        conditions.push(or(inArray(t.sourceSystemId, owned), inArray(t.targetSystemId, owned)));
      }
      break;
    }
    case 'datasets':
      conditions.push(eqIf(schema.datasets.systemId, f.system));
      break;
    case 'workflows':
      break;
  }
  return and(...conditions);
}
