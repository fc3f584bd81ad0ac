import type { MatchRule } from '../../src/config/catalog-schema.ts';
import { type Attributes, type DecodedSpan, SpanKind } from './types.ts';

/** An integration as the trace pipeline needs it from the catalog. */
export interface TraceIntegration {
  id: string;
  /** Calling system id. */
  from: string;
  /** Called system id. */
  to: string;
  match: MatchRule[];
}

export type MatchSide = 'client' | 'server';

/**
 * The side a span kind stands for: CLIENT and PRODUCER spans are the caller's `client` side,
 * SERVER and CONSUMER spans the callee's `server` side; INTERNAL and UNSPECIFIED spans are neither
 * and never match an integration.
 */
export function spanSide(kind: SpanKind): MatchSide | undefined {
  if (kind === SpanKind.CLIENT || kind === SpanKind.PRODUCER) return 'client';
  if (kind === SpanKind.SERVER || kind === SpanKind.CONSUMER) return 'server';
  return undefined;
}

/**
 * What matching reads from one span. Filled by {@link SpanMatcher.read} into one object reused
 * span after span, so matching allocates nothing.
 */
export interface SpanFacts {
  /** The emitting resource's `service.name`. */
  service: string | undefined;
  /** `server.address`, else `net.peer.name`, else `http.host` without its port. */
  serverAddress: string | undefined;
  peerService: string | undefined;
  /** `url.full`, else `http.url`. */
  url: string | undefined;
  httpRoute: string | undefined;
  rpcService: string | undefined;
  messagingDestination: string | undefined;
  spanName: string | undefined;
  /** The callee's `service.name` when known (peer.service, or the paired server span); client side only. */
  callee: string | undefined;
}

export function createSpanFacts(): SpanFacts {
  return {
    service: undefined,
    serverAddress: undefined,
    peerService: undefined,
    url: undefined,
    httpRoute: undefined,
    rpcService: undefined,
    messagingDestination: undefined,
    spanName: undefined,
    callee: undefined,
  };
}

/** One rule, flattened, with the catalog position of its integration. */
export interface CompiledRule {
  /** Position of the integration in the catalog: the lower wins when several match. */
  integrationIndex: number;
  integrationId: string;
  side: MatchSide;
  service: string | undefined;
  serverAddress: string | undefined;
  peerService: string | undefined;
  urlPrefix: string | undefined;
  httpRoute: string | undefined;
  rpcService: string | undefined;
  messagingDestination: string | undefined;
  spanName: string | undefined;
  calleeService: string | undefined;
}

/** Matches spans to integrations through an index compiled from the catalog's rules. */
export interface SpanMatcher {
  /** Integrations compiled, with or without rules. */
  readonly integrations: number;
  /** Rules compiled. */
  readonly rules: number;
  /**
   * Fills `facts` from `span` for a resource whose service.name is `service`. Attributes no rule
   * looks at are left undefined; `callee` is reset to undefined.
   */
  read(facts: SpanFacts, span: DecodedSpan, service: string | undefined): SpanFacts;
  /**
   * The rule of the first integration in catalog order with a rule that holds for this span, or
   * undefined. A `calleeService` field holds only when `facts.callee` is set and equal.
   */
  match(side: MatchSide, facts: SpanFacts): CompiledRule | undefined;
  /**
   * For a client span that matched nothing while its callee was unknown: the `calleeService`
   * rules whose other fields all hold, any of which could match once the callee is known. Safe
   * to keep; empty when none.
   */
  deferrable(facts: SpanFacts): readonly CompiledRule[];
}

/**
 * Among rules that held except for their callee (from {@link SpanMatcher.deferrable}), the one of
 * the first integration in catalog order whose `calleeService` is `callee`.
 */
export function matchCallee(candidates: readonly CompiledRule[], callee: string): CompiledRule | undefined {
  let best: CompiledRule | undefined;
  for (const rule of candidates)
    if (
      rule.calleeService === callee &&
      (best === undefined || rule.integrationIndex < best.integrationIndex)
    )
      best = rule;
  return best;
}

const NONE: readonly CompiledRule[] = Object.freeze([]);

