import { describe, expect, it } from 'vitest';
import type { MatchRule } from '../../src/config/catalog-schema.ts';
import { createTraceProcessor, type TraceBatchResult, type TraceCatalog } from './processor.ts';
import {
  call,
  catalog,
  integration,
  manualClock,
  resource,
  span,
  T0,
  traces,
  workflow,
} from './test-spans.ts';
import { type DecodedSpan, SpanKind, StatusCode } from './types.ts';

const WAIT_MS = 10_000;

function setup(
  view: TraceCatalog | (() => TraceCatalog),
  options: { maxPending?: number; maxActiveRuns?: number } = {},
) {
  const clock = manualClock();
  const processor = createTraceProcessor({
    catalog: typeof view === 'function' ? view : () => view,
    durationBucketsSeconds: [0.05, 0.5],
    pairing: { maxPending: options.maxPending ?? 1_000, waitMs: WAIT_MS },
    workflows: { maxActiveRuns: options.maxActiveRuns ?? 1_000 },
    now: clock.now,
  });
  return { processor, clock };
}

/** Requests per integration, summed over minutes and outcomes. */
function requests(result: TraceBatchResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of result.red)
    out[d.integrationId] = (out[d.integrationId] ?? 0) + Object.values(d.requests).reduce((a, b) => a + b, 0);
  return out;
}

const toPsp = integration('shop-to-psp', { service: 'shop', serverAddress: 'api.psp.com' });
const intoCrm: TraceCatalog['integrations'][number] = {
  id: 'shop-to-crm',
  from: 'shop',
  to: 'crm',
  match: [{ side: 'server', service: 'crm', httpRoute: '/customers' } as MatchRule],
};
const toBilling = integration('shop-to-billing', { service: 'shop', calleeService: 'billing' });

const pspCall = () =>
  call({ attributes: { 'server.address': 'api.psp.com' } }, { attributes: { 'http.route': '/charges' } });

