/**
 * Active probes, blackbox_exporter style: one prober per protocol in {@link PROBERS}, and
 * {@link runProbe} doing the shared work (timeout, duration, conditions, failure classes).
 * @example
 * import { runProbe } from './collector/probes/index.ts';
 * const result = await runProbe(spec, { signal });
 */
export { type ClassifyContext, classifyError, classifyFailure } from './classify.ts';
export { dnsProber } from './dns.ts';
export { createHttpProber, HTTP_USER_AGENT, type HttpProberOptions, httpProber } from './http.ts';
export { MAX_REDIRECTS } from './http-redirect.ts';
export { PROBERS } from './probers.ts';
export { ProbeError, type ProbeMeasurements } from './result.ts';
export { ABORT_GRACE_MS, type RunProbeOptions, runProbe } from './run-probe.ts';
export { createTcpProber, type TcpProberOptions, tcpProber } from './tcp.ts';
export { createTlsContextCache, type TlsContextCache, type TlsContextCacheOptions } from './tls-context.ts';
export * from './types.ts';