function holds(rule: CompiledRule, f: SpanFacts, ignoreCallee: boolean): boolean {
  return (
    (rule.serverAddress === undefined || rule.serverAddress === f.serverAddress) &&
    (rule.peerService === undefined || rule.peerService === f.peerService) &&
    (rule.rpcService === undefined || rule.rpcService === f.rpcService) &&
    (rule.messagingDestination === undefined || rule.messagingDestination === f.messagingDestination) &&
    (rule.httpRoute === undefined || rule.httpRoute === f.httpRoute) &&
    (rule.spanName === undefined || rule.spanName === f.spanName) &&
    (rule.service === undefined || rule.service === f.service) &&
    (rule.urlPrefix === undefined || f.url?.startsWith(rule.urlPrefix) === true) &&
    (ignoreCallee || rule.calleeService === undefined || rule.calleeService === f.callee)
  );
}

/**
 * URL prefixes sorted, each linked to the longest other prefix that starts it. Every prefix of a
 * URL is then an ancestor of the greatest prefix not after the URL, so one binary search and a
 * short walk up find them all, exactly as `startsWith` would.
 */
interface PrefixIndex {
  prefixes: string[];
  rules: CompiledRule[][];
  parent: Int32Array;
}

function buildPrefixIndex(byPrefix: Map<string, CompiledRule[]>): PrefixIndex | undefined {
  if (byPrefix.size === 0) return undefined;
  const prefixes = [...byPrefix.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const rules = prefixes.map((p) => byPrefix.get(p) as CompiledRule[]);
  const parent = new Int32Array(prefixes.length);
  const chain: number[] = [];
  prefixes.forEach((prefix, i) => {
    while (chain.length > 0 && !prefix.startsWith(prefixes[chain.at(-1) as number] as string)) chain.pop();
    parent[i] = chain.length > 0 ? (chain.at(-1) as number) : -1;
    chain.push(i);
  });
  return { prefixes, rules, parent };
}

/**
 * Rules bucketed by their most selective exact field, in this order: serverAddress, peerService,
 * rpcService, messagingDestination, urlPrefix, httpRoute, spanName, calleeService, service. A span
 * looks up only the buckets of the values it carries, so matching costs a few map lookups
 * whatever the size of the catalog. Rules with none of these fields (only in the deferral index,
 * where calleeService is not a bucket) are checked for every span.
 */
interface RuleIndex {
  serverAddress: Map<string, CompiledRule[]>;
  peerService: Map<string, CompiledRule[]>;
  rpcService: Map<string, CompiledRule[]>;
  messagingDestination: Map<string, CompiledRule[]>;
  urlPrefix: PrefixIndex | undefined;
  httpRoute: Map<string, CompiledRule[]>;
  spanName: Map<string, CompiledRule[]>;
  calleeService: Map<string, CompiledRule[]>;
  service: Map<string, CompiledRule[]>;
  always: CompiledRule[];
}

function push(map: Map<string, CompiledRule[]>, key: string, rule: CompiledRule): void {
  const bucket = map.get(key);
  if (bucket === undefined) map.set(key, [rule]);
  else bucket.push(rule);
}

function buildIndex(rules: readonly CompiledRule[], bucketCallee: boolean): RuleIndex {
  const byPrefix = new Map<string, CompiledRule[]>();
  const index: RuleIndex = {
    serverAddress: new Map(),
    peerService: new Map(),
    rpcService: new Map(),
    messagingDestination: new Map(),
    urlPrefix: undefined,
    httpRoute: new Map(),
    spanName: new Map(),
    calleeService: new Map(),
    service: new Map(),
    always: [],
  };
  for (const rule of rules) {
    if (rule.serverAddress !== undefined) push(index.serverAddress, rule.serverAddress, rule);
    else if (rule.peerService !== undefined) push(index.peerService, rule.peerService, rule);
    else if (rule.rpcService !== undefined) push(index.rpcService, rule.rpcService, rule);
    else if (rule.messagingDestination !== undefined)
      push(index.messagingDestination, rule.messagingDestination, rule);
    else if (rule.urlPrefix !== undefined) push(byPrefix, rule.urlPrefix, rule);
    else if (rule.httpRoute !== undefined) push(index.httpRoute, rule.httpRoute, rule);
    else if (rule.spanName !== undefined) push(index.spanName, rule.spanName, rule);
    else if (bucketCallee && rule.calleeService !== undefined)
      push(index.calleeService, rule.calleeService, rule);
    else if (rule.service !== undefined) push(index.service, rule.service, rule);
    else index.always.push(rule);
  }
  index.urlPrefix = buildPrefixIndex(byPrefix);
  return index;
}

/** Buckets hold rules in catalog order, so a bucket is left at its first rule that holds or loses. */
function bestIn(
  bucket: CompiledRule[] | undefined,
  f: SpanFacts,
  best: CompiledRule | undefined,
): CompiledRule | undefined {
  if (bucket === undefined) return best;
  for (const rule of bucket) {
    if (best !== undefined && rule.integrationIndex >= best.integrationIndex) return best;
    if (holds(rule, f, false)) return rule;
  }
  return best;
}

function collectIn(bucket: CompiledRule[] | undefined, f: SpanFacts, out: CompiledRule[]): void {
  if (bucket === undefined) return;
  for (const rule of bucket) if (holds(rule, f, true)) out.push(rule);
}

function lookupExact(
  map: Map<string, CompiledRule[]>,
  value: string | undefined,
): CompiledRule[] | undefined {
  return value === undefined || map.size === 0 ? undefined : map.get(value);
}

/** Index of the greatest prefix that starts `url`, or -1. */
function longestPrefix(index: PrefixIndex, url: string): number {
  const { prefixes, parent } = index;
  let lo = 0;
  let hi = prefixes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((prefixes[mid] as string) <= url) lo = mid + 1;
    else hi = mid;
  }
  let i = lo - 1;
  while (i >= 0 && !url.startsWith(prefixes[i] as string)) i = parent[i] as number;
  return i;
}

