/**
 * A trace as data before it is emitted: who emits each span, when, with what attributes, and
 * which catalog integration it stands for. Scenarios build plans; the span emitter replays them
 * through the OpenTelemetry SDK. Tests read plans to check them against the catalog's rules.
 */

export type PlannedKind = 'server' | 'client' | 'producer' | 'consumer' | 'internal';

export type PlannedAttributes = Record<string, string | number | boolean>;

export interface PlannedSpan {
  /** `service.name` of the process that emits it. */
  service: string;
  name: string;
  kind: PlannedKind;
  /** Start, ms after the trace's first span starts. */
  startMs: number;
  durationMs: number;
  attributes: PlannedAttributes;
  /** Span status ERROR with this description; undefined leaves the status unset. */
  error?: string;
  /**
   * The integration the span must be matched to (client and producer spans, and server spans of
   * callers that send no traces), or `UNDECLARED` for the client span of the undeclared edge;
   * absent for spans no integration should match.
   */
  integration?: string;
  children: PlannedSpan[];
}

export interface PlannedTrace {
  /** Name of the scenario that made it. */
  scenario: string;
  root: PlannedSpan;
}

export interface SpanInit {
  service: string;
  name: string;
  kind: PlannedKind;
  startMs: number;
  durationMs: number;
  attributes?: PlannedAttributes;
  error?: string;
  integration?: string;
  children?: PlannedSpan[];
}

/** A planned span; attributes and children default to none. */
export function span(init: SpanInit): PlannedSpan {
  const planned: PlannedSpan = {
    service: init.service,
    name: init.name,
    kind: init.kind,
    startMs: init.startMs,
    durationMs: Math.max(0, init.durationMs),
    attributes: init.attributes ?? {},
    children: init.children ?? [],
  };
  if (init.error !== undefined) planned.error = init.error;
  if (init.integration !== undefined) planned.integration = init.integration;
  return planned;
}

/** End of a span, ms after the trace starts. */
export function endOf(planned: PlannedSpan): number {
  return planned.startMs + planned.durationMs;
}

/** Every span of the tree, parents before their children. */
export function flatten(root: PlannedSpan): PlannedSpan[] {
  const out: PlannedSpan[] = [];
  const visit = (s: PlannedSpan) => {
    out.push(s);
    for (const child of s.children) visit(child);
  };
  visit(root);
  return out;
}

/** The latest end over every span of the tree: how long the trace lasts, in ms. */
export function extentOf(root: PlannedSpan): number {
  let latest = 0;
  for (const s of flatten(root)) latest = Math.max(latest, endOf(s));
  return latest;
}
