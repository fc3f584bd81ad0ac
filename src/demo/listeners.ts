import type { Logger } from 'pino';
import type { Behaviour } from './behaviours/types.ts';
import type { EndpointDefinition, Protocol } from './endpoint.ts';
import { startDnsListener } from './servers/dns-listener.ts';
import { startHttpListener } from './servers/http-listener.ts';
import type { Listener } from './servers/listener.ts';
import { startTcpListener } from './servers/tcp-listener.ts';

/** An endpoint definition with its behaviour created. */
export interface BuiltEndpoint {
  definition: EndpointDefinition;
  behaviour: Behaviour;
}

/** What every listener needs besides its endpoints. */
export interface ListenerContext {
  /** The listener's name, for error messages. */
  name: string;
  host: string;
  port: number;
  now: () => number;
  logger: Logger;
}

type StartListener = (endpoints: readonly BuiltEndpoint[], context: ListenerContext) => Promise<Listener>;

function startHttp(
  endpoints: readonly BuiltEndpoint[],
  context: ListenerContext,
  tls: boolean,
): Promise<Listener> {
  const routes = new Map<string, Behaviour>();
  for (const { definition, behaviour } of endpoints) {
    if (!definition.path?.startsWith('/') || routes.has(definition.path))
      throw new Error(`demo simulator: endpoint ${definition.id} needs a path of its own on ${context.name}`);
    routes.set(definition.path, behaviour);
  }
  const certificate = endpoints.find((e) => e.behaviour.certificate)?.behaviour.certificate;
  if (tls && !certificate)
    throw new Error(`demo simulator: https listener ${context.name} has no endpoint with a certificate`);
  return startHttpListener({ ...context, routes, tls: tls ? certificate : undefined });
}

/** Starts a listener of each protocol for the endpoints that share it; one entry per protocol. */
export const LISTENER_STARTERS: Readonly<Record<Protocol, StartListener>> = {
  http: (endpoints, context) => startHttp(endpoints, context, false),
  https: (endpoints, context) => startHttp(endpoints, context, true),
  tcp(endpoints, context) {
    const [only, ...others] = endpoints;
    if (!only || others.length > 0)
      throw new Error(`demo simulator: tcp listener ${context.name} needs exactly one endpoint`);
    return startTcpListener({ ...context, behaviour: only.behaviour, greeting: only.definition.greeting });
  },
  dns(endpoints, context) {
    const records = new Map(
      endpoints.map(({ definition, behaviour }) => {
        if (!definition.name) throw new Error(`demo simulator: dns endpoint ${definition.id} needs a name`);
        const name = definition.name.toLowerCase().replace(/\.$/, '');
        return [name, { addresses: definition.addresses ?? ['127.0.0.1'], behaviour }];
      }),
    );
    return startDnsListener({ ...context, records });
  },
};
