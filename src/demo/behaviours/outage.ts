import type { Behaviour } from './types.ts';

export interface OutageOptions {
  /** Length of one cycle, ms (default 15 min); cycles start on the epoch, so on the hour. */
  everyMs?: number;
  /** Length of the outage at the start of each cycle, ms (default 3 min). */
  forMs?: number;
}

const MINUTE = 60_000;
const DEFAULTS = { everyMs: 15 * MINUTE, forMs: 3 * MINUTE };

/** Whether `now` (Unix ms) falls in an outage window: by default minutes 0-2, 15-17, 30-32, 45-47. */
export function inOutage(now: number, options: OutageOptions = {}): boolean {
  const { everyMs, forMs } = { ...DEFAULTS, ...options };
  return ((now % everyMs) + everyMs) % everyMs < forMs;
}

/**
 * Takes `serving` down on a schedule: during the window the endpoint's listener stops listening,
 * so connections are refused (failure class `connect_refused`) rather than left to time out,
 * which is quicker to see and needs no held sockets. Outside it, `serving` answers as usual.
 * Windows follow the injected clock; minutes of the hour are the same in UTC and in every local
 * time zone (all offsets are whole quarter hours).
 *
 * @example
 * outage(healthy(tools)); // refuses minutes 0-2, 15-17, 30-32 and 45-47 of each hour
 */
export function outage(serving: Behaviour, options: OutageOptions = {}): Behaviour {
  const { everyMs, forMs } = { ...DEFAULTS, ...options };
  return {
    ...serving,
    name: 'outage',
    summary: `refuses connections for the first ${forMs / MINUTE} min of every ${everyMs / MINUTE} min; otherwise ${serving.summary}`,
    isListening: (now) => !inOutage(now, { everyMs, forMs }) && (serving.isListening?.(now) ?? true),
  };
}
