import { describe, expect, it } from 'vitest';
import type { MatchRule } from '../../src/config/catalog-schema.ts';
import {
  type CompiledRule,
  compileMatcher,
  createSpanFacts,
  type MatchSide,
  matchCallee,
  spanSide,
  stripPort,
  type TraceIntegration,
} from './match.ts';
import { integration, span } from './test-spans.ts';
import { type Attributes, type DecodedSpan, SpanKind } from './types.ts';

function matchOne(
  integrations: TraceIntegration[],
  s: DecodedSpan,
  service: string | undefined,
  callee?: string,
): string | undefined {
  const matcher = compileMatcher(integrations);
  const facts = matcher.read(createSpanFacts(), s, service);
  facts.callee = callee;
  const side = spanSide(s.kind);
  return side === undefined ? undefined : matcher.match(side, facts)?.integrationId;
}

describe('spanSide', () => {
  it.each([
    [SpanKind.CLIENT, 'client'],
    [SpanKind.PRODUCER, 'client'],
    [SpanKind.SERVER, 'server'],
    [SpanKind.CONSUMER, 'server'],
    [SpanKind.INTERNAL, undefined],
    [SpanKind.UNSPECIFIED, undefined],
  ])('kind %d is %s', (kind, side) => {
    expect(spanSide(kind)).toBe(side);
  });
});

describe('stripPort', () => {
  it.each([
    ['api.example.com', 'api.example.com'],
    ['api.example.com:8443', 'api.example.com'],
    ['[::1]:8080', '::1'],
    ['[2001:db8::1]', '2001:db8::1'],
    ['2001:db8::1', '2001:db8::1'],
  ])('%s → %s', (input, host) => {
    expect(stripPort(input)).toBe(host);
  });
});

describe('match rule fields', () => {
  const cases: [string, Partial<MatchRule>, Partial<DecodedSpan>, string | undefined, boolean][] = [
    ['service equals the resource service.name', { service: 'shop' }, {}, 'shop', true],
    ['service differs', { service: 'shop' }, {}, 'crm', false],
    ['service on a resource without one', { service: 'shop' }, {}, undefined, false],
    [
      'serverAddress from server.address',
      { serverAddress: 'api.psp.com' },
      { attributes: { 'server.address': 'api.psp.com' } },
      'shop',
      true,
    ],
    [
      'serverAddress from net.peer.name',
      { serverAddress: 'api.psp.com' },
      { attributes: { 'net.peer.name': 'api.psp.com' } },
      'shop',
      true,
    ],
    [
      'serverAddress from http.host without its port',
      { serverAddress: 'api.psp.com' },
      { attributes: { 'http.host': 'api.psp.com:443' } },
      'shop',
      true,
    ],
    [
      'server.address wins over net.peer.name',
      { serverAddress: 'api.psp.com' },
      { attributes: { 'server.address': 'other.com', 'net.peer.name': 'api.psp.com' } },
      'shop',
      false,
    ],
    [
      'serverAddress is exact, not a suffix',
      { serverAddress: 'psp.com' },
      { attributes: { 'server.address': 'api.psp.com' } },
      'shop',
      false,
    ],
    ['peerService', { peerService: 'billing' }, { attributes: { 'peer.service': 'billing' } }, 'shop', true],
    [
      'peerService differs',
      { peerService: 'billing' },
      { attributes: { 'peer.service': 'crm' } },
      'shop',
      false,
    ],
    [
      'urlPrefix on url.full',
      { urlPrefix: 'https://api.psp.com/v1/' },
      { attributes: { 'url.full': 'https://api.psp.com/v1/charges' } },
      'shop',
      true,
    ],
    [
      'urlPrefix on the older http.url',
      { urlPrefix: 'https://api.psp.com/v1/' },
      { attributes: { 'http.url': 'https://api.psp.com/v1/charges' } },
      'shop',
      true,
    ],
    [
      'urlPrefix not a prefix',
      { urlPrefix: 'https://api.psp.com/v2/' },
      { attributes: { 'url.full': 'https://api.psp.com/v1/charges' } },
      'shop',
      false,
    ],
    [
      'urlPrefix is plain startsWith',
      { urlPrefix: 'https://api.psp.com' },
      { attributes: { 'url.full': 'https://api.psp.com.example/x' } },
      'shop',
      true,
    ],
    [
      'httpRoute',
      { side: 'server', httpRoute: '/orders/{id}' },
      { kind: SpanKind.SERVER, attributes: { 'http.route': '/orders/{id}' } },
      'crm',
      true,
    ],
    [
      'rpcService',
      { rpcService: 'psp.v1.Payments' },
      { attributes: { 'rpc.service': 'psp.v1.Payments' } },
      's',
      true,
    ],
    [
      'messagingDestination',
      { side: 'client', messagingDestination: 'orders' },
      { kind: SpanKind.PRODUCER, attributes: { 'messaging.destination.name': 'orders' } },
      'shop',
      true,
    ],
    ['spanName', { spanName: 'POST /charges' }, { name: 'POST /charges' }, 'shop', true],
    ['spanName differs', { spanName: 'POST /charges' }, { name: 'GET /charges' }, 'shop', false],
    [
      'every field of a rule must hold',
      { service: 'shop', serverAddress: 'api.psp.com' },
      { attributes: { 'server.address': 'api.psp.com' } },
      'crm',
      false,
    ],
    [
      'all fields holding',
      { service: 'shop', serverAddress: 'api.psp.com', spanName: 'POST' },
      { name: 'POST', attributes: { 'server.address': 'api.psp.com' } },
      'shop',
      true,
    ],
    [
      'a non-string attribute never equals',
      { rpcService: '42' },
      { attributes: { 'rpc.service': 42 } as Attributes },
      'shop',
      false,
    ],
  ];
  it.each(cases)('%s', (_name, rule, spanFields, service, matches) => {
    expect(matchOne([integration('i', rule)], span(spanFields), service)).toBe(matches ? 'i' : undefined);
  });
});

