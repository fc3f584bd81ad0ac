import { beforeAll, describe, expect, it } from 'vitest';
import { compileMatcher, createSpanFacts, type SpanMatcher } from '../../../collector/traces/match.ts';
import type { Config } from '../../config/index.ts';
import { seededRandom } from '../random.ts';
import { createEventFactory } from './events.ts';
import { flatten, type PlannedSpan, type PlannedTrace } from './plan.ts';
import { createScenarioContext, DECLINE_RATE, SCENARIOS, type Scenario } from './scenarios/index.ts';
import { SERVICE, UNDECLARED } from './services.ts';
import { decodedOf, loadExample } from './testing.ts';

const RUNS = 400;

let config: Config;
let matcher: SpanMatcher;
let systemOf: Map<string, string>;

beforeAll(async () => {
  config = await loadExample();
  matcher = compileMatcher(config.integrations);
  systemOf = new Map(
    config.systems.flatMap((s) => (s.services ?? [s.id]).map((name) => [name, s.id] as const)),
  );
});

/** `RUNS` traces of one scenario from a fixed seed. */
function tracesOf(scenario: Scenario, seed = 11): PlannedTrace[] {
  const context = createScenarioContext(
    seededRandom(seed),
    createEventFactory({ runId: 'demo-test', now: () => Date.parse('2026-11-20T10:00:00Z') }),
  );
  return Array.from({ length: RUNS }, () => scenario.run(context).trace).filter((t) => t !== undefined);
}

/** Every span with its parent, parents first. */
function withParents(root: PlannedSpan): { span: PlannedSpan; parent: PlannedSpan | undefined }[] {
  const out: { span: PlannedSpan; parent: PlannedSpan | undefined }[] = [];
  const visit = (span: PlannedSpan, parent: PlannedSpan | undefined) => {
    out.push({ span, parent });
    for (const child of span.children) visit(child, span);
  };
  visit(root, undefined);
  return out;
}

/** The integration the catalog's rules give a span on its own side, as the trace processor sees it on arrival. */
function matched(span: PlannedSpan, parent: PlannedSpan | undefined): string | undefined {
  const side =
    span.kind === 'client' || span.kind === 'producer'
      ? 'client'
      : span.kind === 'internal'
        ? undefined
        : 'server';
  if (side === undefined) return undefined;
  const facts = matcher.read(
    createSpanFacts(),
    decodedOf(span, parent ? 'b7ad6b7169203330' : ''),
    span.service,
  );
  return matcher.match(side, facts)?.integrationId;
}

describe.each(SCENARIOS.map((s) => [s.name, s] as const))('scenario %s', (_name, scenario) => {
  it('makes spans that the example catalog matches to the integrations they stand for, and no others', () => {
    for (const trace of tracesOf(scenario))
      for (const { span, parent } of withParents(trace.root)) {
        const expected = span.integration === UNDECLARED ? undefined : span.integration;
        expect({ span: span.name, service: span.service, integration: matched(span, parent) }).toEqual({
          span: span.name,
          service: span.service,
          integration: expected,
        });
      }
  });

  it('emits spans only from services a system lists, besides the undeclared recommendations service', () => {
    for (const trace of tracesOf(scenario))
      for (const span of flatten(trace.root))
        if (span.service !== SERVICE.recommendations)
          expect(systemOf.get(span.service), span.service).toBeDefined();
  });

  it('nests every child inside its trace, starting no earlier than its parent', () => {
    for (const trace of tracesOf(scenario))
      for (const { span, parent } of withParents(trace.root)) {
        expect(span.durationMs).toBeGreaterThanOrEqual(0);
        if (parent) expect(span.startMs).toBeGreaterThanOrEqual(parent.startMs);
      }
  });
});

describe('the scenarios together', () => {
  it('exercise every integration that has match rules in the example', () => {
    const exercised = new Set(
      SCENARIOS.flatMap((s) => tracesOf(s).flatMap((t) => flatten(t.root).map((span) => span.integration))),
    );
    const withRules = config.integrations.filter((i) => i.match.length > 0).map((i) => i.id);
    expect(withRules.length).toBeGreaterThanOrEqual(15);
    for (const id of withRules) expect(exercised, id).toContain(id);
    for (const id of exercised) if (id !== undefined && id !== UNDECLARED) expect(withRules).toContain(id);
  });

  it('use at least one server-side rule for a caller that sends no traces', () => {
    const serverRules = config.integrations.filter((i) => i.match.some((rule) => rule.side === 'server'));
    expect(serverRules.map((i) => i.id)).toContain('carrier-tracking-events');
  });

  it('have one undeclared edge: storefront client spans to the recommendations service, paired with its server span', () => {
    const undeclared = SCENARIOS.flatMap((s) => tracesOf(s)).flatMap((t) =>
      flatten(t.root).filter((span) => span.integration === UNDECLARED),
    );
    expect(undeclared.length).toBeGreaterThan(0);
    for (const client of undeclared) {
      expect(client).toMatchObject({ service: SERVICE.storefront, kind: 'client' });
      expect(client.children).toEqual([
        expect.objectContaining({ service: SERVICE.recommendations, kind: 'server' }),
      ]);
    }
    expect(systemOf.get(SERVICE.storefront)).toBe('storefront');
    expect(systemOf.get(SERVICE.recommendations)).toBeUndefined();
    const callers = config.integrations.filter((i) => i.from === 'storefront').map((i) => i.id);
    expect(callers).toEqual(['storefront-checkout']);
  });
});

describe('order-to-cash', () => {
  const workflowSteps = () => config.workflows.find((w) => w.id === 'order-to-cash')?.steps as string[];
  const stepsOf = (trace: PlannedTrace) =>
    flatten(trace.root)
      .filter((span) => span.integration !== undefined && workflowSteps().includes(span.integration))
      .map((span) => ({ step: span.integration, failed: span.error !== undefined }));
  const orderToCash = SCENARIOS.find((s) => s.name === 'order-to-cash') as Scenario;

  it('reaches all six steps in order when nothing fails', () => {
    const complete = tracesOf(orderToCash)
      .map(stepsOf)
      .filter((steps) => steps.every((s) => !s.failed));
    expect(complete.length).toBeGreaterThan(RUNS * 0.7);
    for (const steps of complete)
      if (steps.length === 6) expect(steps.map((s) => s.step)).toEqual(workflowSteps());
    expect(complete.filter((steps) => steps.length === 6).length).toBeGreaterThan(RUNS * 0.7);
  });

  it('fails halfway when the payment is declined: an error on the payment step and no later step', () => {
    const declined = tracesOf(orderToCash).filter((trace) =>
      flatten(trace.root).some(
        (s) => s.integration === 'checkout-payment' && s.attributes['http.response.status_code'] === 402,
      ),
    );
    expect(declined.length).toBeGreaterThan(RUNS * DECLINE_RATE * 0.5);
    expect(declined.length).toBeLessThan(RUNS * DECLINE_RATE * 1.6);
    for (const trace of declined)
      expect(stepsOf(trace)).toEqual([
        { step: 'storefront-checkout', failed: false },
        { step: 'checkout-payment', failed: true },
      ]);
  });

  it('is the same traffic for the same seed', () => {
    expect(tracesOf(orderToCash, 5)).toEqual(tracesOf(orderToCash, 5));
    expect(tracesOf(orderToCash, 5)).not.toEqual(tracesOf(orderToCash, 6));
  });
});