function bestOf(index: RuleIndex, f: SpanFacts): CompiledRule | undefined {
  let best = bestIn(lookupExact(index.serverAddress, f.serverAddress), f, undefined);
  best = bestIn(lookupExact(index.peerService, f.peerService), f, best);
  best = bestIn(lookupExact(index.rpcService, f.rpcService), f, best);
  best = bestIn(lookupExact(index.messagingDestination, f.messagingDestination), f, best);
  if (index.urlPrefix !== undefined && f.url !== undefined)
    for (let i = longestPrefix(index.urlPrefix, f.url); i >= 0; i = index.urlPrefix.parent[i] as number)
      best = bestIn(index.urlPrefix.rules[i], f, best);
  best = bestIn(lookupExact(index.httpRoute, f.httpRoute), f, best);
  best = bestIn(lookupExact(index.spanName, f.spanName), f, best);
  best = bestIn(lookupExact(index.calleeService, f.callee), f, best);
  best = bestIn(lookupExact(index.service, f.service), f, best);
  return index.always.length > 0 ? bestIn(index.always, f, best) : best;
}

function collectAll(index: RuleIndex, f: SpanFacts, out: CompiledRule[]): void {
  collectIn(lookupExact(index.serverAddress, f.serverAddress), f, out);
  collectIn(lookupExact(index.peerService, f.peerService), f, out);
  collectIn(lookupExact(index.rpcService, f.rpcService), f, out);
  collectIn(lookupExact(index.messagingDestination, f.messagingDestination), f, out);
  if (index.urlPrefix !== undefined && f.url !== undefined)
    for (let i = longestPrefix(index.urlPrefix, f.url); i >= 0; i = index.urlPrefix.parent[i] as number)
      collectIn(index.urlPrefix.rules[i], f, out);
  collectIn(lookupExact(index.httpRoute, f.httpRoute), f, out);
  collectIn(lookupExact(index.spanName, f.spanName), f, out);
  collectIn(lookupExact(index.service, f.service), f, out);
  collectIn(index.always, f, out);
}

