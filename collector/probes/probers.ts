import { dnsProber } from './dns.ts';
import { httpProber } from './http.ts';
import { tcpProber } from './tcp.ts';
import type { ProberMap } from './types.ts';

/**
 * The registered probers, one per protocol. Adding a protocol means a spec type in `types.ts`, a
 * prober file, and one line here.
 */
export const PROBERS: Readonly<ProberMap> = Object.freeze({
  http: httpProber,
  tcp: tcpProber,
  dns: dnsProber,
});