describe('createTraceProcessor: counting', () => {
  it('counts a matched span in the same call, with its outcome, duration and minute', () => {
    const { processor } = setup(catalog({ integrations: [toPsp] }));
    const s = span({
      attributes: { 'server.address': 'api.psp.com', 'http.response.status_code': 502 },
      startTimeMs: T0 + 59_900,
      endTimeMs: T0 + 60_200,
    });
    const result = processor.process(traces(resource('shop', s)));
    expect(result.red).toEqual([
      {
        integrationId: 'shop-to-psp',
        minute: T0 + 60_000,
        requests: { success: 0, client_error: 0, server_error: 1, error: 0 },
        durationSumSeconds: 0.3,
        durationBuckets: [0, 1, 0],
      },
    ]);
    expect(result.spans).toEqual({ matched: 1, deferred: 0, unmatched: 0, duplicatePairs: 0 });
  });

  it('buckets calls by the minute their span ended in', () => {
    const { processor } = setup(catalog({ integrations: [toPsp] }));
    const at = (end: number) =>
      span({ attributes: { 'server.address': 'api.psp.com' }, startTimeMs: end - 10, endTimeMs: end });
    const result = processor.process(
      traces(resource('shop', at(T0 + 59_999), at(T0 + 60_000), at(T0 + 60_001), at(T0 + 120_000))),
    );
    expect(result.red.map((d) => [d.minute - T0, d.requests.success])).toEqual([
      [0, 1],
      [60_000, 2],
      [120_000, 1],
    ]);
  });

  it.each([
    ['client then server', true],
    ['server then client', false],
  ])('counts a call once when both sides match, in one batch (%s)', (_name, clientFirst) => {
    const { processor } = setup(catalog({ integrations: [toPsp, intoCrm] }));
    const { client, server } = call(
      { attributes: { 'server.address': 'api.psp.com' } },
      { attributes: { 'http.route': '/customers' } },
    );
    const shop = resource('shop', client);
    const crm = resource('crm', server);
    const result = processor.process(clientFirst ? traces(shop, crm) : traces(crm, shop));
    expect(requests(result)).toEqual(clientFirst ? { 'shop-to-psp': 1 } : { 'shop-to-crm': 1 });
    expect(result.spans).toEqual({ matched: 1, deferred: 0, unmatched: 0, duplicatePairs: 1 });
    expect(processor.stats().pendingPairs).toBe(0);
  });

  it.each([
    ['client then server', true],
    ['server then client', false],
  ])('counts a call once when both sides match one integration, over two batches (%s)', (_n, clientFirst) => {
    const both = integration(
      'psp',
      { service: 'shop', serverAddress: 'api.psp.com' },
      {
        side: 'server',
        service: 'psp',
      },
    );
    const { processor } = setup(catalog({ integrations: [both] }));
    const { client, server } = pspCall();
    const first = clientFirst ? resource('shop', client) : resource('psp', server);
    const second = clientFirst ? resource('psp', server) : resource('shop', client);
    const one = processor.process(traces(first));
    const two = processor.process(traces(second));
    expect(requests(one)).toEqual({ psp: 1 });
    expect(one.spans.matched).toBe(1);
    expect(requests(two)).toEqual({});
    expect(two.spans).toEqual({ matched: 0, deferred: 0, unmatched: 0, duplicatePairs: 1 });
  });

  it('counts the server span when the client span came first and matched nothing', () => {
    const { processor } = setup(catalog({ integrations: [intoCrm] }));
    const { client, server } = call({}, { attributes: { 'http.route': '/customers' } });
    expect(processor.process(traces(resource('shop', client))).spans.unmatched).toBe(1);
    const result = processor.process(traces(resource('crm', server)));
    expect(requests(result)).toEqual({ 'shop-to-crm': 1 });
    expect(result.edges).toEqual([]);
  });

  it('counts a span delivered again while its first delivery waits only once', () => {
    const { processor } = setup(catalog({ integrations: [toPsp] }));
    const { client, server } = pspCall();
    processor.process(traces(resource('shop', client)));
    const again = processor.process(traces(resource('shop', client)));
    expect(again.red).toEqual([]);
    expect(again.spans.duplicatePairs).toBe(1);
    expect(processor.process(traces(resource('psp', server))).spans.duplicatePairs).toBe(1);
  });

  it('matches a root server span without waiting for a pair', () => {
    const { processor } = setup(catalog({ integrations: [intoCrm] }));
    const root = span({ kind: SpanKind.SERVER, attributes: { 'http.route': '/customers' } });
    expect(requests(processor.process(traces(resource('crm', root))))).toEqual({ 'shop-to-crm': 1 });
    expect(processor.stats().pendingPairs).toBe(0);
  });

  it('treats two consumer spans of one producer span as two deliveries', () => {
    const consume = integration('orders-in', { side: 'server', messagingDestination: 'orders' });
    const { processor } = setup(catalog({ integrations: [consume] }));
    const producer = span({ kind: SpanKind.PRODUCER });
    const consumer = (service: string) =>
      resource(
        service,
        span({
          kind: SpanKind.CONSUMER,
          traceId: producer.traceId,
          parentSpanId: producer.spanId,
          attributes: { 'messaging.destination.name': 'orders' },
        }),
      );
    const result = processor.process(traces(consumer('billing'), consumer('wms')));
    expect(requests(result)).toEqual({ 'orders-in': 2 });
  });

  it('classifies every span of a call exactly once', () => {
    const { processor } = setup(catalog({ integrations: [toPsp, toBilling] }));
    const { client, server } = pspCall();
    const internal = span({ kind: SpanKind.INTERNAL });
    const lonely = span({ attributes: { 'server.address': 'nowhere' } });
    const deferred = span();
    const input = traces(resource('shop', client, internal, lonely, deferred), resource('psp', server));
    const result = processor.process(input);
    const { matched, deferred: waiting, unmatched, duplicatePairs } = result.spans;
    expect({ matched, waiting, unmatched, duplicatePairs }).toEqual({
      matched: 1,
      waiting: 2,
      unmatched: 1,
      duplicatePairs: 1,
    });
    expect(matched + waiting + unmatched + duplicatePairs).toBe(input.spanCount);
  });
});

