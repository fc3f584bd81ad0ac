import type { Attributes } from '@opentelemetry/api';
import type { IntegrationStatus, StatusState } from '../../db/index.ts';
import type { ProbeAggregate } from '../probing/recorder.ts';
import type { GaugeSample, HistogramSample, SnapshotGauges } from '../telemetry/index.ts';
import type { IntegrationLabelCache } from './integration-labels.ts';

/** `ecotone_integration_status` values. */
export const STATUS_VALUES: Record<IntegrationStatus, number> = {
  healthy: 0,
  degraded: 1,
  down: 2,
  unknown: 3,
};

export interface ProbeMetricsSource {
  aggregates(): ReadonlyMap<string, ProbeAggregate>;
  statuses(): ReadonlyMap<string, StatusState>;
  /** Whether the integration declares a probe now; others export no probe or status series. */
  isProbed(integrationId: string): boolean;
  /** Availability ratio per integration and window name (`1h`, `24h`, `30d`), from the rollups. */
  availability(): ReadonlyMap<string, Record<string, number>>;
}

/**
 * Probe and status metrics, read from the prober's in-memory state at each scrape. Every series
 * carries `integration`, `tier` and `participant` so dashboards group without joins; an
 * integration that leaves the catalog leaves every series at the next scrape.
 */
/** `{...attributes, [key]: value}`, the same object every time for the same inputs, so renderers can cache it. */
function derivedAttributes() {
  const cache = new WeakMap<Attributes, Map<string, Attributes>>();
  return (attributes: Attributes, key: string, value: string): Attributes => {
    let byValue = cache.get(attributes);
    if (!byValue) {
      byValue = new Map();
      cache.set(attributes, byValue);
    }
    let derived = byValue.get(value);
    if (!derived) {
      derived = { ...attributes, [key]: value };
      byValue.set(value, derived);
    }
    return derived;
  };
}

export function registerProbeMetrics(
  gauges: SnapshotGauges,
  source: ProbeMetricsSource,
  labels: IntegrationLabelCache,
  bucketBoundsSeconds: number[],
): void {
  const withOutcome = derivedAttributes();
  const withWindow = derivedAttributes();
  gauges.register(
    [
      {
        name: 'ecotone_probe_success',
        description: 'Whether the last probe run succeeded (1) or failed (0).',
      },
      {
        name: 'ecotone_probe_duration_seconds',
        description: 'Duration of probe runs.',
        type: 'histogram',
        boundaries: bucketBoundsSeconds,
      },
      {
        name: 'ecotone_probes_total',
        description: 'Probe runs since the process started, by outcome: success or the failure class.',
        type: 'counter',
      },
      {
        name: 'ecotone_probe_tls_expiry_seconds',
        description: "Unix time at which the probed target's TLS certificate expires.",
      },
      {
        name: 'ecotone_integration_status',
        description: 'Integration status from probes: 0 healthy, 1 degraded, 2 down, 3 unknown.',
      },
      {
        name: 'ecotone_integration_availability_ratio',
        description: 'Share of successful probe runs over the window (1h, 24h, 30d).',
      },
    ],
    async () => {
      const { byId } = await labels();
      const success: GaugeSample[] = [];
      const durations: HistogramSample[] = [];
      const outcomes: GaugeSample[] = [];
      const tls: GaugeSample[] = [];
      const status: GaugeSample[] = [];
      const availability: GaugeSample[] = [];
      for (const [id, agg] of source.aggregates()) {
        const attributes = byId.get(id);
        if (!attributes || !source.isProbed(id)) continue;
        success.push({ attributes, value: agg.lastSuccess ? 1 : 0 });
        durations.push({
          attributes,
          counts: agg.bucketCounts,
          sum: agg.durationSumMs / 1000,
          count: agg.runs,
        });
        for (const [outcome, count] of agg.outcomes)
          outcomes.push({ attributes: withOutcome(attributes, 'outcome', outcome), value: count });
        if (agg.tlsExpiresAt !== undefined) tls.push({ attributes, value: agg.tlsExpiresAt / 1000 });
      }
      for (const [id, state] of source.statuses()) {
        const attributes = byId.get(id);
        if (attributes && source.isProbed(id))
          status.push({ attributes, value: STATUS_VALUES[state.status] });
      }
      for (const [id, windows] of source.availability()) {
        const attributes = byId.get(id);
        if (!attributes || !source.isProbed(id)) continue;
        for (const [window, ratio] of Object.entries(windows))
          availability.push({ attributes: withWindow(attributes, 'window', window), value: ratio });
      }
      return {
        ecotone_probe_success: success,
        ecotone_probe_duration_seconds: durations,
        ecotone_probes_total: outcomes,
        ecotone_probe_tls_expiry_seconds: tls,
        ecotone_integration_status: status,
        ecotone_integration_availability_ratio: availability,
      };
    },
  );
}
