import type { DemoEvent } from '../events.ts';
import { endOf, type PlannedSpan, span } from '../plan.ts';
import { HOST, ORDERS_TOPIC, SERVICE } from '../services.ts';
import { httpCall, internal, receive, sql } from '../spans.ts';
import { amount, chance, latency, type Scenario, statusOf, within } from './context.ts';

/** An INTERNAL root span (a scheduled job) around `children`, ending a little after the last. */
function job(service: string, name: string, children: PlannedSpan[], error?: string): PlannedSpan {
  const last = children.reduce((latest, child) => Math.max(latest, endOf(child)), 0);
  return internal({
    service,
    name,
    startMs: 0,
    durationMs: last + 3,
    children,
    ...(error !== undefined ? { error } : {}),
  });
}

/**
 * The order service polls Bazaaro for new orders and accepts each (`marketplace-orders`); each
 * imported order is a marketplace transaction and an order nobody keyed in.
 */
export const marketplaceImport: Scenario = {
  name: 'marketplace-import',
  weight: 6,
  run(ctx) {
    const { random } = ctx;
    const status = statusOf(
      random,
      [
        [503, 0.02],
        [429, 0.01],
      ],
      200,
    );
    const poll = httpCall({
      caller: SERVICE.orders,
      method: 'GET',
      url: `https://${HOST.marketplace}/v1/orders?status=new&limit=50`,
      status,
      startMs: 1,
      durationMs: latency(random, [180, 900], { share: 0.03, range: [2_100, 3_500] }),
      integration: 'marketplace-orders',
    });
    const children: PlannedSpan[] = [poll];
    const events: DemoEvent[] = [];
    let t = endOf(poll) + 2;
    const found = status === 200 ? within(random, 0, 3) : 0;
    for (let i = 0; i < found; i++) {
      const order = ctx.orderId();
      const insert = sql({
        service: SERVICE.orders,
        operation: 'INSERT',
        table: 'orders',
        startMs: t,
        durationMs: within(random, 3, 15),
      });
      const accept = httpCall({
        caller: SERVICE.orders,
        method: 'POST',
        url: `https://${HOST.marketplace}/v1/orders/${order}/acceptance`,
        status: statusOf(random, [[503, 0.01]], 204),
        startMs: endOf(insert) + 1,
        durationMs: latency(random, [120, 600]),
        integration: 'marketplace-orders',
      });
      children.push(insert, accept);
      t = endOf(accept) + 2;
      events.push(
        ctx.events.make('transaction', {
          source: '/order-service/marketplace',
          integration: 'marketplace-orders',
          participant: 'bazaaro',
          data: {
            amount: amount(random, 25, 260),
            currency: 'EUR',
            customer: ctx.customer(),
            channel: 'marketplace',
            order,
          },
        }),
        ctx.events.make('handoff.automated', {
          source: '/order-service/marketplace',
          integration: 'marketplace-orders',
        }),
      );
    }
    return {
      trace: {
        scenario: 'marketplace-import',
        root: job(SERVICE.orders, 'import marketplace orders', children),
      },
      events,
    };
  },
};

/** The PIM pushes offer, price and stock changes to Bazaaro (`marketplace-offers`), sometimes throttled. */
export const offerPublish: Scenario = {
  name: 'offer-publish',
  weight: 4,
  run(ctx) {
    const { random } = ctx;
    const put = httpCall({
      caller: SERVICE.pim,
      method: 'PUT',
      url: `https://${HOST.marketplace}/v1/offers`,
      status: statusOf(random, [[429, 0.03]], 200),
      startMs: 2,
      durationMs: latency(random, [250, 1_400]),
      integration: 'marketplace-offers',
    });
    return {
      trace: { scenario: 'offer-publish', root: job(SERVICE.pim, 'publish marketplace offers', [put]) },
      events: [],
    };
  },
};

/** The PIM publishes product changes to the storefront (`catalogue-publish`), both instrumented. */
export const cataloguePublish: Scenario = {
  name: 'catalogue-publish',
  weight: 3,
  run(ctx) {
    const { random } = ctx;
    const post = httpCall({
      caller: SERVICE.pim,
      method: 'POST',
      url: `http://${HOST.storefront}:8080/internal/catalogue/products`,
      status: statusOf(random, [[503, 0.01]], 202),
      startMs: 2,
      durationMs: latency(random, [60, 400], { share: 0.02, range: [2_200, 3_000] }),
      integration: 'catalogue-publish',
      server: { service: SERVICE.storefront, route: '/internal/catalogue/products' },
    });
    return {
      trace: { scenario: 'catalogue-publish', root: job(SERVICE.pim, 'publish catalogue', [post]) },
      events: [],
    };
  },
};

