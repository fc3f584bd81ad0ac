import { type Attributes, type HrTime, ValueType } from '@opentelemetry/api';
import { emptyResource } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  type CollectionResult,
  DataPointType,
  type GaugeMetricData,
  type MetricProducer,
} from '@opentelemetry/sdk-metrics';

/** One series of a snapshot gauge. */
export interface GaugeSample {
  attributes: Attributes;
  value: number;
}

export interface SnapshotGaugeFamily {
  /** Prometheus name, with unit suffix where it has a unit. */
  name: string;
  description: string;
}

/**
 * Reads the current value of a group of gauges, keyed by gauge name; called once per scrape.
 * It may throw: the group is then left out of that scrape and the error is reported.
 */
export type SnapshotReader = () => Promise<Record<string, GaugeSample[]>>;

/** Registers gauges whose whole state is read at each scrape. */
export interface SnapshotGauges {
  register(families: SnapshotGaugeFamily[], read: SnapshotReader): void;
}

export const OVERFLOW_ATTRIBUTES: Attributes = { 'otel.metric.overflow': true };

const toHrTime = (ms: number): HrTime => [Math.floor(ms / 1000), Math.round((ms % 1000) * 1e6)];

/**
 * Gauges that report the state of the store as it is at each scrape. The SDK's observable gauges
 * keep every label set they ever saw under cumulative temporality, so an integration that left
 * the catalog would be exported until restart; these export exactly what the reader returns.
 * They keep the same cardinality bound as the SDK's view: past `cardinalityLimit - 1` series, the
 * rest are summed into one `otel_metric_overflow="true"` series.
 */
export function createSnapshotGauges(options: {
  cardinalityLimit: number;
  onError: (error: unknown, families: string[]) => void;
}): SnapshotGauges & MetricProducer {
  const groups: { families: SnapshotGaugeFamily[]; read: SnapshotReader }[] = [];
  const startTime = toHrTime(Date.now());

  function bound(samples: GaugeSample[]): GaugeSample[] {
    if (samples.length <= options.cardinalityLimit) return samples;
    const kept = samples.slice(0, options.cardinalityLimit - 1);
    let overflow = 0;
    for (let i = options.cardinalityLimit - 1; i < samples.length; i++)
      overflow += (samples[i] as GaugeSample).value;
    kept.push({ attributes: OVERFLOW_ATTRIBUTES, value: overflow });
    return kept;
  }

  return {
    register(families, read) {
      groups.push({ families, read });
    },
    async collect(): Promise<CollectionResult> {
      const endTime = toHrTime(Date.now());
      const errors: unknown[] = [];
      const metrics: GaugeMetricData[] = [];
      const results = await Promise.allSettled(groups.map((group) => group.read()));
      results.forEach((result, index) => {
        const group = groups[index] as (typeof groups)[number];
        if (result.status === 'rejected') {
          errors.push(result.reason);
          options.onError(
            result.reason,
            group.families.map((f) => f.name),
          );
          return;
        }
        for (const family of group.families) {
          metrics.push({
            descriptor: {
              name: family.name,
              description: family.description,
              unit: '',
              valueType: ValueType.DOUBLE,
            },
            aggregationTemporality: AggregationTemporality.CUMULATIVE,
            dataPointType: DataPointType.GAUGE,
            dataPoints: bound(result.value[family.name] ?? []).map((sample) => ({
              startTime,
              endTime,
              attributes: sample.attributes,
              value: sample.value,
            })),
          });
        }
      });
      return {
        resourceMetrics: {
          resource: emptyResource(),
          scopeMetrics: [{ scope: { name: 'ecotone.snapshot' }, metrics }],
        },
        errors,
      };
    },
  };
}
