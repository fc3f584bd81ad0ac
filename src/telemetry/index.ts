export {
  PROMETHEUS_CONTENT_TYPE,
  startTelemetry,
  type Telemetry,
  type TelemetryOptions,
} from './telemetry.ts';
