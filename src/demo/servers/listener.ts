import type { AddressInfo, Server, Socket } from 'node:net';
import { TLSSocket } from 'node:tls';

/**
 * A port the simulator holds. `pause` stops listening (new connections are refused) and drops
 * open ones; `resume` listens again on the same port; `close` is final.
 */
export interface Listener {
  /** The bound port (the chosen one when started on port 0). */
  port: number;
  isListening(): boolean;
  pause(): Promise<void>;
  resume(): Promise<void>;
  close(): Promise<void>;
}

/** Most connections one simulated TCP, HTTP or HTTPS listener holds at once. */
export const MAX_CONNECTIONS = 256;

/**
 * Binds a `net.Server` (plain, HTTP or HTTPS) to `host`:`port` and wraps it as a {@link Listener}
 * that tracks its sockets, so pausing or closing never leaves a connection open.
 */
export async function listenNetServer(server: Server, host: string, port: number): Promise<Listener> {
  const sockets = new Set<Socket>();
  server.maxConnections = MAX_CONNECTIONS;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  let closed = false;
  const bound = await listen(server, host, port);

  async function pause(): Promise<void> {
    if (!server.listening) return;
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await stopped;
  }

  return {
    port: bound,
    isListening: () => server.listening,
    pause,
    async resume() {
      if (!closed && !server.listening) await listen(server, host, bound);
    },
    async close() {
      closed = true;
      await pause();
    },
  };
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port, exclusive: true });
  });
}

/**
 * Drops a connection with a TCP reset (RST), or for TLS sockets, which cannot send one from
 * Node, by destroying the socket at once.
 */
export function resetConnection(socket: Socket): void {
  if (socket instanceof TLSSocket) socket.destroy();
  else socket.resetAndDestroy();
}
