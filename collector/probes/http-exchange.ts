import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { SecureContext, TLSSocket } from 'node:tls';
import type { HopRequest } from './http-redirect.ts';
import { type PhaseClock, watchSocketPhases } from './phase-clock.ts';
import { ProbeError } from './result.ts';
import type { ProbePhases } from './types.ts';

/** One request/response on a fresh connection, so its timings include DNS, connect and TLS. */
export interface ExchangeOptions {
  request: HopRequest;
  clock: PhaseClock;
  signal: AbortSignal;
  /** Verify the server's certificate chain and name. */
  verifyTls: boolean;
  secureContext?: SecureContext | undefined;
  lookup?: LookupFunction | undefined;
  /** Most body bytes read; past it the socket is destroyed and `bodyTooLarge` is set. */
  maxBodyBytes: number;
  /** Whether to read the body of a response with this status and Location (else it is dropped). */
  wantsBody: (status: number, location: string | undefined) => boolean;
}

/** What came back: the status, and the body when it was wanted and fit in `maxBodyBytes`. */
export interface ExchangeResponse {
  status: number;
  location?: string | undefined;
  phases: ProbePhases;
  tlsExpiresAt?: number | undefined;
  body?: string | undefined;
  bodyTooLarge?: boolean;
}

function certificateExpiry(socket: TLSSocket): number | undefined {
  const validTo = socket.getPeerCertificate()?.valid_to;
  const expiresAt = validTo ? Date.parse(validTo) : Number.NaN;
  return Number.isFinite(expiresAt) ? expiresAt : undefined;
}

const prematureClose = (): Error => Object.assign(new Error('aborted'), { code: 'ECONNRESET' as const });

/**
 * Sends one request and reads its response. Rejects with a {@link ProbeError} holding the phases
 * measured so far when the connection fails or the signal aborts.
 */
export function exchange(options: ExchangeOptions): Promise<ExchangeResponse> {
  const { request, clock, maxBodyBytes } = options;
  return new Promise((resolve, reject) => {
    let status: number | undefined;
    let tlsExpiresAt: number | undefined;
    const fail = (error: unknown) =>
      reject(new ProbeError(error, { phases: clock.read(), statusCode: status, tlsExpiresAt }));
    const done = (response: IncomingMessage, rest: Partial<ExchangeResponse> = {}) =>
      resolve({
        status: response.statusCode ?? 0,
        location: response.headers.location,
        phases: clock.read(),
        tlsExpiresAt,
        ...rest,
      });

    const client = request.url.protocol === 'https:' ? https : http;
    let outgoing: http.ClientRequest;
    try {
      outgoing = client.request(request.url, {
        method: request.method,
        headers: request.headers,
        agent: false,
        signal: options.signal,
        rejectUnauthorized: options.verifyTls,
        ...(options.secureContext && { secureContext: options.secureContext }),
        ...(options.lookup && { lookup: options.lookup }),
      });
    } catch (error) {
      fail(error);
      return;
    }

    outgoing.on('socket', (socket) => {
      watchSocketPhases(socket, clock);
      socket.once('secureConnect', () => {
        tlsExpiresAt = certificateExpiry(socket as TLSSocket);
      });
    });
    outgoing.on('error', fail);
    outgoing.on('response', (response) => {
      clock.mark('firstByte');
      status = response.statusCode ?? 0;
      response.on('error', fail);
      if (!options.wantsBody(status, response.headers.location)) {
        done(response);
        outgoing.destroy();
        return;
      }
      const tooLarge = () => {
        done(response, { bodyTooLarge: true });
        outgoing.destroy();
      };
      if (request.method !== 'HEAD' && Number(response.headers['content-length'] ?? 0) > maxBodyBytes) {
        tooLarge();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBodyBytes) tooLarge();
        else chunks.push(chunk);
      });
      response.on('end', () => done(response, { body: Buffer.concat(chunks).toString('utf8') }));
      response.on('close', () => {
        if (!response.complete) fail(prematureClose());
      });
    });
    outgoing.end(request.body);
  });
}
