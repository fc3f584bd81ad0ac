import type { LookupFunction } from 'node:net';
import type { SecureContext } from 'node:tls';
import { type ExchangeResponse, exchange } from './http-exchange.ts';
import { type HopRequest, isRedirect, MAX_REDIRECTS, nextHop } from './http-redirect.ts';
import { statusAccepted, statusReason } from './http-status.ts';
import { startPhaseClock } from './phase-clock.ts';
import { failed, type ProbeMeasurements, succeeded } from './result.ts';
import { createTlsContextCache, type TlsContextCache, TlsFilesError } from './tls-context.ts';
import type { HttpProbeSpec, ProbeResult, Prober } from './types.ts';

/** Options of {@link createHttpProber}. */
export interface HttpProberOptions {
  /** Resolves host names (default: Node's `dns.lookup`, the system resolver). */
  lookup?: LookupFunction;
  /** Where client certificates, keys and CA bundles are loaded and cached (default: a new cache). */
  tlsContexts?: TlsContextCache;
}

/** Sent unless the spec sets its own User-Agent. */
export const HTTP_USER_AGENT = 'ecotone-probe';

function withUserAgent(headers: Record<string, string>): Record<string, string> {
  const hasUserAgent = Object.keys(headers).some((name) => name.toLowerCase() === 'user-agent');
  return hasUserAgent ? headers : { 'user-agent': HTTP_USER_AGENT, ...headers };
}

function measurements(response: ExchangeResponse): ProbeMeasurements {
  return { phases: response.phases, statusCode: response.status, tlsExpiresAt: response.tlsExpiresAt };
}

function verdict(spec: HttpProbeSpec, response: ExchangeResponse): ProbeResult {
  if (!statusAccepted(response.status, spec.expectStatus)) {
    return failed('status', statusReason(response.status, spec.expectStatus), measurements(response));
  }
  if (response.bodyTooLarge) {
    return failed('body_too_large', `body over ${spec.maxBodyBytes} bytes`, measurements(response));
  }
  return succeeded({ ...measurements(response), body: response.body ?? '' });
}

/**
 * Creates the HTTP prober: one request per hop on a fresh connection (so timings include DNS,
 * connect and TLS), redirects followed up to {@link MAX_REDIRECTS}, the final status checked
 * against `expectStatus`, and the body read up to `maxBodyBytes`. Phases are those of the final
 * hop, in ms from the start of the run.
 * @example
 * const prober = createHttpProber();
 * const result = await prober(spec, { signal: AbortSignal.timeout(spec.timeout) });
 */
export function createHttpProber(options: HttpProberOptions = {}): Prober<HttpProbeSpec> {
  const tlsContexts = options.tlsContexts ?? createTlsContextCache();
  return async (spec, ctx) => {
    const start = performance.now();
    let secureContext: SecureContext | undefined;
    try {
      secureContext = await tlsContexts.get(spec.tls);
    } catch (error) {
      return failed('tls', error instanceof TlsFilesError ? error.message : 'cannot load tls files');
    }
    let request: HopRequest = {
      url: new URL(spec.url),
      method: spec.method,
      headers: withUserAgent(spec.headers),
      body: spec.body,
    };
    for (let redirects = 0; ; redirects++) {
      const response = await exchange({
        request,
        clock: startPhaseClock(start),
        signal: ctx.signal,
        verifyTls: spec.tls.verify,
        secureContext,
        lookup: options.lookup,
        maxBodyBytes: spec.maxBodyBytes,
        wantsBody: (status, location) =>
          !(spec.followRedirects && isRedirect(status, location)) &&
          statusAccepted(status, spec.expectStatus),
      });
      const step = spec.followRedirects ? nextHop(request, response.status, response.location) : undefined;
      if (step?.kind === 'invalid') return failed('other', step.reason, measurements(response));
      if (step?.kind !== 'follow') return verdict(spec, response);
      if (redirects === MAX_REDIRECTS) {
        return failed('other', `more than ${MAX_REDIRECTS} redirects`, measurements(response));
      }
      request = step.request;
    }
  };
}

/** The HTTP prober with Node's resolver and its own TLS file cache. */
export const httpProber: Prober<HttpProbeSpec> = createHttpProber();