describe('match sides', () => {
  const clientRule = integration('out', { side: 'client', service: 'shop' });
  const serverRule = integration('in', { side: 'server', service: 'shop' });
  it.each([
    [SpanKind.CLIENT, 'out'],
    [SpanKind.PRODUCER, 'out'],
    [SpanKind.SERVER, 'in'],
    [SpanKind.CONSUMER, 'in'],
    [SpanKind.INTERNAL, undefined],
  ])('kind %d matches %s', (kind, expected) => {
    expect(matchOne([clientRule, serverRule], span({ kind }), 'shop')).toBe(expected);
  });
});

describe('calleeService', () => {
  const integrations = [integration('to-billing', { service: 'shop', calleeService: 'billing' })];

  it('holds only once the callee is known and equal', () => {
    expect(matchOne(integrations, span(), 'shop')).toBeUndefined();
    expect(matchOne(integrations, span(), 'shop', 'crm')).toBeUndefined();
    expect(matchOne(integrations, span(), 'shop', 'billing')).toBe('to-billing');
  });

  it('offers the rule as deferrable while the callee is unknown', () => {
    const matcher = compileMatcher([
      ...integrations,
      integration('x', { serverAddress: 'x.com', calleeService: 'x' }),
      integration('any', { calleeService: 'crm' }),
    ]);
    const facts = matcher.read(createSpanFacts(), span(), 'shop');
    const ids = (rules: readonly CompiledRule[]) => rules.map((r) => r.integrationId).sort();
    expect(ids(matcher.deferrable(facts))).toEqual(['any', 'to-billing']);
    expect(matchCallee(matcher.deferrable(facts), 'billing')?.integrationId).toBe('to-billing');
    expect(matchCallee(matcher.deferrable(facts), 'crm')?.integrationId).toBe('any');
    expect(matchCallee(matcher.deferrable(facts), 'erp')).toBeUndefined();
    const other = matcher.read(createSpanFacts(), span({ attributes: { 'server.address': 'x.com' } }), 'crm');
    expect(ids(matcher.deferrable(other))).toEqual(['any', 'x']);
  });

  it('offers nothing when no rule names a callee', () => {
    const matcher = compileMatcher([integration('i', { service: 'shop' })]);
    expect(matcher.deferrable(matcher.read(createSpanFacts(), span(), 'shop'))).toEqual([]);
  });
});