describe('createTraceProcessor: calleeService', () => {
  it('defers a client span until its server span names the callee, and counts it then', () => {
    const { processor } = setup(catalog({ integrations: [toBilling] }));
    const { client, server } = call({ statusCode: StatusCode.ERROR, endTimeMs: T0 + 400 });
    const one = processor.process(traces(resource('shop', client)));
    expect(one.red).toEqual([]);
    expect(one.spans.deferred).toBe(1);
    expect(processor.stats().deferredPairs).toBe(1);
    const two = processor.process(traces(resource('billing', server)));
    expect(two.red).toEqual([
      {
        integrationId: 'shop-to-billing',
        minute: T0,
        requests: { success: 0, client_error: 0, server_error: 0, error: 1 },
        durationSumSeconds: 0.4,
        durationBuckets: [0, 1, 0],
      },
    ]);
    expect(two.deferredMatched).toBe(1);
    expect(two.spans).toEqual({ matched: 0, deferred: 0, unmatched: 0, duplicatePairs: 1 });
    expect(two.edges).toEqual([]);
    expect(processor.stats()).toMatchObject({ deferredPairs: 0, pendingPairs: 0 });
  });

  it('resolves a deferred span within one batch', () => {
    const { processor } = setup(catalog({ integrations: [toBilling] }));
    const { client, server } = call();
    const result = processor.process(traces(resource('shop', client), resource('billing', server)));
    expect(requests(result)).toEqual({ 'shop-to-billing': 1 });
    expect(result.spans).toMatchObject({ deferred: 1, duplicatePairs: 1 });
  });

  it('matches at once when the server span came first', () => {
    const { processor } = setup(catalog({ integrations: [toBilling] }));
    const { client, server } = call();
    expect(processor.process(traces(resource('billing', server))).spans.unmatched).toBe(1);
    const result = processor.process(traces(resource('shop', client)));
    expect(requests(result)).toEqual({ 'shop-to-billing': 1 });
    expect(result.spans.matched).toBe(1);
  });

  it('matches at once when peer.service names the callee', () => {
    const { processor } = setup(catalog({ integrations: [toBilling] }));
    const result = processor.process(
      traces(resource('shop', span({ attributes: { 'peer.service': 'billing' } }))),
    );
    expect(requests(result)).toEqual({ 'shop-to-billing': 1 });
  });

  it('turns a deferred span whose callee no rule names into an edge', () => {
    const { processor } = setup(catalog({ integrations: [toBilling] }));
    const { client, server } = call();
    processor.process(traces(resource('shop', client)));
    const result = processor.process(traces(resource('erp', server)));
    expect(result.red).toEqual([]);
    expect(result.edges.map((e) => [e.caller, e.callee, e.calls])).toEqual([['shop', 'erp', 1]]);
  });

  it('drops a deferred span whose wait runs out, and counts it', () => {
    const { processor, clock } = setup(catalog({ integrations: [toBilling] }));
    const { client, server } = call();
    processor.process(traces(resource('shop', client)));
    clock.advance(WAIT_MS - 1);
    expect(processor.sweep()).toMatchObject({ pairsExpired: 0, deferredDropped: 0 });
    clock.advance(1);
    expect(processor.sweep()).toMatchObject({ pairsExpired: 1, deferredDropped: 1, red: [] });
    expect(processor.stats().deferredPairs).toBe(0);
    // Its server span, arriving too late, finds nothing to pair with.
    const late = processor.process(traces(resource('billing', server)));
    expect(late.red).toEqual([]);
    expect(late.spans.unmatched).toBe(1);
  });

  it('expires waiting entries at the start of a process call too', () => {
    const { processor, clock } = setup(catalog({ integrations: [toBilling] }));
    processor.process(traces(resource('shop', call().client)));
    clock.advance(WAIT_MS);
    expect(processor.process(traces())).toMatchObject({ pairsExpired: 1, deferredDropped: 1 });
  });
});

describe('createTraceProcessor: pairing bounds', () => {
  it('evicts the oldest waiting call at maxPending', () => {
    const { processor } = setup(catalog({ integrations: [toBilling] }), { maxPending: 2 });
    const calls = [call(), call(), call()];
    const result = processor.process(traces(resource('shop', ...calls.map((c) => c.client))));
    expect(result).toMatchObject({ pairsEvicted: 1, deferredDropped: 1 });
    expect(processor.stats()).toMatchObject({ pendingPairs: 2, deferredPairs: 2 });
    // Newest first: an unpaired server span is held too, and would evict a waiting client span.
    const servers = calls.map((c) => c.server).reverse();
    const later = processor.process(traces(resource('billing', ...servers)));
    expect(requests(later)).toEqual({ 'shop-to-billing': 2 });
    expect(later.deferredMatched).toBe(2);
  });
});

