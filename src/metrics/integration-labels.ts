import type { Attributes } from '@opentelemetry/api';
import type { IntegrationLabels, Store } from '../../db/index.ts';

/**
 * The side of an integration that is not the company itself: the target's participant unless
 * that is the orchestrator or an internal team and the source's is not.
 */
export function counterpartParticipant(labels: IntegrationLabels): string {
  const ours = (role: string) => role === 'orchestrator' || role === 'internal';
  if (ours(labels.targetRole) && !ours(labels.sourceRole)) return labels.sourceParticipant;
  return labels.targetParticipant;
}

export interface IntegrationLabelSets {
  /** Labels of ecotone_integration_info, in integration id order. */
  info: Attributes[];
  /** `{integration, tier, participant}` per integration id: the labels every per-integration metric carries. */
  byId: Map<string, Attributes>;
}

/**
 * Label sets of the integrations in the catalog, read again only when the catalog's revision
 * moves. Per-integration metrics take their labels from here, so an integration that leaves the
 * catalog leaves every metric at the next scrape.
 */
export function createIntegrationLabelCache(store: Store) {
  let cache: { revision: number; sets: IntegrationLabelSets } | undefined;
  return async (): Promise<IntegrationLabelSets> => {
    const revision = await store.catalogRevision();
    if (cache?.revision === revision) return cache.sets;
    const info: Attributes[] = [];
    const byId = new Map<string, Attributes>();
    for (const labels of await store.integrationLabels()) {
      const participant = counterpartParticipant(labels);
      info.push({
        integration: labels.integration,
        tier: labels.tier,
        kind: labels.kind,
        source_system: labels.sourceSystem,
        target_system: labels.targetSystem,
        participant,
      });
      byId.set(labels.integration, { integration: labels.integration, tier: labels.tier, participant });
    }
    cache = { revision, sets: { info, byId } };
    return cache.sets;
  };
}

export type IntegrationLabelCache = ReturnType<typeof createIntegrationLabelCache>;