describe('several integrations matching', () => {
  it('picks the first in catalog order, whatever bucket its rule is in', () => {
    const s = span({ name: 'POST', attributes: { 'server.address': 'api.psp.com', 'peer.service': 'psp' } });
    const broad = integration('broad', { service: 'shop' });
    const exact = integration('exact', { serverAddress: 'api.psp.com' });
    const peer = integration('peer', { peerService: 'psp' });
    expect(matchOne([broad, exact, peer], s, 'shop')).toBe('broad');
    expect(matchOne([exact, broad, peer], s, 'shop')).toBe('exact');
    expect(matchOne([peer, exact, broad], s, 'shop')).toBe('peer');
  });

  it('matches when any rule of an integration holds', () => {
    const both = integration('both', { spanName: 'A' }, { spanName: 'B' });
    expect(matchOne([both], span({ name: 'B' }), 's')).toBe('both');
    expect(matchOne([both], span({ name: 'C' }), 's')).toBeUndefined();
  });

  it('finds every nested URL prefix', () => {
    const integrations = [
      integration('v1', { urlPrefix: 'https://a.com/v1/' }),
      integration('host', { urlPrefix: 'https://a.com/' }),
      integration('other', { urlPrefix: 'https://b.com/' }),
      integration('scheme', { urlPrefix: 'https://' }),
    ];
    const url = (u: string) => span({ attributes: { 'url.full': u } });
    expect(matchOne(integrations, url('https://a.com/v1/x'), 's')).toBe('v1');
    expect(matchOne(integrations, url('https://a.com/v2/x'), 's')).toBe('host');
    expect(matchOne(integrations, url('https://a.com/v10'), 's')).toBe('host');
    expect(matchOne(integrations, url('https://c.com/'), 's')).toBe('scheme');
    expect(matchOne(integrations, url('http://a.com/v1/'), 's')).toBeUndefined();
    expect(matchOne(integrations.slice(0, 3), url('https://a.com'), 's')).toBeUndefined();
  });

  it('compiles an integration without rules and matches nothing', () => {
    const matcher = compileMatcher([integration('none')]);
    expect(matcher.integrations).toBe(1);
    expect(matcher.rules).toBe(0);
    expect(matcher.match('client', matcher.read(createSpanFacts(), span(), 'shop'))).toBeUndefined();
  });
});

/** A deterministic pseudo-random sequence (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The definition, rule by rule, integration by integration: what the index must agree with. */
function naiveMatch(
  integrations: TraceIntegration[],
  side: MatchSide,
  s: DecodedSpan,
  service: string | undefined,
  callee: string | undefined,
): string | undefined {
  const a = s.attributes;
  const str = (k: string) => (typeof a[k] === 'string' ? (a[k] as string) : undefined);
  const host = str('http.host');
  const address = str('server.address') ?? str('net.peer.name') ?? (host ? stripPort(host) : undefined);
  const url = str('url.full') ?? str('http.url');
  for (const i of integrations)
    for (const r of i.match) {
      if ((r.side ?? 'client') !== side) continue;
      if (r.service !== undefined && r.service !== service) continue;
      if (r.serverAddress !== undefined && r.serverAddress !== address) continue;
      if (r.peerService !== undefined && r.peerService !== str('peer.service')) continue;
      if (r.urlPrefix !== undefined && !url?.startsWith(r.urlPrefix)) continue;
      if (r.httpRoute !== undefined && r.httpRoute !== str('http.route')) continue;
      if (r.rpcService !== undefined && r.rpcService !== str('rpc.service')) continue;
      if (
        r.messagingDestination !== undefined &&
        r.messagingDestination !== str('messaging.destination.name')
      )
        continue;
      if (r.spanName !== undefined && r.spanName !== s.name) continue;
      if (r.calleeService !== undefined && r.calleeService !== callee) continue;
      return i.id;
    }
  return undefined;
}

