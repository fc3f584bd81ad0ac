import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { createPrometheusText } from './prometheus-text.ts';
import { createSnapshotGauges } from './snapshot-gauges.ts';

/** Sample and metadata lines, sorted: the two renderers order histogram lines differently. */
const lines = (text: string) =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .sort();

describe('prometheus text', () => {
  it('renders what the exporter serializer renders, for SDK instruments and snapshot families', async () => {
    const gauges = createSnapshotGauges({ cardinalityLimit: 3, onError: () => {} });
    const exporter = new PrometheusExporter({
      preventServerStart: true,
      withoutScopeInfo: true,
      metricProducers: [gauges],
    });
    const provider = new MeterProvider({
      resource: resourceFromAttributes({ 'service.name': 'ecotone', 'service.version': '1.2.3' }),
      readers: [exporter],
    });
    const meter = provider.getMeter('test');
    meter.createCounter('x_requests_total', { description: 'Requests.' }).add(3, { route: '/a"b\\c\nd' });
    meter.createCounter('x_events', { description: 'Events, no suffix.' }).add(2);
    meter
      .createHistogram('x_duration_seconds', {
        description: 'Durations.',
        advice: { explicitBucketBoundaries: [0.1, 1] },
      })
      .record(0.5, { job_name: 'retention' });
    gauges.register(
      [
        { name: 'x_info', description: 'Info with a\nnewline and \\ backslash.' },
        { name: 'x_runs_total', description: 'Runs.', type: 'counter' },
        { name: 'x_latency_seconds', description: 'Latency.', type: 'histogram', boundaries: [0.05, 0.5] },
      ],
      async () => ({
        x_info: ['a', 'b', 'c', 'd'].map((id) => ({ attributes: { integration: id }, value: 1 })),
        x_runs_total: [{ attributes: { integration: 'a', outcome: 'success' }, value: 7 }],
        x_latency_seconds: [{ attributes: { integration: 'a' }, counts: [1, 2, 3], sum: 4.5, count: 6 }],
      }),
    );
    const { resourceMetrics } = await exporter.collect();
    const ours = createPrometheusText()(resourceMetrics);
    const theirs = new PrometheusSerializer('', false, undefined, false, true).serialize(resourceMetrics);
    expect(lines(ours)).toEqual(lines(theirs));
    expect(ours).toContain('x_info{otel_metric_overflow="true"} 2');
    expect(ours).toContain('x_requests_total{route="/a\\"b\\\\c\\nd"} 3');
    await provider.shutdown();
  });

  it('renders a cached label set again after its values are replaced by a new object', async () => {
    const render = createPrometheusText();
    const gauges = createSnapshotGauges({ cardinalityLimit: 10, onError: () => {} });
    let attributes = { integration: 'a' };
    gauges.register([{ name: 'x', description: 'X.' }], async () => ({ x: [{ attributes, value: 1 }] }));
    const exporter = new PrometheusExporter({
      preventServerStart: true,
      withoutScopeInfo: true,
      metricProducers: [gauges],
    });
    const provider = new MeterProvider({ readers: [exporter] });
    expect(render((await exporter.collect()).resourceMetrics)).toContain('x{integration="a"} 1');
    attributes = { integration: 'b' };
    expect(render((await exporter.collect()).resourceMetrics)).toContain('x{integration="b"} 1');
    await provider.shutdown();
  });
});
