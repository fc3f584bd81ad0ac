import type { BehaviourFactory } from './behaviours/types.ts';

/** Protocols the simulator speaks. */
export type Protocol = 'http' | 'https' | 'tcp' | 'dns';

/** A port the simulator listens on; endpoints share it (HTTP paths, DNS names) or own it (TCP). */
export interface ListenerDefinition {
  protocol: Protocol;
  /** Port used when the caller does not choose one. */
  port: number;
}

/** Which part of an endpoint's address an environment variable of the example receives. */
export type AddressPart = 'url' | 'host' | 'port' | 'name' | 'server';

/** One simulated partner endpoint, standing in for the probe target of one integration. */
export interface EndpointDefinition<L extends string = string> {
  /** Stable id, e.g. "psp-health". */
  id: string;
  /** Id of the example's integration whose probe this endpoint answers. */
  integration: string;
  listener: L;
  /** HTTP path (http and https listeners), e.g. "/psp/health". */
  path?: string;
  /** Name answered with A records (dns listeners), e.g. "api.kestrel-parcel.example". */
  name?: string;
  /** IPv4 addresses answered for `name` (default ["127.0.0.1"]). */
  addresses?: string[];
  /** Text written to each new connection (tcp listeners), e.g. an SSH banner. */
  greeting?: string;
  /** Environment variables of the example that point its probe here, e.g. { PSP_HEALTH_URL: 'url' }. */
  env: Readonly<Record<string, AddressPart>>;
  behaviour: BehaviourFactory;
}

/** Where a running endpoint can be reached. */
export interface EndpointAddress {
  protocol: Protocol;
  host: string;
  port: number;
  /** `http(s)://host:port/path` for HTTP endpoints, `host:port` for TCP, the name for DNS. */
  target: string;
  /** `host:port` with IPv6 hosts in brackets: the form of a DNS probe's `server`. */
  server: string;
}

/** The address of `endpoint` on a listener bound to `host`:`port`. */
export function addressOf(
  endpoint: EndpointDefinition,
  protocol: Protocol,
  host: string,
  port: number,
): EndpointAddress {
  const server = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const target =
    protocol === 'http' || protocol === 'https'
      ? `${protocol}://${server}${endpoint.path ?? '/'}`
      : protocol === 'dns'
        ? (endpoint.name ?? '')
        : server;
  return { protocol, host, port, target, server };
}

/** The environment variables that point the example's probe at `address`. */
export function envOf(endpoint: EndpointDefinition, address: EndpointAddress): Record<string, string> {
  const parts: Record<AddressPart, string> = {
    url: address.target,
    host: address.host,
    port: String(address.port),
    name: endpoint.name ?? '',
    server: address.server,
  };
  return Object.fromEntries(Object.entries(endpoint.env).map(([name, part]) => [name, parts[part]]));
}
