import { beforeAll, describe, expect, it } from 'vitest';
import { parseEventBatch } from '../../../collector/events/parse.ts';
import { EVENT_TYPES } from '../../../collector/events/types.ts';
import type { Config } from '../../config/index.ts';
import { seededRandom } from '../random.ts';
import { ONBOARDING_SCRIPT } from './ambient.ts';
import { createEventFactory, type DemoEvent, runIdOf } from './events.ts';
import { createTrafficGenerator } from './generator.ts';
import { loadExample } from './testing.ts';

const T0 = Date.parse('2026-11-20T10:00:00Z');
const TICK_MS = 250;

let config: Config;

beforeAll(async () => {
  config = await loadExample();
});

/** Ten simulated minutes of events at the default rate; the clock moves with the ticks. */
function tenMinutes(seed = 3): DemoEvent[] {
  let now = T0;
  const events = createEventFactory({ runId: runIdOf(T0, seed), now: () => now });
  const generator = createTrafficGenerator({
    random: seededRandom(seed),
    events,
    rate: 2,
    ticketPrefix: 'TCK-t',
  });
  const out: DemoEvent[] = [];
  for (let elapsed = 0; elapsed < 600_000; elapsed += TICK_MS) {
    now += TICK_MS;
    out.push(...generator.next(TICK_MS).events);
  }
  return out;
}

describe('demo events', () => {
  it('validate as plain JSON batches with the ingest parser', () => {
    const events = tenMinutes();
    for (let i = 0; i < events.length; i += 500) {
      const batch = JSON.parse(JSON.stringify({ events: events.slice(i, i + 500) }));
      const parsed = parseEventBatch(batch, 'json', {
        maxBatch: 500,
        now: T0 + 600_000,
        maxFutureSkewMs: 300_000,
      });
      expect(parsed).toHaveLength(Math.min(500, events.length - i));
    }
  });

  it('have ids unique per event, and another run id for another start', () => {
    const events = tenMinutes();
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect(runIdOf(T0, 3)).not.toBe(runIdOf(T0 + 1, 3));
    expect(runIdOf(T0, 3)).not.toBe(runIdOf(T0, 4));
  });

  it('cover every event type at a modest rate', () => {
    const events = tenMinutes();
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(EVENT_TYPES));
    expect(events.length / 600).toBeGreaterThan(1.5);
    expect(events.length / 600).toBeLessThan(6);
    expect(events.some((e) => e.type === 'feedback' && typeof e.data?.text === 'string')).toBe(true);
  });

  it('name only participants and integrations of the example, and transactions only its channels', () => {
    const participants = new Set(config.participants.map((p) => p.id));
    const channelOf = new Map(config.integrations.map((i) => [i.id, i.channel]));
    for (const event of tenMinutes()) {
      if (event.participant !== undefined)
        expect(participants, event.participant).toContain(event.participant);
      if (event.integration !== undefined)
        expect(channelOf.has(event.integration), event.integration).toBe(true);
      if (event.type === 'transaction') {
        expect(event.integration).toBeDefined();
        expect(event.data?.channel).toBe(channelOf.get(event.integration as string));
      }
    }
    const channels = new Set(
      tenMinutes().flatMap((e) => (e.type === 'transaction' ? [e.data?.channel] : [])),
    );
    expect(channels).toEqual(new Set(['web', 'marketplace', 'affiliate', 'b2b']));
  });

  it('report each onboarding stage of the script once', () => {
    const stages = tenMinutes()
      .filter((e) => e.type === 'participant.stage')
      .map((e) => ({ participant: e.participant, stage: e.data?.stage }));
    expect(stages).toEqual(ONBOARDING_SCRIPT.map(({ participant, stage }) => ({ participant, stage })));
  });

  it('close only tickets that were opened', () => {
    const opened = new Set<unknown>();
    for (const event of tenMinutes()) {
      if (event.type === 'ticket.opened') opened.add(event.data?.ticket);
      if (event.type === 'ticket.closed') expect(opened.has(event.data?.ticket)).toBe(true);
    }
  });
});
