import type { EventType } from '../../../collector/events/types.ts';

/**
 * One business event as a producer sends it to `POST /v1/events` (a plain JSON event, see
 * docs/events.md): the id is unique per event, and the time is when it happened.
 */
export interface DemoEvent {
  id: string;
  type: EventType;
  /** RFC 3339, UTC. */
  time: string;
  source: string;
  participant?: string;
  integration?: string;
  data?: Record<string, unknown>;
}

export interface EventFields {
  source: string;
  participant?: string;
  integration?: string;
  data?: Record<string, unknown>;
}

/** Makes events with ids unique per run and times from the clock. */
export interface EventFactory {
  make(type: EventType, fields: EventFields): DemoEvent;
}

/**
 * Event ids are `${runId}-${n}`, n counting from 1: a run id unique per start keeps ids unique
 * across restarts on the same store, where reusing an id would be a duplicate or a conflict.
 * @example
 * const events = createEventFactory({ runId: 'demo-m3x9k2-1a', now: Date.now });
 * events.make('user.active', { source: '/storefront', data: { user: 'usr-1042' } }).id; // 'demo-m3x9k2-1a-1'
 */
export function createEventFactory(options: { runId: string; now: () => number }): EventFactory {
  let sequence = 0;
  return {
    make(type, fields) {
      sequence++;
      const event: DemoEvent = {
        id: `${options.runId}-${sequence}`,
        type,
        time: new Date(options.now()).toISOString(),
        source: fields.source,
      };
      if (fields.participant !== undefined) event.participant = fields.participant;
      if (fields.integration !== undefined) event.integration = fields.integration;
      if (fields.data !== undefined) event.data = fields.data;
      return event;
    },
  };
}

/**
 * A run id from the start time and the seed: lowercase base-36, e.g. `demo-mhx2k9qz-3kq1`.
 * Two starts in the same millisecond with the same seed would share it; nothing else does.
 */
export function runIdOf(startMs: number, seed: number): string {
  return `demo-${Math.floor(startMs).toString(36)}-${(seed >>> 0).toString(36)}`;
}
