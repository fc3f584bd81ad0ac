import type { Socket } from 'node:net';
import type { ProbePhases } from './types.ts';

/** A phase that ends at a moment of the run; `total` is taken when the clock is read. */
export type Phase = Exclude<keyof ProbePhases, 'total'>;

/** Records when each phase of a run ended, in ms from the run's start. */
export interface PhaseClock {
  /** Records the end of `phase` now; the first mark of a phase wins. */
  mark(phase: Phase): void;
  /** The phases marked so far, with `total` set to now. */
  read(): ProbePhases;
}

/** Rounds a duration in ms to the microsecond. */
export const roundMs = (ms: number): number => Math.round(ms * 1000) / 1000;

/**
 * Starts a clock for one run (or one redirect hop of it).
 * @param start `performance.now()` at the run's start (default: now), so hops share one origin.
 */
export function startPhaseClock(start: number = performance.now()): PhaseClock {
  const phases: Partial<ProbePhases> = {};
  return {
    mark(phase) {
      phases[phase] ??= roundMs(performance.now() - start);
    },
    read() {
      return { ...phases, total: roundMs(performance.now() - start) };
    },
  };
}

/** Marks `dns` on the socket's lookup, `connect` on its TCP connect and `tls` on its handshake. */
export function watchSocketPhases(socket: Socket, clock: PhaseClock): void {
  socket.once('lookup', (error: Error | null) => {
    if (!error) clock.mark('dns');
  });
  socket.once('connect', () => clock.mark('connect'));
  socket.once('secureConnect', () => clock.mark('tls'));
}