function text(attributes: Attributes, key: string): string | undefined {
  const value = attributes[key];
  return typeof value === 'string' ? value : undefined;
}

/** `host:port` → `host`, `[::1]:8080` → `::1`; a bare IPv6 address is kept whole. */
export function stripPort(hostPort: string): string {
  if (hostPort.startsWith('[')) {
    const end = hostPort.indexOf(']');
    return end > 0 ? hostPort.slice(1, end) : hostPort;
  }
  const colon = hostPort.indexOf(':');
  return colon >= 0 && hostPort.indexOf(':', colon + 1) < 0 ? hostPort.slice(0, colon) : hostPort;
}

function compileRule(rule: MatchRule, integrationIndex: number, integrationId: string): CompiledRule {
  return {
    integrationIndex,
    integrationId,
    side: rule.side ?? 'client',
    service: rule.service,
    serverAddress: rule.serverAddress,
    peerService: rule.peerService,
    urlPrefix: rule.urlPrefix,
    httpRoute: rule.httpRoute,
    rpcService: rule.rpcService,
    messagingDestination: rule.messagingDestination,
    spanName: rule.spanName,
    // The schema allows calleeService on client rules only; a server rule never learns a callee.
    calleeService: rule.side === 'server' ? undefined : rule.calleeService,
  };
}

/**
 * Compiles the catalog's match rules into an index per side. When rules of several integrations
 * hold for one span, the integration listed first in the catalog wins, so adding an integration
 * at the end never takes spans from an existing one.
 * @example
 * const matcher = compileMatcher(catalog.integrations);
 * const facts = matcher.read(createSpanFacts(), span, resource.serviceName);
 * matcher.match('client', facts)?.integrationId;
 */
export function compileMatcher(integrations: readonly TraceIntegration[]): SpanMatcher {
  const client: CompiledRule[] = [];
  const server: CompiledRule[] = [];
  integrations.forEach((integration, index) => {
    for (const rule of integration.match) {
      const compiled = compileRule(rule, index, integration.id);
      (compiled.side === 'server' ? server : client).push(compiled);
    }
  });
  const all = [...client, ...server];
  const uses = (field: keyof CompiledRule) => all.some((rule) => rule[field] !== undefined);
  const reads = {
    serverAddress: uses('serverAddress'),
    url: uses('urlPrefix'),
    httpRoute: uses('httpRoute'),
    rpcService: uses('rpcService'),
    messagingDestination: uses('messagingDestination'),
  };
  const clientIndex = buildIndex(client, true);
  const serverIndex = buildIndex(server, false);
  const deferralIndex = buildIndex(
    client.filter((rule) => rule.calleeService !== undefined),
    false,
  );
  const hasDeferral = client.some((rule) => rule.calleeService !== undefined);

  return {
    integrations: integrations.length,
    rules: all.length,
    read(facts, span, service) {
      const a = span.attributes;
      facts.service = service;
      facts.spanName = span.name;
      facts.callee = undefined;
      if (reads.serverAddress) {
        let address = text(a, 'server.address') ?? text(a, 'net.peer.name');
        if (address === undefined) {
          const host = text(a, 'http.host');
          if (host !== undefined) address = stripPort(host);
        }
        facts.serverAddress = address;
      } else facts.serverAddress = undefined;
      // Always read: it names the callee for calleeService rules and discovered edges.
      facts.peerService = text(a, 'peer.service');
      facts.url = reads.url ? (text(a, 'url.full') ?? text(a, 'http.url')) : undefined;
      facts.httpRoute = reads.httpRoute ? text(a, 'http.route') : undefined;
      facts.rpcService = reads.rpcService ? text(a, 'rpc.service') : undefined;
      facts.messagingDestination = reads.messagingDestination
        ? text(a, 'messaging.destination.name')
        : undefined;
      return facts;
    },
    match(side, facts) {
      return bestOf(side === 'client' ? clientIndex : serverIndex, facts);
    },
    deferrable(facts) {
      if (!hasDeferral) return NONE;
      const out: CompiledRule[] = [];
      collectAll(deferralIndex, facts, out);
      return out.length > 0 ? out : NONE;
    },
  };
}
