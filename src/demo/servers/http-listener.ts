import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Logger } from 'pino';
import type { Behaviour, Certificate } from '../behaviours/types.ts';
import { type Listener, listenNetServer, resetConnection } from './listener.ts';

export interface HttpListenerOptions {
  host: string;
  /** Port to bind; 0 picks a free one. */
  port: number;
  /** Behaviour per path (query strings are ignored); other paths answer 404. */
  routes: ReadonlyMap<string, Behaviour>;
  /** Serve HTTPS with this certificate; plain HTTP when absent. */
  tls?: Certificate;
  /** Clock (Unix ms) passed to each behaviour. */
  now: () => number;
  logger: Logger;
}

/** Longest a client may take to send a request, ms. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Serves GET and HEAD on each route with its behaviour's answer: a JSON body after the answer's
 * delay, or a TCP reset. A pending delayed answer is dropped when its connection closes.
 */
export function startHttpListener(options: HttpListenerOptions): Promise<Listener> {
  const { routes, now, logger } = options;
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '/').split('?')[0] as string;
    const behaviour = routes.get(path);
    if (!behaviour) return send(response, request, 404, { error: `no simulated endpoint at ${path}` });
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      return send(response, request, 405, { error: 'only GET and HEAD are simulated' });
    }
    const answer = behaviour.answer(now());
    logger.debug({ path, behaviour: behaviour.name, answer: answer.kind }, 'simulated request');
    const timer = setTimeout(() => {
      if (answer.kind === 'reset') resetConnection(request.socket);
      else send(response, request, answer.status, answer.body);
    }, answer.delayMs);
    response.once('close', () => clearTimeout(timer));
  };
  const server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, handle)
    : createHttpServer(handle);
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.headersTimeout = REQUEST_TIMEOUT_MS / 2;
  server.keepAliveTimeout = 5_000;
  return listenNetServer(server, options.host, options.port);
}

function send(response: ServerResponse, request: IncomingMessage, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(request.method === 'HEAD' ? undefined : text);
}
