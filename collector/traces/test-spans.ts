import type { MatchRule, WorkflowStep } from '../../src/config/catalog-schema.ts';
import type { TraceCatalog } from './processor.ts';
import {
  type Attributes,
  type DecodedResourceSpans,
  type DecodedSpan,
  type DecodedTraces,
  SpanKind,
  StatusCode,
} from './types.ts';

/** 2025-01-01T12:00:00Z: the start of a UTC minute. */
export const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

let nextId = 1;

/** A fresh id of `length` lowercase hex characters (16 for spans, 32 for traces). */
export function hexId(length: 16 | 32 = 16): string {
  return (nextId++).toString(16).padStart(length, '0');
}

/**
 * A client span by default: a new trace and span id, no parent, named `GET`, started at T0 and
 * lasting 100 ms, status unset, no attributes.
 */
export function span(overrides: Partial<DecodedSpan> = {}): DecodedSpan {
  return {
    traceId: hexId(32),
    spanId: hexId(16),
    parentSpanId: '',
    name: 'GET',
    kind: SpanKind.CLIENT,
    startTimeMs: T0,
    endTimeMs: T0 + 100,
    statusCode: StatusCode.UNSET,
    attributes: {},
    ...overrides,
  };
}

/** The client span and server span of one call: same trace, the server's parent the client. */
export function call(
  client: Partial<DecodedSpan> = {},
  server: Partial<DecodedSpan> = {},
): { client: DecodedSpan; server: DecodedSpan } {
  const c = span({ ...client });
  const s = span({
    kind: SpanKind.SERVER,
    traceId: c.traceId,
    parentSpanId: c.spanId,
    startTimeMs: c.startTimeMs + 10,
    endTimeMs: c.endTimeMs - 10,
    ...server,
  });
  return { client: c, server: s };
}

/** The spans of one process, `service` its service.name. */
export function resource(service: string | undefined, ...spans: DecodedSpan[]): DecodedResourceSpans {
  const attributes: Attributes = service === undefined ? {} : { 'service.name': service };
  return { resource: attributes, serviceName: service, spans };
}

export function traces(...resourceSpans: DecodedResourceSpans[]): DecodedTraces {
  return {
    resourceSpans,
    spanCount: resourceSpans.reduce((n, r) => n + r.spans.length, 0),
    rejectedSpans: 0,
    rejectionMessage: undefined,
  };
}

/** A catalog view: integration `id` from system `a` to `b` with `rules`. */
export function integration(
  id: string,
  ...rules: Partial<MatchRule>[]
): TraceCatalog['integrations'][number] {
  return {
    id,
    from: 'a',
    to: 'b',
    match: rules.map((rule) => ({ side: 'client', ...rule }) as MatchRule),
  };
}

export function workflow(id: string, steps: WorkflowStep[], timeoutMs = 60_000) {
  return { id, steps, timeoutMs };
}

export function catalog(overrides: Partial<TraceCatalog> = {}): TraceCatalog {
  return { revision: 1, integrations: [], systems: [], workflows: [], ...overrides };
}

/** A clock tests move by hand, starting at T0. */
export function manualClock(start = T0): {
  now: () => number;
  advance: (ms: number) => void;
  set: (ms: number) => void;
} {
  let time = start;
  return {
    now: () => time,
    advance: (ms) => {
      time += ms;
    },
    set: (ms) => {
      time = ms;
    },
  };
}
