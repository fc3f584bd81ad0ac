import type { QueryVariableBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { labelVariable } from './kit.ts';

/** The selector every per-integration query carries: the tier, participant and integration variables. */
export const INTEGRATION = 'tier=~"$tier", participant=~"$participant", integration=~"$integration"';

/** tier → participant → integration, each narrowed by the ones before, from the catalog info metric. */
export function integrationVariables(): QueryVariableBuilder[] {
  return [
    labelVariable(
      'tier',
      'Tier',
      'label_values(ecotone_integration_info, tier)',
      'Criticality tier of the integrations.',
    ),
    labelVariable(
      'participant',
      'Participant',
      'label_values(ecotone_integration_info{tier=~"$tier"}, participant)',
      'Counterpart participant: the side of the integration that is not the company itself.',
    ),
    labelVariable(
      'integration',
      'Integration',
      'label_values(ecotone_integration_info{tier=~"$tier", participant=~"$participant"}, integration)',
      'Integrations of the selected tiers and participants.',
    ),
  ];
}
