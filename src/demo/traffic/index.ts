/**
 * Simulated traffic for the demo: traces through the OpenTelemetry SDK and business events for
 * the example ecosystem, planned by scenarios (`scenarios/`), replayed by the span emitter and
 * sent by the event sender.
 * @example
 * import { startTraffic } from './src/demo/traffic/index.ts';
 * const traffic = await startTraffic({ baseUrl: 'http://127.0.0.1:9480', rate: 2, logger });
 * await traffic.stop();
 */
export { AMBIENT_RATES, ONBOARDING_SCRIPT } from './ambient.ts';
export {
  createEventSender,
  type EventSender,
  type EventSenderOptions,
  type EventSenderStats,
} from './event-sender.ts';
export { createEventFactory, type DemoEvent, type EventFactory, runIdOf } from './events.ts';
export { BASE_RATE, createTrafficGenerator, type TrafficGenerator, type TrafficSlice } from './generator.ts';
export type { TrafficOptions } from './options.ts';
export { flatten, type PlannedKind, type PlannedSpan, type PlannedTrace } from './plan.ts';
export { DECLINE_RATE, SCENARIOS, type Scenario } from './scenarios/index.ts';
export { HOST, SERVICE, UNDECLARED } from './services.ts';
export { createSpanEmitter, type SpanEmitter, seededIdGenerator } from './span-emitter.ts';
export { startTraffic, type Traffic } from './traffic.ts';
