import type { Random } from '../../random.ts';
import type { DemoEvent, EventFactory } from '../events.ts';
import type { PlannedTrace } from '../plan.ts';

/** What a scenario draws on: the seeded random source, the event factory and id pools. */
export interface ScenarioContext {
  random: Random;
  events: EventFactory;
  /** A new order number, e.g. `NW-1000042`. */
  orderId(): string;
  /** A customer id from a fixed pool, e.g. `cus-2381`. */
  customer(): string;
  /** A shopper's user id from a fixed pool, e.g. `usr-5120`. */
  user(): string;
}

/** One run of a scenario: a trace (when it makes one) and the business events it caused. */
export interface ScenarioOutput {
  trace?: PlannedTrace;
  events: DemoEvent[];
}

/** Something that happens in the ecosystem, as often as its weight says among all scenarios. */
export interface Scenario {
  name: string;
  /** Relative frequency; the weights of all scenarios need not sum to anything. */
  weight: number;
  run(context: ScenarioContext): ScenarioOutput;
}

/** True with probability `p`. */
export function chance(random: Random, p: number): boolean {
  return random() < p;
}

/** A whole number from `min` to `max`, both included. */
export function within(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** An amount from `min` to `max` with two decimals, skewed towards the low end as basket sizes are. */
export function amount(random: Random, min: number, max: number): number {
  const u = random();
  return Math.round((min + (max - min) * u * u) * 100) / 100;
}

/** One item of a non-empty list. */
export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

/**
 * A latency in ms: usually from `typical`, with probability `slowShare` from `slow` (the tail
 * that breaks an SLO).
 */
export function latency(
  random: Random,
  typical: readonly [number, number],
  slow?: { share: number; range: readonly [number, number] },
): number {
  const [min, max] = slow !== undefined && chance(random, slow.share) ? slow.range : typical;
  return within(random, min, max);
}

/**
 * Picks an HTTP status: each entry `[status, probability]` in turn, `fallback` when none hits.
 * @example
 * statusOf(random, [[402, 0.06], [503, 0.02]], 201);
 */
export function statusOf(
  random: Random,
  odds: readonly (readonly [number, number])[],
  fallback: number,
): number {
  const u = random();
  let acc = 0;
  for (const [status, p] of odds) {
    acc += p;
    if (u < acc) return status;
  }
  return fallback;
}

/** Creates the id pools of a context from its random source. */
export function createScenarioContext(random: Random, events: EventFactory): ScenarioContext {
  let orders = 1_000_000;
  return {
    random,
    events,
    orderId: () => `NW-${++orders}`,
    customer: () => `cus-${within(random, 1000, 5999)}`,
    user: () => `usr-${within(random, 1000, 9999)}`,
  };
}
