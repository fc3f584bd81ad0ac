import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Logger } from 'pino';

export interface HttpServer {
  /** The bound address, e.g. `http://127.0.0.1:9480`. */
  url: string;
  port: number;
  /** Stops accepting, lets in-flight requests finish for up to `timeoutMs`, then drops what is left. */
  close(timeoutMs: number): Promise<void>;
}

export interface HttpServerOptions {
  fetch: (request: Request) => Response | Promise<Response>;
  host: string;
  port: number;
  /** Upper bound on one request (Unix ms); slow clients are cut off. */
  requestTimeout: number;
  logger: Logger;
}

/** Listens with @hono/node-server; resolves once the port is bound, rejects if it cannot be. */
export function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: options.fetch, hostname: options.host, port: options.port },
      (info: AddressInfo) => {
        const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
        resolve({
          url: `http://${host}:${info.port}`,
          port: info.port,
          close: (timeoutMs) => close(timeoutMs),
        });
      },
    );
    const http = server as import('node:http').Server;
    http.requestTimeout = options.requestTimeout;
    http.headersTimeout = Math.min(options.requestTimeout, 60_000);
    http.keepAliveTimeout = 5_000;
    server.once('error', (error: NodeJS.ErrnoException) => {
      const reason =
        error.code === 'EADDRINUSE'
          ? `port ${options.port} on ${options.host} is already in use`
          : error.code === 'EACCES'
            ? `not allowed to listen on ${options.host}:${options.port}`
            : error.message;
      reject(new Error(`cannot listen: ${reason}`));
    });

    function close(timeoutMs: number): Promise<void> {
      return new Promise((done) => {
        // Keep-alive sockets go idle as their last response ends; close each as soon as it does.
        const idle = setInterval(() => http.closeIdleConnections(), 25);
        const timer = setTimeout(() => {
          options.logger.warn({ timeoutMs }, 'closing connections still open at shutdown');
          http.closeAllConnections();
        }, timeoutMs);
        http.close(() => {
          clearInterval(idle);
          clearTimeout(timer);
          done();
        });
        http.closeIdleConnections();
      });
    }
  });
}