/** The order service refunds a returned order through Paycadia (`payment-refunds`). */
export const refund: Scenario = {
  name: 'refund',
  weight: 2,
  run(ctx) {
    const { random } = ctx;
    const lookup = sql({
      service: SERVICE.orders,
      operation: 'SELECT',
      table: 'returns',
      startMs: 2,
      durationMs: within(random, 2, 12),
    });
    const status = statusOf(random, [[503, 0.02]], 201);
    const call = httpCall({
      caller: SERVICE.orders,
      method: 'POST',
      url: `https://${HOST.psp}/v3/refunds`,
      status,
      startMs: endOf(lookup) + 1,
      durationMs: latency(random, [300, 1_200], { share: 0.03, range: [2_100, 3_200] }),
      integration: 'payment-refunds',
    });
    return {
      trace: {
        scenario: 'refund',
        root: job(
          SERVICE.orders,
          'refund return',
          [lookup, call],
          status >= 500 ? 'refund failed; will retry' : undefined,
        ),
      },
      events: [],
    };
  },
};

/**
 * The order service reports affiliate sales to Linkfield (`affiliate-conversions`), a partner
 * still being connected: a share of the calls is refused. Each accepted conversion is an
 * affiliate transaction.
 */
export const affiliateConversion: Scenario = {
  name: 'affiliate-conversion',
  weight: 3,
  run(ctx) {
    const { random } = ctx;
    const status = statusOf(
      random,
      [
        [401, 0.08],
        [422, 0.05],
        [503, 0.02],
      ],
      202,
    );
    const order = ctx.orderId();
    const call = httpCall({
      caller: SERVICE.orders,
      method: 'POST',
      url: `https://${HOST.affiliate}/v1/conversions`,
      status,
      startMs: 2,
      durationMs: latency(random, [90, 500]),
      integration: 'affiliate-conversions',
    });
    const events =
      status === 202
        ? [
            ctx.events.make('transaction', {
              source: '/order-service/affiliate',
              integration: 'affiliate-conversions',
              participant: 'linkfield',
              data: {
                amount: amount(random, 45, 320),
                currency: 'EUR',
                customer: ctx.customer(),
                channel: 'affiliate',
                order,
              },
            }),
          ]
        : [];
    return {
      trace: {
        scenario: 'affiliate-conversion',
        root: job(SERVICE.orders, 'report affiliate conversion', [call]),
      },
      events,
    };
  },
};

/**
 * The integration hub polls the order topic (`hub-order-subscription`): a `receive` CLIENT span
 * in the hub's own trace, as Kafka consumers make them. Processing each message continues the
 * order's trace instead (see the order-to-cash scenario).
 */
export const hubPoll: Scenario = {
  name: 'hub-poll',
  weight: 5,
  run(ctx) {
    const { random } = ctx;
    const root = receive({
      service: SERVICE.hub,
      topic: ORDERS_TOPIC,
      group: 'hub-order-routing',
      messages: chance(random, 0.4) ? 0 : within(random, 1, 12),
      startMs: 0,
      durationMs: latency(random, [5, 120], { share: 0.02, range: [600, 900] }),
      integration: 'hub-order-subscription',
    });
    return { trace: { scenario: 'hub-poll', root }, events: [] };
  },
};

/** The hub downloads Vistula's stock snapshot over SFTP (`tpl-stock-files`); sometimes refused. */
export const stockImport: Scenario = {
  name: 'stock-import',
  weight: 2,
  run(ctx) {
    const { random } = ctx;
    const refused = chance(random, 0.05);
    const download = span({
      service: SERVICE.hub,
      name: 'sftp download',
      kind: 'client',
      startMs: 2,
      durationMs: refused ? within(random, 1, 5) : latency(random, [300, 2_500]),
      attributes: {
        'server.address': HOST.sftp,
        'server.port': 22,
        'network.transport': 'tcp',
        'file.name': `stock_${within(random, 1, 48)}.csv`,
        ...(refused ? { 'error.type': 'ECONNREFUSED' } : {}),
      },
      ...(refused ? { error: 'connect ECONNREFUSED' } : {}),
      integration: 'tpl-stock-files',
    });
    const events = refused
      ? []
      : [
          ctx.events.make('handoff.automated', {
            source: '/integration-hub',
            integration: 'tpl-stock-files',
          }),
        ];
    return {
      trace: {
        scenario: 'stock-import',
        root: job(
          SERVICE.hub,
          'import stock snapshot',
          [download],
          refused ? 'snapshot not downloaded' : undefined,
        ),
      },
      events,
    };
  },
};