describe('the index agrees with the definition', () => {
  it('on 2,000 random integrations and 5,000 random spans', () => {
    const rnd = random(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    const services = ['shop', 'crm', 'billing', 'erp', 'wms'];
    const hosts = ['a.com', 'b.com', 'api.a.com', 'c.net'];
    const urls = ['https://a.com', 'https://a.com/', 'https://a.com/v1/', 'https://b.com/x', 'http://a.com/'];
    const routes = ['/orders', '/orders/{id}', '/pay'];
    const names = ['GET', 'POST', 'publish orders'];
    const maybe = <T>(p: number, value: () => T): T | undefined => (rnd() < p ? value() : undefined);
    const integrations: TraceIntegration[] = [];
    for (let i = 0; i < 2_000; i++) {
      const rules: Partial<MatchRule>[] = [];
      const ruleCount = 1 + Math.floor(rnd() * 2);
      for (let r = 0; r < ruleCount; r++) {
        const side: MatchSide = rnd() < 0.7 ? 'client' : 'server';
        const rule: Partial<MatchRule> = {
          side,
          service: maybe(0.4, () => pick(services)),
          serverAddress: maybe(0.15, () => pick(hosts)),
          peerService: maybe(0.1, () => pick(services)),
          urlPrefix: maybe(0.15, () => pick(urls)),
          httpRoute: maybe(0.1, () => pick(routes)),
          rpcService: maybe(0.05, () => 'psp.v1.Payments'),
          messagingDestination: maybe(0.05, () => 'orders'),
          spanName: maybe(0.1, () => pick(names)),
          calleeService: side === 'client' ? maybe(0.15, () => pick(services)) : undefined,
        };
        for (const key of Object.keys(rule) as (keyof MatchRule)[])
          if (rule[key] === undefined) delete rule[key];
        if (Object.keys(rule).length === 1) rule.spanName = pick(names);
        rules.push(rule);
      }
      integrations.push(integration(`i${i}`, ...rules));
    }
    const matcher = compileMatcher(integrations);
    const facts = createSpanFacts();
    const stripped = integrations.map((i) => ({
      ...i,
      match: i.match.filter((r) => r.calleeService !== undefined),
    }));
    let matched = 0;
    let deferrable = 0;
    for (let n = 0; n < 5_000; n++) {
      const attributes: Attributes = {};
      const set = (p: number, key: string, value: () => string) => {
        if (rnd() < p) attributes[key] = value();
      };
      set(0.3, 'server.address', () => pick(hosts));
      set(0.2, 'net.peer.name', () => pick(hosts));
      set(0.2, 'http.host', () => `${pick(hosts)}:8080`);
      set(0.3, 'peer.service', () => pick(services));
      set(0.3, 'url.full', () => `${pick(urls)}${pick(['', 'x', 'v1/y'])}`);
      set(0.2, 'http.url', () => pick(urls));
      set(0.3, 'http.route', () => pick(routes));
      set(0.1, 'rpc.service', () => 'psp.v1.Payments');
      set(0.1, 'messaging.destination.name', () => 'orders');
      const kind = pick([SpanKind.CLIENT, SpanKind.SERVER, SpanKind.PRODUCER, SpanKind.CONSUMER]);
      const s = span({ kind, name: pick(names), attributes });
      const service = maybe(0.9, () => pick(services));
      const callee = maybe(0.5, () => pick(services));
      const side = spanSide(kind) as MatchSide;
      matcher.read(facts, s, service);
      facts.callee = side === 'client' ? callee : undefined;
      const expected = naiveMatch(integrations, side, s, service, side === 'client' ? callee : undefined);
      expect(matcher.match(side, facts)?.integrationId).toBe(expected);
      if (expected !== undefined) matched++;
      if (side === 'client') {
        // Every callee a deferred span could learn: the candidates must pick what the definition does.
        facts.callee = undefined;
        const candidates = matcher.deferrable(facts);
        if (candidates.length > 0) deferrable++;
        for (const c of services) {
          expect(matchCallee(candidates, c)?.integrationId).toBe(naiveMatch(stripped, side, s, service, c));
        }
      }
    }
    expect(matched).toBeGreaterThan(1_000);
    expect(deferrable).toBeGreaterThan(500);
  });
});
