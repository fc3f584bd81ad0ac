import type { Meter } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { IntegrationLabels, Store } from '../../db/index.ts';
import { PARTICIPANT_ROLES, PARTICIPANT_STAGES, TIERS } from '../config/index.ts';

/**
 * The side of an integration that is not the company itself: the target's participant unless
 * that is the orchestrator or an internal team and the source's is not.
 */
export function counterpartParticipant(labels: IntegrationLabels): string {
  const ours = (role: string) => role === 'orchestrator' || role === 'internal';
  if (ours(labels.targetRole) && !ours(labels.sourceRole)) return labels.sourceParticipant;
  return labels.targetParticipant;
}

/**
 * Catalog gauges, read from the store at each scrape so API and `apply` changes show at once.
 * Every role/stage and tier combination is exported, zeros included, so dashboards have no gaps.
 */
export function registerCatalogMetrics(meter: Meter, store: Store, logger: Logger): void {
  const participants = meter.createObservableGauge('ecotone_participants', {
    description: 'Participants in the catalog, by role and lifecycle stage.',
  });
  const systems = meter.createObservableGauge('ecotone_systems', {
    description: 'Systems (applications and data sources) in the catalog.',
  });
  const integrations = meter.createObservableGauge('ecotone_integrations', {
    description: 'Integrations in the catalog, by criticality tier.',
  });
  const countries = meter.createObservableGauge('ecotone_participant_countries', {
    description: 'Distinct countries of the participants in the catalog.',
  });
  const info = meter.createObservableGauge('ecotone_integration_info', {
    description:
      'Always 1 for each integration in the catalog; its labels (tier, kind, systems, counterpart participant) are for joins.',
  });

  meter.addBatchObservableCallback(
    async (result) => {
      try {
        const stats = await store.catalogStats();
        const byRoleStage = new Map(stats.participants.map((p) => [`${p.role}/${p.stage}`, p.count]));
        for (const role of PARTICIPANT_ROLES)
          for (const stage of PARTICIPANT_STAGES)
            result.observe(participants, byRoleStage.get(`${role}/${stage}`) ?? 0, { role, stage });
        const byTier = new Map(stats.integrations.map((i) => [i.tier, i.count]));
        for (const tier of TIERS) result.observe(integrations, byTier.get(tier) ?? 0, { tier });
        result.observe(systems, stats.systems);
        result.observe(countries, stats.countries);
      } catch (error) {
        logger.warn({ err: error }, 'catalog metrics: could not read the catalog');
      }
    },
    [participants, systems, integrations, countries],
  );

  meter.addBatchObservableCallback(
    async (result) => {
      try {
        for (const labels of await store.integrationLabels()) {
          result.observe(info, 1, {
            integration: labels.integration,
            tier: labels.tier,
            kind: labels.kind,
            source_system: labels.sourceSystem,
            target_system: labels.targetSystem,
            participant: counterpartParticipant(labels),
          });
        }
      } catch (error) {
        logger.warn({ err: error }, 'catalog metrics: could not read integrations');
      }
    },
    [info],
  );
}
