import { lookup, Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { startPhaseClock } from './phase-clock.ts';
import { failed, succeeded } from './result.ts';
import type { DnsProbeSpec, Prober } from './types.ts';

type RecordType = DnsProbeSpec['recordType'];

/** How each record type is asked for and written as text. */
const QUERIES: Record<RecordType, (resolver: Resolver, name: string) => Promise<string[]>> = {
  A: (resolver, name) => resolver.resolve4(name),
  AAAA: (resolver, name) => resolver.resolve6(name),
  CNAME: (resolver, name) => resolver.resolveCname(name),
  NS: (resolver, name) => resolver.resolveNs(name),
  MX: async (resolver, name) => (await resolver.resolveMx(name)).map((mx) => `${mx.priority} ${mx.exchange}`),
  TXT: async (resolver, name) => (await resolver.resolveTxt(name)).map((chunks) => chunks.join('')),
  SRV: async (resolver, name) =>
    (await resolver.resolveSrv(name)).map((srv) => `${srv.priority} ${srv.weight} ${srv.port} ${srv.name}`),
};

const SERVER = /^\[(?<v6>[^\]]+)\](?::(?<v6port>\d+))?$|^(?<host>[^:]+)(?::(?<port>\d+))?$/;

/** `host`, `host:port` or `[v6]:port` as `setServers` takes it; a host name is looked up first. */
async function resolverAddresses(server: string): Promise<string[]> {
  const groups = SERVER.exec(server)?.groups;
  const host = groups?.v6 ?? groups?.host;
  const port = groups?.v6port ?? groups?.port;
  if (host === undefined || isIP(host)) return [server];
  const addresses = await lookup(host, { all: true });
  return addresses.map(({ address, family }) => {
    if (port === undefined) return address;
    return family === 6 ? `[${address}]:${port}` : `${address}:${port}`;
  });
}

const MAX_LISTED = 3;

function missingReason(missing: string[]): string {
  const listed = missing.slice(0, MAX_LISTED).join(', ');
  const more = missing.length > MAX_LISTED ? ` and ${missing.length - MAX_LISTED} more` : '';
  return `missing answer${missing.length > 1 ? 's' : ''} ${listed}${more}`;
}

const normalize = (answer: string): string => answer.toLowerCase().replace(/\.$/, '');

/**
 * The DNS prober: asks `server` (default: the system's resolvers) for `recordType` records of
 * `name`. A failed resolution is class `dns`; an `expect`ed answer that is missing is class
 * `condition` (names compare without case or trailing dot). The run's signal cancels the query.
 * @example
 * await dnsProber({ ...spec, name: 'api.example.com', recordType: 'A', expect: ['203.0.113.7'] }, { signal });
 */
export const dnsProber: Prober<DnsProbeSpec> = async (spec, ctx) => {
  ctx.signal.throwIfAborted();
  const clock = startPhaseClock();
  const resolver = new Resolver();
  const cancel = () => resolver.cancel();
  ctx.signal.addEventListener('abort', cancel, { once: true });
  let answers: string[];
  try {
    if (spec.server !== undefined) resolver.setServers(await resolverAddresses(spec.server));
    answers = await QUERIES[spec.recordType](resolver, spec.name);
  } finally {
    ctx.signal.removeEventListener('abort', cancel);
  }
  clock.mark('dns');
  const phases = clock.read();
  const present = new Set(answers.map(normalize));
  const missing = (spec.expect ?? []).filter((answer) => !present.has(normalize(answer)));
  if (missing.length > 0) return failed('condition', missingReason(missing), { phases, answers });
  return succeeded({ phases, answers });
};
