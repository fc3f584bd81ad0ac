import type { Attributes } from '@opentelemetry/api';
import { DataPointType, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';

const INVALID_NAME = /[^a-zA-Z0-9_:]/g;
const REPEATED_UNDERSCORE = /_{2,}/g;

const sanitizeName = (name: string) => name.replace(INVALID_NAME, '_').replace(REPEATED_UNDERSCORE, '_');
const escapeHelp = (text: string) => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const escapeValue = (value: unknown) =>
  String(value ?? '')
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/"/g, '\\"');

function formatNumber(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return `${value}`;
}

/**
 * Renders collected OpenTelemetry metrics in the Prometheus text format 0.0.4, as the exporter's
 * own serializer does (target_info from the resource, `_total` on monotonic sums, cumulative
 * histogram buckets, no scope labels), but with each label set rendered once and cached by its
 * attributes object: snapshot gauges hand out the same objects scrape after scrape, so a scrape
 * of 10,000 integrations is mostly string joins instead of escaping and allocation.
 */
export function createPrometheusText() {
  const labelCache = new WeakMap<Attributes, string>();
  const nameCache = new Map<string, string>();

  function labels(attributes: Attributes): string {
    let text = labelCache.get(attributes);
    if (text === undefined) {
      text = Object.entries(attributes)
        .map(([key, value]) => `${sanitizeName(key)}="${escapeValue(value)}"`)
        .join(',');
      labelCache.set(attributes, text);
    }
    return text;
  }

  function metricName(metric: MetricData): string {
    let name = nameCache.get(metric.descriptor.name);
    if (name === undefined) {
      name = sanitizeName(metric.descriptor.name);
      nameCache.set(metric.descriptor.name, name);
    }
    if (metric.dataPointType === DataPointType.SUM && metric.isMonotonic && !name.endsWith('_total'))
      name += '_total';
    return name;
  }

  function typeOf(metric: MetricData): string {
    switch (metric.dataPointType) {
      case DataPointType.SUM:
        return metric.isMonotonic ? 'counter' : 'gauge';
      case DataPointType.GAUGE:
        return 'gauge';
      case DataPointType.HISTOGRAM:
        return 'histogram';
      default:
        return 'untyped';
    }
  }

  function renderMetric(metric: MetricData): string {
    let out = '';
    const name = metricName(metric);
    out += `# HELP ${name} ${escapeHelp(metric.descriptor.description || 'description missing')}\n`;
    out += `# TYPE ${name} ${typeOf(metric)}\n`;
    if (metric.dataPointType === DataPointType.HISTOGRAM) {
      for (const point of metric.dataPoints) {
        const set = labels(point.attributes);
        const prefix = set ? `{${set},` : '{';
        const braces = set ? `{${set}}` : '';
        const { boundaries, counts } = point.value.buckets;
        let cumulative = 0;
        for (let i = 0; i < counts.length; i++) {
          cumulative += counts[i] as number;
          const bound = i < boundaries.length ? formatNumber(boundaries[i] as number) : '+Inf';
          out += `${name}_bucket${prefix}le="${bound}"} ${cumulative}\n`;
        }
        out += `${name}_sum${braces} ${formatNumber(point.value.sum ?? 0)}\n`;
        out += `${name}_count${braces} ${point.value.count}\n`;
      }
      return out;
    }
    if (metric.dataPointType === DataPointType.GAUGE || metric.dataPointType === DataPointType.SUM) {
      for (const point of metric.dataPoints) {
        const set = labels(point.attributes);
        out += `${name}${set ? `{${set}}` : ''} ${formatNumber(point.value as number)}\n`;
      }
    }
    return out;
  }

  return (resourceMetrics: ResourceMetrics): string => {
    const out: string[] = ['# HELP target_info Target metadata\n# TYPE target_info gauge\n'];
    out.push(`target_info{${labels(resourceMetrics.resource.attributes)}} 1\n`);
    for (const scope of resourceMetrics.scopeMetrics) {
      for (const metric of scope.metrics) out.push(renderMetric(metric));
    }
    return out.join('');
  };
}
