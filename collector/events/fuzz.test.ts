import { describe, expect, it } from 'vitest';
import {
  EVENT_TYPES,
  EventBatchError,
  type EventFormat,
  eventHash,
  MAX_PROBLEMS,
  type ParseEventBatchOptions,
  parseEventBatch,
} from './index.ts';

const ITERATIONS = 3_000;
const SEED = 0xec0701e;
const NOW = Date.parse('2025-03-01T10:00:00Z');

/** mulberry32: a small seeded generator, so a failure replays with the same seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const PLAIN_BATCH = [
  {
    id: 'evt-1',
    type: 'transaction',
    time: '2025-03-01T09:00:00Z',
    source: '/shop',
    integration: 'shop-psp',
    data: { amount: 129.9, currency: 'EUR', customer: 'cus_81', channel: 'marketplace', order: 'o-1' },
  },
  { id: 'evt-2', type: 'user.active', data: { user: 'u-1' } },
  { id: 'evt-3', type: 'participant.stage', participant: 'acme', data: { stage: 'signed' } },
  { id: 'evt-4', type: 'ticket.opened', data: { ticket: 'T-1', priority: 'high' } },
  { id: 'evt-5', type: 'ticket.closed', data: { ticket: 'T-1' } },
  { id: 'evt-6', type: 'feedback', participant: 'acme', data: { score: 9, text: 'fine', survey: 's-1' } },
  { id: 'evt-7', type: 'docs.view', data: { page: '/docs/start', user: 'u-2' } },
  { id: 'evt-8', type: 'developer.activity', data: { activity: 'sdk_download' } },
  { id: 'evt-9', type: 'handoff.automated', integration: 'shop-erp', data: { count: 3 } },
];
const CLOUD_BATCH = PLAIN_BATCH.map((event) => ({
  specversion: '1.0',
  source: '/shop',
  datacontenttype: 'application/json',
  ...event,
}));

const ODD_STRINGS = [
  '',
  '__proto__',
  'constructor',
  'toString',
  '1e999',
  'NaN',
  '\u0000',
  '\ud800',
  '💸',
  '2025-03-01T10:00:00Z',
  '9999-12-31T23:59:59Z',
  '0000-01-01T00:00:00+23:59',
  'application/json',
  'transaction',
  '1.0',
  'k'.repeat(2_000),
];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function fuzzer(next: () => number) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;

  const randomScalar = (): Json =>
    pick<() => Json>([
      () => null,
      () => next() < 0.5,
      () => Math.floor(next() * 2_000) - 1_000,
      () => (next() - 0.5) * 1e300,
      () => pick([0, -0, 1e21, Number.MAX_SAFE_INTEGER + 2, 5e-324]),
      () => pick(ODD_STRINGS),
      () => pick(EVENT_TYPES),
      () => 'x'.repeat(Math.floor(next() * 300)),
    ])();

  const randomJson = (depth = 0): Json => {
    const roll = next();
    if (depth > 3 || roll < 0.6) return randomScalar();
    if (roll < 0.8) return Array.from({ length: Math.floor(next() * 4) }, () => randomJson(depth + 1));
    const object: Record<string, Json> = {};
    for (let i = Math.floor(next() * 4); i > 0; i--)
      object[pick([...ODD_STRINGS, 'data', 'id', 'type'])] = randomJson(depth + 1);
    return object;
  };

  const deep = (levels: number): Json => {
    let value: Json = 1;
    for (let i = 0; i < levels; i++) value = next() < 0.5 ? [value] : { a: value };
    return value;
  };

  /** Every object or array inside `root`, with itself. */
  const containers = (root: Json): (Json[] | Record<string, Json>)[] => {
    const out: (Json[] | Record<string, Json>)[] = [];
    const walk = (value: Json) => {
      if (value === null || typeof value !== 'object') return;
      out.push(value);
      for (const child of Object.values(value)) walk(child);
    };
    walk(root);
    return out;
  };

  const setOwn = (target: Json[] | Record<string, Json>, key: string | number, value: Json) => {
    // defineProperty, so even `__proto__` becomes an own member, as JSON.parse makes it.
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  };

  const mutate = (root: Json): Json => {
    const targets = containers(root);
    if (targets.length === 0) return randomJson();
    const target = pick(targets);
    const keys = Object.keys(target);
    const key = keys.length > 0 ? pick(keys) : '0';
    switch (Math.floor(next() * 9)) {
      case 0:
        if (Array.isArray(target)) target.splice(Number(key), 1);
        else delete target[key];
        break;
      case 1:
        setOwn(target, key, randomScalar());
        break;
      case 2:
        setOwn(target, key, 'y'.repeat(100_000 + Math.floor(next() * 100_000)));
        break;
      case 3:
        setOwn(target, key, deep(100 + Math.floor(next() * 1_400)));
        break;
      case 4:
        setOwn(target, Array.isArray(target) ? key : pick([...ODD_STRINGS, 'extra']), randomJson());
        break;
      case 5:
        if (Array.isArray(target)) target.push(structuredClone(pick(target) ?? null));
        else setOwn(target, key, randomJson());
        break;
      case 6:
        return randomJson();
      case 7:
        setOwn(target, key, Array.isArray(target[key as never]) ? {} : []);
        break;
      default:
        setOwn(target, key, pick(ODD_STRINGS));
    }
    return root;
  };

  return { pick, mutate };
}

