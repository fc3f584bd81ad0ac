import type { Logger } from 'pino';
import type { Behaviour } from './behaviours/types.ts';
import type { Listener } from './servers/listener.ts';

/** A listener and the behaviours of the endpoints on it. */
export interface WatchedListener {
  name: string;
  listener: Listener;
  behaviours: readonly Behaviour[];
}

export interface AvailabilityOptions {
  listeners: readonly WatchedListener[];
  /** Clock (Unix ms). */
  now: () => number;
  /** How often the clock is checked, ms. */
  checkEveryMs: number;
  logger: Logger;
}

export interface Availability {
  /** Pauses or resumes each listener as its behaviours say at the clock's now. */
  refresh(): Promise<void>;
  /** Stops checking; waits for a pause or resume in progress. */
  stop(): Promise<void>;
}

/**
 * Keeps each listener listening only while every behaviour on it agrees (see
 * `behaviours/outage.ts`). Checks run one at a time; a failed resume is logged and retried on
 * the next check, never thrown.
 */
export function watchAvailability(options: AvailabilityOptions): Availability {
  const { now, logger } = options;
  const watched = options.listeners.filter((entry) => entry.behaviours.some((b) => b.isListening));
  let queue = Promise.resolve();

  async function apply(): Promise<void> {
    const at = now();
    for (const { name, listener, behaviours } of watched) {
      const wanted = behaviours.every((b) => b.isListening?.(at) ?? true);
      if (wanted === listener.isListening()) continue;
      try {
        if (wanted) await listener.resume();
        else await listener.pause();
        logger.info(
          { listener: name, port: listener.port, at: new Date(at).toISOString() },
          wanted ? 'simulated outage over: listening again' : 'simulated outage: refusing connections',
        );
      } catch (error) {
        logger.warn(
          { err: error, listener: name, port: listener.port },
          'simulated listener could not resume',
        );
      }
    }
  }

  const refresh = () => {
    queue = queue.then(apply);
    return queue;
  };
  const timer = watched.length > 0 ? setInterval(refresh, options.checkEveryMs) : undefined;
  timer?.unref();
  return {
    refresh,
    async stop() {
      clearInterval(timer);
      await queue;
    },
  };
}