describe('createTraceProcessor: discovered edges', () => {
  const systems = [
    { id: 'storefront', services: ['shop', 'shop-worker'] },
    { id: 'erp', services: [] },
  ];

  it('reports a paired call no integration matched, with the systems of both ends', () => {
    const { processor } = setup(catalog({ systems }));
    const one = call({ startTimeMs: T0, endTimeMs: T0 + 100 }, { endTimeMs: T0 + 90 });
    const two = call(
      { startTimeMs: T0 + 1_000, endTimeMs: T0 + 1_100 },
      { attributes: { 'http.response.status_code': 500 } },
    );
    const result = processor.process(
      traces(resource('shop', one.client, two.client), resource('erp', one.server, two.server)),
    );
    expect(result.edges).toEqual([
      {
        caller: 'shop',
        callee: 'erp',
        callerSystem: 'storefront',
        calleeSystem: 'erp',
        calls: 2,
        errors: 1,
        firstSeen: T0,
        lastSeen: T0 + 1_100,
      },
    ]);
  });

  it('does not report calls between two systems that a declared integration connects, even when its rules miss them', () => {
    const declared = { ...integration('shop-to-erp', { spanName: 'never' }), from: 'storefront', to: 'erp' };
    const { processor } = setup(catalog({ systems, integrations: [declared] }));
    const { client, server } = call();
    expect(processor.process(traces(resource('shop', client), resource('erp', server))).edges).toEqual([]);
  });

  it('pairs an edge across batches in either order', () => {
    for (const clientFirst of [true, false]) {
      const { processor } = setup(catalog());
      const { client, server } = call({ statusCode: StatusCode.ERROR });
      const a = processor.process(traces(clientFirst ? resource('shop', client) : resource('wms', server)));
      const b = processor.process(traces(clientFirst ? resource('wms', server) : resource('shop', client)));
      expect(a.edges).toEqual([]);
      expect(b.edges).toEqual([
        { caller: 'shop', callee: 'wms', calls: 1, errors: 1, firstSeen: T0, lastSeen: T0 + 100 },
      ]);
    }
  });

  it('reports a client span with peer.service at once, and not again with its server span', () => {
    const { processor } = setup(catalog({ systems }));
    const { client, server } = call({ attributes: { 'peer.service': 'erp' } });
    const one = processor.process(traces(resource('shop-worker', client)));
    expect(one.edges).toEqual([
      {
        caller: 'shop-worker',
        callee: 'erp',
        callerSystem: 'storefront',
        calleeSystem: 'erp',
        calls: 1,
        errors: 0,
        firstSeen: T0,
        lastSeen: T0 + 100,
      },
    ]);
    const two = processor.process(traces(resource('erp', server)));
    expect(two.edges).toEqual([]);
    expect(two.spans.unmatched).toBe(1);
  });

  it('ignores calls within one service and calls whose ends are not both known', () => {
    const { processor } = setup(catalog());
    const same = call();
    const anonymous = call();
    const result = processor.process(
      traces(
        resource('shop', same.client, same.server),
        resource(undefined, anonymous.client),
        resource('crm', anonymous.server),
      ),
    );
    expect(result.edges).toEqual([]);
    expect(result.spans.unmatched).toBe(4);
  });

  it('does not report a matched call as an edge, whichever side matched', () => {
    const { processor } = setup(catalog({ integrations: [toPsp, intoCrm] }));
    const a = pspCall();
    const b = call({}, { attributes: { 'http.route': '/customers' } });
    const result = processor.process(
      traces(resource('shop', a.client, b.client), resource('psp', a.server), resource('crm', b.server)),
    );
    expect(result.edges).toEqual([]);
    expect(requests(result)).toEqual({ 'shop-to-psp': 1, 'shop-to-crm': 1 });
  });
});