describe('parseEventBatch under fuzzing', () => {
  it(`returns events or throws EventBatchError for ${ITERATIONS} mutated bodies (seed ${SEED})`, () => {
    const next = random(SEED);
    const { pick, mutate } = fuzzer(next);
    const outcomes = { accepted: 0, rejected: 0 };
    for (let i = 0; i < ITERATIONS; i++) {
      const format = pick<EventFormat>(['json', 'cloudevent', 'cloudevents-batch']);
      const base: unknown =
        format === 'json'
          ? next() < 0.5
            ? PLAIN_BATCH
            : { events: PLAIN_BATCH }
          : format === 'cloudevent'
            ? pick(CLOUD_BATCH)
            : CLOUD_BATCH;
      let body = structuredClone(base) as Json;
      for (let n = Math.floor(next() * 4); n > 0; n--) body = mutate(body);
      // What the route hands over: the body after a JSON round trip.
      const input: unknown = JSON.parse(JSON.stringify(body));
      const options: ParseEventBatchOptions = {
        maxBatch: pick([1, 5, 1_000]),
        now: NOW,
        maxFutureSkewMs: pick([0, 300_000]),
      };
      try {
        const events = parseEventBatch(input, format, options);
        outcomes.accepted++;
        expect(events.length).toBeGreaterThan(0);
        expect(events.length).toBeLessThanOrEqual(options.maxBatch);
        for (const event of events) {
          expect(EVENT_TYPES).toContain(event.type);
          expect(Number.isFinite(event.time)).toBe(true);
          expect(eventHash(event)).toMatch(/^[0-9a-f]{40}$/);
        }
      } catch (error) {
        if (!(error instanceof EventBatchError)) {
          throw new Error(`iteration ${i} (${format}) threw ${String(error)}`, { cause: error });
        }
        outcomes.rejected++;
        expect(error.problems.length).toBeGreaterThan(0);
        expect(error.problems.length).toBeLessThanOrEqual(MAX_PROBLEMS);
        for (const problem of error.problems) {
          expect(Number.isInteger(problem.index) && problem.index >= -1).toBe(true);
          expect(typeof problem.field).toBe('string');
          expect(problem.message.length).toBeGreaterThan(0);
          expect(problem.message.length).toBeLessThan(1_000);
        }
      }
    }
    // Both paths were exercised: the mutations neither all pass nor all fail.
    expect(outcomes.accepted).toBeGreaterThan(ITERATIONS / 20);
    expect(outcomes.rejected).toBeGreaterThan(ITERATIONS / 2);
  });
});
