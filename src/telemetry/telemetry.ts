import { context, type Meter, metrics, propagation, type Tracer, trace } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { type MetricReader, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { createPrometheusText } from './prometheus-text.ts';
import { createSnapshotGauges, type SnapshotGauges } from './snapshot-gauges.ts';

export interface TelemetryOptions {
  serviceVersion: string;
  /** Most label sets one instrument keeps before folding the rest into an overflow series. */
  cardinalityLimit: number;
  /** Told about a snapshot gauge group that could not be read at a scrape. */
  onCollectError?: (error: unknown, families: string[]) => void;
  /** Export Ecotone's own spans over OTLP/HTTP to `endpoint` (a base URL); no export when unset. */
  tracing?: { endpoint?: string | undefined; headers?: Record<string, string> };
  /**
   * Also push every metric (snapshot gauges included) over OTLP/HTTP to `endpoint` (a base URL;
   * `/v1/metrics` is appended) every `interval` ms, beside `/metrics`; no push when unset.
   */
  otlpMetrics?: {
    endpoint?: string | undefined;
    headers?: Record<string, string>;
    interval: number;
    timeout: number;
  };
}

/** The OpenTelemetry wiring, created once at start-up and handed to whatever measures. */
export interface Telemetry {
  /** Meter for Ecotone's instruments; code that measures sees only this `@opentelemetry/api` type. */
  meter: Meter;
  /** Tracer for Ecotone's own spans; a no-op unless tracing is configured. */
  tracer: Tracer;
  /** Gauges read whole from the store at each scrape (series that disappear stop being exported). */
  gauges: SnapshotGauges;
  /** Collects every instrument and renders the Prometheus text exposition format (0.0.4). */
  render(): Promise<string>;
  shutdown(): Promise<void>;
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

let active = false;

/**
 * Starts the OpenTelemetry Node SDK with a Prometheus reader whose HTTP server is not started:
 * `/metrics` is served by Ecotone's own server through {@link Telemetry.render}. Snapshot gauges
 * join the SDK's instruments through the exporter's metric producers. Scope labels are
 * left out, the resource appears once as `target_info`, and a view raises every instrument's
 * cardinality limit to the configured bound. The SDK registers process-wide providers, so one
 * telemetry is active at a time; `shutdown` releases them.
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  if (active) throw new Error('telemetry is already started in this process; shut it down first');
  const gauges = createSnapshotGauges({
    cardinalityLimit: options.cardinalityLimit,
    onError: options.onCollectError ?? (() => {}),
  });
  const exporter = new PrometheusExporter({
    preventServerStart: true,
    withoutScopeInfo: true,
    metricProducers: [gauges],
  });
  const serialize = createPrometheusText();
  const readers: MetricReader[] = [exporter];
  const push = options.otlpMetrics;
  if (push?.endpoint)
    readers.push(
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({
          url: `${push.endpoint.replace(/\/$/, '')}/v1/metrics`,
          headers: push.headers ?? {},
          timeoutMillis: push.timeout,
        }),
        exportIntervalMillis: push.interval,
        exportTimeoutMillis: push.timeout,
        metricProducers: [gauges],
      }),
    );
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({
      'service.name': 'ecotone',
      'service.version': options.serviceVersion,
    }),
    autoDetectResources: false,
    metricReaders: readers,
    views: [{ instrumentName: '*', aggregationCardinalityLimit: options.cardinalityLimit }],
    ...(options.tracing?.endpoint
      ? {
          traceExporter: new OTLPTraceExporter({
            url: `${options.tracing.endpoint.replace(/\/$/, '')}/v1/traces`,
            headers: options.tracing.headers ?? {},
          }),
        }
      : { spanProcessors: [] }),
    logRecordProcessors: [],
    instrumentations: [],
  });
  sdk.start();
  active = true;
  let stopped = false;

  return {
    meter: metrics.getMeter('ecotone', options.serviceVersion),
    tracer: trace.getTracer('ecotone', options.serviceVersion),
    gauges,
    async render() {
      const { resourceMetrics } = await exporter.collect();
      return serialize(resourceMetrics);
    },
    async shutdown() {
      if (stopped) return;
      stopped = true;
      try {
        await sdk.shutdown();
      } finally {
        metrics.disable();
        trace.disable();
        context.disable();
        propagation.disable();
        active = false;
      }
    },
  };
}
