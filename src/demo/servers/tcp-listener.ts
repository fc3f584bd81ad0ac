import { createServer, type Socket } from 'node:net';
import type { Logger } from 'pino';
import type { Behaviour } from '../behaviours/types.ts';
import { type Listener, listenNetServer } from './listener.ts';

export interface TcpListenerOptions {
  host: string;
  /** Port to bind; 0 picks a free one. */
  port: number;
  behaviour: Behaviour;
  /** Written to each accepted connection after the answer's delay, e.g. an SSH banner. */
  greeting?: string;
  /** Clock (Unix ms) passed to the behaviour. */
  now: () => number;
  logger: Logger;
  /** An idle connection is ended after this long, ms (default 30 000). */
  idleTimeoutMs?: number;
}

/**
 * Accepts TCP connections as its behaviour decides: a `reply` keeps the connection (greeting it,
 * or closing it at once when the status is 5xx), a `reset` resets it. Whatever the peer sends is
 * read and discarded.
 */
export function startTcpListener(options: TcpListenerOptions): Promise<Listener> {
  const { behaviour, greeting, now, logger } = options;
  const server = createServer((socket: Socket) => {
    socket.on('error', () => {});
    socket.setTimeout(options.idleTimeoutMs ?? 30_000, () => socket.end());
    socket.resume();
    const answer = behaviour.answer(now());
    logger.debug({ behaviour: behaviour.name, answer: answer.kind }, 'simulated connection');
    const timer = setTimeout(() => {
      if (answer.kind === 'reset') socket.resetAndDestroy();
      else if (answer.status >= 500) socket.end();
      else if (greeting !== undefined) socket.write(greeting);
    }, answer.delayMs);
    socket.once('close', () => clearTimeout(timer));
  });
  return listenNetServer(server, options.host, options.port);
}
