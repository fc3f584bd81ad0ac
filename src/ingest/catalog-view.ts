import type { Store } from '../../db/index.ts';
import type { MatchRule, WorkflowStep } from '../config/index.ts';

/** What trace and event ingest read from the catalog, rebuilt only when the catalog changes. */
export interface IngestCatalog {
  revision: number;
  integrations: { id: string; from: string; to: string; match: MatchRule[] }[];
  systems: { id: string; services: string[] }[];
  workflows: { id: string; steps: WorkflowStep[]; timeoutMs: number }[];
  participantIds: ReadonlySet<string>;
  /** Integration id → its channel, for events that name an integration but no channel. */
  integrationChannels: ReadonlyMap<string, string | undefined>;
}

export interface CatalogView {
  /** The last catalog read (empty before the first refresh). */
  current(): IngestCatalog;
  /** Re-reads the catalog if its revision moved; checks the revision at most once per `checkEveryMs`. */
  refresh(options?: { force?: boolean }): Promise<IngestCatalog>;
}

const ALL = 1_000_000_000;
const EMPTY: IngestCatalog = {
  revision: -1,
  integrations: [],
  systems: [],
  workflows: [],
  participantIds: new Set(),
  integrationChannels: new Map(),
};

async function readCatalog(store: Store, revision: number): Promise<IngestCatalog> {
  const [integrations, systems, workflows, participants] = await Promise.all([
    store.list('integrations', { limit: ALL }),
    store.list('systems', { limit: ALL }),
    store.list('workflows', { limit: ALL }),
    store.list('participants', { limit: ALL }),
  ]);
  return {
    revision,
    integrations: integrations.items.map((row) => ({
      id: row.id,
      from: row.sourceSystemId,
      to: row.targetSystemId,
      match: ((row.spec as { match?: MatchRule[] }).match ?? []) as MatchRule[],
    })),
    systems: systems.items.map((row) => ({
      id: row.id,
      services: (row.spec as { services?: string[] }).services ?? [row.id],
    })),
    workflows: workflows.items.map((row) => {
      const spec = row.spec as { steps?: WorkflowStep[]; timeout?: number };
      return { id: row.id, steps: spec.steps ?? [], timeoutMs: spec.timeout ?? 3_600_000 };
    }),
    participantIds: new Set(participants.items.map((p) => p.id)),
    integrationChannels: new Map(integrations.items.map((row) => [row.id, row.channel ?? undefined])),
  };
}

/**
 * The catalog as ingest sees it: active (not retired) entries only, read from the store so entries
 * created through the API (adopted edges) count like those from the file.
 */
export function createCatalogView(store: Store, options: { checkEveryMs?: number } = {}): CatalogView {
  const checkEvery = options.checkEveryMs ?? 1_000;
  let catalog = EMPTY;
  let checkedAt = Number.NEGATIVE_INFINITY;
  let inflight: Promise<IngestCatalog> | undefined;

  async function load(force: boolean): Promise<IngestCatalog> {
    const revision = await store.catalogRevision();
    checkedAt = performance.now();
    if (force || revision !== catalog.revision) catalog = await readCatalog(store, revision);
    return catalog;
  }

  return {
    current: () => catalog,
    refresh({ force = false } = {}) {
      if (!force && performance.now() - checkedAt < checkEvery) return Promise.resolve(catalog);
      inflight ??= load(force).finally(() => {
        inflight = undefined;
      });
      return inflight;
    },
  };
}
