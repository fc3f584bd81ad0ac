import { z } from '@hono/zod-openapi';
import type { CatalogKind, CatalogRows } from '../../db/index.ts';
import {
  INTEGRATION_KINDS,
  PARTICIPANT_ROLES,
  PARTICIPANT_STAGES,
  SYSTEM_KINDS,
  TIERS,
} from '../config/index.ts';
import { redactSpec } from './redact.ts';

const idParam = z
  .string()
  .min(1)
  .max(63)
  .openapi({ param: { name: 'id', in: 'path' }, example: 'storefront-to-psp' });
export const IdParams = z.object({ id: idParam });

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

const timestamp = z.iso.datetime().openapi({ example: '2026-01-31T12:00:00.000Z' });

const entryBase = {
  id: z.string(),
  name: z.string(),
  owner: z.string().nullable(),
  retired: z.boolean().openapi({ description: 'True once the entry left the catalog; its history is kept.' }),
  retiredAt: timestamp.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
  spec: z
    .record(z.string(), z.unknown())
    .openapi({ description: 'The entry as declared (durations in milliseconds), secrets redacted.' }),
};

const listQueryBase = (maxPageSize: number, defaultPageSize: number) => ({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(maxPageSize)
    .default(defaultPageSize)
    .openapi({ description: `Page size (default ${defaultPageSize}, at most ${maxPageSize}).` }),
  offset: z.coerce.number().int().min(0).default(0).openapi({ description: 'Entries to skip.' }),
  includeRetired: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .openapi({ description: 'Include entries that left the catalog.' }),
});

const ref = (what: string) =>
  z
    .string()
    .min(1)
    .max(63)
    .optional()
    .openapi({ description: `Only entries of this ${what}.` });

/** Per kind: the item schema, its filters, and how a stored row becomes an API object. */
export const CATALOG_API = {
  participants: {
    name: 'Participant',
    item: {
      role: z.enum(PARTICIPANT_ROLES),
      country: z.string(),
      industry: z.string().nullable(),
      stage: z.enum(PARTICIPANT_STAGES),
    },
    filters: {
      role: z.enum(PARTICIPANT_ROLES).optional(),
      stage: z.enum(PARTICIPANT_STAGES).optional(),
      country: z.string().length(2).optional(),
    },
    fields: (r: CatalogRows['participants']) => ({
      role: r.role,
      country: r.country,
      industry: r.industry,
      stage: r.stage,
    }),
  },
  systems: {
    name: 'System',
    item: { participant: z.string(), kind: z.enum(SYSTEM_KINDS) },
    filters: { participant: ref('participant'), kind: z.enum(SYSTEM_KINDS).optional() },
    fields: (r: CatalogRows['systems']) => ({ participant: r.participantId, kind: r.kind }),
  },
  integrations: {
    name: 'Integration',
    item: {
      from: z.string(),
      to: z.string(),
      kind: z.enum(INTEGRATION_KINDS),
      tier: z.enum(TIERS),
      channel: z.string().nullable(),
      origin: z.enum(['file', 'api']).meta({
        description:
          'file: declared in ecosystem.yaml; api: created through the API (an adopted discovered edge).',
      }),
    },
    filters: {
      tier: z.enum(TIERS).optional(),
      kind: z.enum(INTEGRATION_KINDS).optional(),
      from: ref('source system'),
      to: ref('target system'),
      participant: ref('participant (either end)'),
      channel: ref('channel'),
    },
    fields: (r: CatalogRows['integrations']) => ({
      from: r.sourceSystemId,
      to: r.targetSystemId,
      kind: r.kind,
      tier: r.tier,
      channel: r.channel,
      origin: r.origin,
    }),
  },
  workflows: {
    name: 'Workflow',
    item: {},
    filters: {},
    fields: (_r: CatalogRows['workflows']) => ({}),
  },
  datasets: {
    name: 'Dataset',
    item: { system: z.string() },
    filters: { system: ref('system') },
    fields: (r: CatalogRows['datasets']) => ({ system: r.systemId }),
  },
} as const;

export function itemSchema(kind: CatalogKind) {
  const def = CATALOG_API[kind];
  return z.object({ ...entryBase, ...def.item }).openapi(def.name);
}

export function listSchema(kind: CatalogKind) {
  const def = CATALOG_API[kind];
  return z
    .object({ items: z.array(itemSchema(kind)), total: z.int(), limit: z.int(), offset: z.int() })
    .openapi(`${def.name}List`);
}

export function listQuerySchema(kind: CatalogKind, maxPageSize: number, defaultPageSize: number) {
  return z.object({ ...listQueryBase(maxPageSize, defaultPageSize), ...CATALOG_API[kind].filters });
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The API view of a stored row: typed fields, timestamps as ISO 8601, the spec redacted. */
export function toApiEntry<K extends CatalogKind>(kind: K, row: CatalogRows[K]) {
  const fields = (CATALOG_API[kind].fields as (r: CatalogRows[K]) => Record<string, unknown>)(row);
  return {
    id: row.id,
    name: row.name,
    owner: row.owner,
    retired: row.retiredAt !== null,
    retiredAt: iso(row.retiredAt),
    createdAt: iso(row.createdAt) as string,
    updatedAt: iso(row.updatedAt) as string,
    ...fields,
    spec: redactSpec(row.spec) as Record<string, unknown>,
  };
}
