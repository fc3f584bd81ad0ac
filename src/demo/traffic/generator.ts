import type { Random } from '../random.ts';
import { createAmbientEvents } from './ambient.ts';
import type { DemoEvent, EventFactory } from './events.ts';
import type { PlannedTrace } from './plan.ts';
import { createScenarioContext, SCENARIOS, type Scenario, scenarioPicker } from './scenarios/index.ts';

/** Traces per second at which the ambient events run at their base rates. */
export const BASE_RATE = 2;

/** What happened in one slice of time. */
export interface TrafficSlice {
  traces: PlannedTrace[];
  events: DemoEvent[];
}

export interface TrafficGenerator {
  /** The traffic of the next `dtMs`: about `rate × dtMs / 1000` traces, their events and the ambient ones. */
  next(dtMs: number): TrafficSlice;
}

export interface TrafficGeneratorOptions {
  random: Random;
  events: EventFactory;
  /** Traces per second; ambient events scale with it (at {@link BASE_RATE} they run at their base rates). */
  rate: number;
  /** Prefix of ticket ids, unique per run. */
  ticketPrefix: string;
  /** Scenarios to pick from by weight (default {@link SCENARIOS}). */
  scenarios?: readonly Scenario[];
}

/**
 * Plans the demo's traffic slice by slice, with no clock and no I/O: the same seed and the same
 * slices give the same traces and events (up to the event times, read from the factory's clock).
 * @example
 * const generator = createTrafficGenerator({ random, events, rate: 2, ticketPrefix: 'TCK-1' });
 * const { traces, events } = generator.next(250);
 */
export function createTrafficGenerator(options: TrafficGeneratorOptions): TrafficGenerator {
  const { random, rate } = options;
  const pickScenario = scenarioPicker(options.scenarios ?? SCENARIOS);
  const context = createScenarioContext(random, options.events);
  const ambient = createAmbientEvents({ random, events: options.events, ticketPrefix: options.ticketPrefix });
  let carry = 0;
  return {
    next(dtMs) {
      carry += (rate * dtMs) / 1000;
      const count = Math.floor(carry);
      carry -= count;
      const traces: PlannedTrace[] = [];
      const events: DemoEvent[] = [];
      for (let i = 0; i < count; i++) {
        const output = pickScenario(random).run(context);
        if (output.trace) traces.push(output.trace);
        events.push(...output.events);
      }
      events.push(...ambient.next(dtMs, rate / BASE_RATE));
      return { traces, events };
    },
  };
}
