import { PARTICIPANT_ROLES, TIERS } from '../config/index.ts';
import { KPI_DEFINITIONS } from '../kpis/definitions.ts';
import type { KpiState } from '../kpis/state.ts';
import type { GaugeSample, SnapshotGauges } from '../telemetry/index.ts';

/** Labels with a fixed set of values, exported at 0 when a run found none, so dashboards have no gaps. */
const ZERO_FILLED: Record<string, { label: string; values: readonly string[] }> = {
  participants_active: {
    label: 'role',
    values: PARTICIPANT_ROLES.filter((r) => r !== 'orchestrator' && r !== 'internal'),
  },
  integrations_active: { label: 'tier', values: TIERS },
};

/**
 * The KPI metrics, `ecotone_<kpi>` for every KPI in {@link KPI_DEFINITIONS} that has one, read at
 * each scrape from the latest result of each KPI job. A KPI whose job has not run yet exports no
 * series.
 */
export function registerKpiMetrics(gauges: SnapshotGauges, state: KpiState): void {
  const exported = KPI_DEFINITIONS.filter((k) => k.metric !== false);
  gauges.register(
    exported.map((k) => ({ name: `ecotone_${k.name}`, description: k.description, type: k.type })),
    async () =>
      Object.fromEntries(
        exported.map((k) => {
          const samples: GaugeSample[] = (state.get(k.name)?.samples ?? []).map((s) => ({
            attributes: s.labels,
            value: s.value,
          }));
          const zero = ZERO_FILLED[k.name];
          if (zero && state.get(k.name)) {
            const seen = new Set(samples.map((s) => s.attributes[zero.label]));
            for (const value of zero.values)
              if (!seen.has(value)) samples.push({ attributes: { [zero.label]: value }, value: 0 });
          }
          return [`ecotone_${k.name}`, samples];
        }),
      ),
  );
}
