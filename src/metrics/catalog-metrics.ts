import type { Store } from '../../db/index.ts';
import { PARTICIPANT_ROLES, PARTICIPANT_STAGES, TIERS } from '../config/index.ts';
import type { SnapshotGauges } from '../telemetry/index.ts';
import type { IntegrationLabelCache } from './integration-labels.ts';

/**
 * Catalog gauges, read from the store at each scrape so `apply` and API changes show at once and
 * retired entries disappear. Every role/stage and tier combination is exported, zeros included,
 * so dashboards have no gaps.
 */
export function registerCatalogMetrics(
  gauges: SnapshotGauges,
  store: Store,
  labels: IntegrationLabelCache,
): void {
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

  gauges.register(
    [
      {
        name: 'ecotone_integration_info',
        description:
          'Always 1 for each integration in the catalog; its labels (tier, kind, systems, counterpart participant) are for joins.',
      },
    ],
    async () => ({
      ecotone_integration_info: (await labels()).info.map((attributes) => ({ attributes, value: 1 })),
    }),
  );
}
