import { type Attributes, type HrTime, ValueType } from '@opentelemetry/api';
import { emptyResource } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  type CollectionResult,
  DataPointType,
  type MetricData,
  type MetricProducer,
} from '@opentelemetry/sdk-metrics';

/** One series of a snapshot gauge or counter. */
export interface GaugeSample {
  attributes: Attributes;
  value: number;
}

/** One series of a snapshot histogram: per-bucket (not cumulative) counts, one more than the boundaries. */
export interface HistogramSample {
  attributes: Attributes;
  counts: number[];
  sum: number;
  count: number;
}

export type SnapshotGaugeFamily =
  | {
      /** Prometheus name, with unit suffix where it has a unit (and `_total` for counters). */
      name: string;
      description: string;
      /** `gauge` (default) or `counter` (monotonic: the value only grows while the process runs). */
      type?: 'gauge' | 'counter';
    }
  | { name: string; description: string; type: 'histogram'; boundaries: number[] };

/**
 * Reads the current value of a group of families, keyed by name; called once per scrape.
 * It may throw: the group is then left out of that scrape and the error is reported.
 */
export type SnapshotReader = () => Promise<Record<string, GaugeSample[] | HistogramSample[]>>;

/** Registers gauges whose whole state is read at each scrape. */
export interface SnapshotGauges {
  register(families: SnapshotGaugeFamily[], read: SnapshotReader): void;
}

export const OVERFLOW_ATTRIBUTES: Attributes = { 'otel.metric.overflow': true };

const toHrTime = (ms: number): HrTime => [Math.floor(ms / 1000), Math.round((ms % 1000) * 1e6)];

/**
 * Metrics that report state as it is at each scrape (gauges, and counters and histograms kept by
 * their owner). The SDK's observable gauges
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

  function bound<T extends { attributes: Attributes }>(samples: T[], merge: (rest: T[]) => T): T[] {
    if (samples.length <= options.cardinalityLimit) return samples;
    const kept = samples.slice(0, options.cardinalityLimit - 1);
    kept.push({ ...merge(samples.slice(options.cardinalityLimit - 1)), attributes: OVERFLOW_ATTRIBUTES });
    return kept;
  }

  const sumGauges = (rest: GaugeSample[]): GaugeSample => ({
    attributes: {},
    value: rest.reduce((n, s) => n + s.value, 0),
  });

  const sumHistograms = (rest: HistogramSample[]): HistogramSample => ({
    attributes: {},
    counts: (rest[0] as HistogramSample).counts.map((_, i) =>
      rest.reduce((n, s) => n + (s.counts[i] ?? 0), 0),
    ),
    sum: rest.reduce((n, s) => n + s.sum, 0),
    count: rest.reduce((n, s) => n + s.count, 0),
  });

  function toMetric(
    family: SnapshotGaugeFamily,
    samples: GaugeSample[] | HistogramSample[],
    endTime: HrTime,
  ): MetricData {
    const descriptor = {
      name: family.name,
      description: family.description,
      unit: '',
      valueType: ValueType.DOUBLE,
    };
    const aggregationTemporality = AggregationTemporality.CUMULATIVE;
    if (family.type === 'histogram') {
      const dataPoints = bound(samples as HistogramSample[], sumHistograms).map((sample) => ({
        startTime,
        endTime,
        attributes: sample.attributes,
        value: {
          buckets: { boundaries: family.boundaries, counts: sample.counts },
          sum: sample.sum,
          count: sample.count,
        },
      }));
      return { descriptor, aggregationTemporality, dataPointType: DataPointType.HISTOGRAM, dataPoints };
    }
    const dataPoints = bound(samples as GaugeSample[], sumGauges).map((sample) => ({
      startTime,
      endTime,
      attributes: sample.attributes,
      value: sample.value,
    }));
    if (family.type === 'counter') {
      return {
        descriptor,
        aggregationTemporality,
        dataPointType: DataPointType.SUM,
        isMonotonic: true,
        dataPoints,
      };
    }
    return { descriptor, aggregationTemporality, dataPointType: DataPointType.GAUGE, dataPoints };
  }

  return {
    register(families, read) {
      groups.push({ families, read });
    },
    async collect(): Promise<CollectionResult> {
      const endTime = toHrTime(Date.now());
      const errors: unknown[] = [];
      const metrics: MetricData[] = [];
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
        for (const family of group.families)
          metrics.push(toMetric(family, result.value[family.name] ?? [], endTime));
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