describe('createTraceProcessor: workflows', () => {
  const view = catalog({
    integrations: [toPsp, intoCrm],
    workflows: [workflow('checkout', ['shop-to-crm', 'shop-to-psp', { span: 'send receipt' }], 60_000)],
  });

  function calls(traceId: string, pspError = false) {
    const crm = call({ traceId }, { traceId, attributes: { 'http.route': '/customers' } });
    const psp = call(
      {
        traceId,
        startTimeMs: T0 + 200,
        endTimeMs: T0 + 700,
        attributes: { 'server.address': 'api.psp.com' },
      },
      { traceId, ...(pspError ? { statusCode: StatusCode.ERROR } : {}) },
    );
    const receipt = span({
      traceId,
      kind: SpanKind.INTERNAL,
      name: 'send receipt',
      startTimeMs: T0 + 800,
      endTimeMs: T0 + 900,
    });
    return { crm, psp, receipt };
  }

  it('completes a run from steps matched on either side and a step by span name', () => {
    const { processor } = setup(view);
    const { crm, psp, receipt } = calls('c'.repeat(32));
    processor.process(traces(resource('crm', crm.server), resource('shop', crm.client)));
    expect(processor.stats().activeRuns).toBe(1);
    const result = processor.process(
      traces(resource('shop', psp.client, receipt), resource('psp', psp.server)),
    );
    expect(result.workflows).toEqual([
      {
        workflowId: 'checkout',
        minute: T0,
        started: 0,
        completed: 1,
        failed: 0,
        abandoned: 0,
        durationSumSeconds: 0.9,
        durationBuckets: [0, 0, 1],
      },
    ]);
    expect(processor.stats().activeRuns).toBe(0);
  });

  it('fails a run when the paired side of a counted call failed', () => {
    const { processor } = setup(view);
    const { crm, psp } = calls('d'.repeat(32), true);
    const result = processor.process(
      traces(
        resource('crm', crm.server),
        resource('shop', crm.client, psp.client),
        resource('psp', psp.server),
      ),
    );
    expect(result.workflows).toMatchObject([{ started: 1, failed: 1, completed: 0 }]);
  });

  it('abandons an idle run on sweep', () => {
    const { processor, clock } = setup(view);
    const { crm } = calls('e'.repeat(32));
    processor.process(traces(resource('crm', crm.server)));
    clock.advance(60_000);
    expect(processor.sweep().workflows).toMatchObject([{ workflowId: 'checkout', abandoned: 1 }]);
  });

  it('counts runs that found no room', () => {
    const { processor } = setup(view, { maxActiveRuns: 1 });
    const a = calls('1'.repeat(32));
    const b = calls('2'.repeat(32));
    const result = processor.process(traces(resource('crm', a.crm.server, b.crm.server)));
    expect(result.runsDropped).toBe(1);
  });
});

describe('createTraceProcessor: catalog', () => {
  it('recompiles when the revision changes, and only then', () => {
    let view = catalog({ revision: 1, integrations: [integration('old', { spanName: 'GET' })] });
    const { processor } = setup(() => view);
    expect(requests(processor.process(traces(resource('shop', span()))))).toEqual({ old: 1 });
    view = { ...view, integrations: [integration('new', { spanName: 'GET' })] };
    expect(requests(processor.process(traces(resource('shop', span()))))).toEqual({ old: 1 });
    view = { ...view, revision: 2 };
    expect(requests(processor.process(traces(resource('shop', span()))))).toEqual({ new: 1 });
    expect(processor.stats()).toMatchObject({ catalogRevision: 2, integrations: 1, rules: 1 });
  });

  it('maps services to systems from the catalog, a system without services by its id', () => {
    const view = catalog({
      systems: [{ id: 'storefront', services: ['shop'] }, { id: 'twin', services: ['shop'] }, { id: 'crm' }],
    });
    const { processor } = setup(view);
    const { client, server } = call();
    const [edge] = processor.process(traces(resource('shop', client), resource('crm', server))).edges;
    expect(edge).toMatchObject({ callerSystem: 'storefront', calleeSystem: 'crm' });
  });
});

describe('createTraceProcessor: stats', () => {
  it('reports what it holds', () => {
    const view = catalog({
      integrations: [toPsp, toBilling],
      workflows: [workflow('w', ['shop-to-psp', 'x'])],
    });
    const { processor } = setup(view);
    const pending: DecodedSpan[] = [pspCall().client, call().client];
    processor.process(traces(resource('shop', ...pending)));
    expect(processor.stats()).toEqual({
      catalogRevision: 1,
      integrations: 2,
      rules: 2,
      pendingPairs: 2,
      deferredPairs: 1,
      activeRuns: 1,
      endedRuns: 0,
    });
  });
});
