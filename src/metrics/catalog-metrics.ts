import type { Attributes } from '@opentelemetry/api';
import type { IntegrationLabels, Store } from '../../db/index.ts';
import { PARTICIPANT_ROLES, PARTICIPANT_STAGES, TIERS } from '../config/index.ts';
import type { GaugeSample, SnapshotGauges } from '../telemetry/index.ts';

/**
 * The side of an integration that is not the company itself: the target's participant unless
 * that is the orchestrator or an internal team and the source's is not.
 */
export function counterpartParticipant(labels: IntegrationLabels): string {
  const ours = (role: string) => role === 'orchestrator' || role === 'internal';
  if (ours(labels.targetRole) && !ours(labels.sourceRole)) return labels.sourceParticipant;
  return labels.targetParticipant;
}

function infoAttributes(labels: IntegrationLabels): Attributes {
  return {
    integration: labels.integration,
    tier: labels.tier,
    kind: labels.kind,
    source_system: labels.sourceSystem,
    target_system: labels.targetSystem,
    participant: counterpartParticipant(labels),
  };
}

/**
 * Catalog gauges, read from the store at each scrape so `apply` and API changes show at once and
 * retired entries disappear. Every role/stage and tier combination is exported, zeros included,
 * so dashboards have no gaps.
 */
export function registerCatalogMetrics(gauges: SnapshotGauges, store: Store): void {
  gauges.register(
    [
      {
        name: 'ecotone_participants',
        description: 'Participants in the catalog, by role and lifecycle stage.',
      },
      { name: 'ecotone_systems', description: 'Systems (applications and data sources) in the catalog.' },
      { name: 'ecotone_integrations', description: 'Integrations in the catalog, by criticality tier.' },
      {
        name: 'ecotone_participant_countries',
        description: 'Distinct countries of the participants in the catalog.',
      },
    ],
    async () => {
      const stats = await store.catalogStats();
      const byRoleStage = new Map(stats.participants.map((p) => [`${p.role}/${p.stage}`, p.count]));
      const byTier = new Map(stats.integrations.map((i) => [i.tier, i.count]));
      return {
        ecotone_participants: PARTICIPANT_ROLES.flatMap((role) =>
          PARTICIPANT_STAGES.map((stage) => ({
            attributes: { role, stage },
            value: byRoleStage.get(`${role}/${stage}`) ?? 0,
          })),
        ),
        ecotone_systems: [{ attributes: {}, value: stats.systems }],
        ecotone_integrations: TIERS.map((tier) => ({ attributes: { tier }, value: byTier.get(tier) ?? 0 })),
        ecotone_participant_countries: [{ attributes: {}, value: stats.countries }],
      };
    },
  );

  // The labels change only with the catalog: read them again only when its revision moves.
  let cache: { revision: number; samples: GaugeSample[] } | undefined;
  gauges.register(
    [
      {
        name: 'ecotone_integration_info',
        description:
          'Always 1 for each integration in the catalog; its labels (tier, kind, systems, counterpart participant) are for joins.',
      },
    ],
    async () => {
      const revision = await store.catalogRevision();
      if (cache?.revision !== revision) {
        const labels = await store.integrationLabels();
        cache = { revision, samples: labels.map((l) => ({ attributes: infoAttributes(l), value: 1 })) };
      }
      return { ecotone_integration_info: cache.samples };
    },
  );
}
