import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { dataQuality } from './data-quality.ts';
import { ecosystemValue } from './ecosystem-value.ts';
import { ecotoneSelf } from './ecotone-self.ts';
import { integrationReliability } from './integration-reliability.ts';
import { participationUsage } from './participation-usage.ts';
import { slosAndAlerts } from './slos-and-alerts.ts';

export { DATASOURCE, TAG } from './kit.ts';
export { type PanelQuery, panelQueries, substituteVariables } from './queries.ts';
export {
  BURN_RATE_ALERTS,
  buildRules,
  burnRateFactor,
  type Rule,
  type RuleFile,
  type RulesOptions,
  rulesYaml,
  SLI_WINDOWS,
  TIER_POLICY,
} from './rules/index.ts';
export { RECORDED } from './rules/names.ts';

/** Every Ecotone dashboard, by the file name it is written to. */
export const DASHBOARDS: Readonly<Record<string, () => Dashboard>> = {
  'integration-reliability.json': integrationReliability,
  'slos-and-alerts.json': slosAndAlerts,
  'ecosystem-value.json': ecosystemValue,
  'participation-usage.json': participationUsage,
  'data-quality.json': dataQuality,
  'ecotone-self.json': ecotoneSelf,
};

/**
 * Every dashboard as the JSON text Grafana loads (two-space indented, trailing newline), by file name.
 *
 * @example
 * for (const [file, json] of Object.entries(dashboardFiles())) await writeFile(join(dir, file), json);
 */
export function dashboardFiles(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(DASHBOARDS).map(([file, build]) => [file, `${JSON.stringify(build(), null, 2)}\n`]),
  );
}
