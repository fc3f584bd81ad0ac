export {
  createSnapshotGauges,
  type GaugeSample,
  type HistogramSample,
  type SnapshotGaugeFamily,
  type SnapshotGauges,
} from './snapshot-gauges.ts';
export {
  PROMETHEUS_CONTENT_TYPE,
  startTelemetry,
  type Telemetry,
  type TelemetryOptions,
} from './telemetry.ts';
