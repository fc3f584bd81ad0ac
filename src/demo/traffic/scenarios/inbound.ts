import { SERVICE } from '../services.ts';
import { httpServer, sql } from '../spans.ts';
import { amount, latency, type Scenario, statusOf, within } from './context.ts';

/**
 * Calls into the order service from partners that send no traces (Paycadia, Kestrel, Alpenrand,
 * Tickora): each is a root SERVER span, matched by a `side: server` rule on its route.
 */
function inbound(options: {
  name: string;
  weight: number;
  integration: string;
  method: string;
  route: string;
  odds: readonly (readonly [number, number])[];
  ok: number;
  typical: readonly [number, number];
  operation: string;
  table: string;
}): Scenario {
  return {
    name: options.name,
    weight: options.weight,
    run(ctx) {
      const { random } = ctx;
      const status = statusOf(random, options.odds, options.ok);
      const query = sql({
        service: SERVICE.orders,
        operation: options.operation,
        table: options.table,
        startMs: within(random, 2, 6),
        durationMs: within(random, 2, 20),
      });
      const root = httpServer({
        service: SERVICE.orders,
        method: options.method,
        route: options.route,
        status,
        startMs: 0,
        durationMs: Math.max(query.startMs + query.durationMs + 2, latency(random, options.typical)),
        integration: options.integration,
        children: [query],
      });
      return { trace: { scenario: options.name, root }, events: [] };
    },
  };
}

/** Paycadia notifies a capture, refund or chargeback (`psp-payment-webhooks`). */
export const paymentNotification = inbound({
  name: 'payment-notification',
  weight: 8,
  integration: 'psp-payment-webhooks',
  method: 'POST',
  route: '/webhooks/paycadia/notifications',
  odds: [[500, 0.01]],
  ok: 200,
  typical: [15, 120],
  operation: 'UPDATE',
  table: 'payments',
});

/** Kestrel pushes a parcel scan (`carrier-tracking-events`); now and then one it cannot parse. */
export const carrierScan = inbound({
  name: 'carrier-scan',
  weight: 8,
  integration: 'carrier-tracking-events',
  method: 'POST',
  route: '/webhooks/kestrel/scans',
  odds: [
    [400, 0.01],
    [500, 0.01],
  ],
  ok: 204,
  typical: [10, 80],
  operation: 'UPDATE',
  table: 'shipments',
});

/** A Tickora agent opens an order next to a ticket (`support-order-lookup`). */
export const supportLookup = inbound({
  name: 'support-lookup',
  weight: 5,
  integration: 'support-order-lookup',
  method: 'GET',
  route: '/support/v1/orders/{orderId}',
  odds: [[404, 0.03]],
  ok: 200,
  typical: [30, 260],
  operation: 'SELECT',
  table: 'orders',
});

const placeB2bOrder = inbound({
  name: 'b2b-order',
  weight: 4,
  integration: 'b2b-orders',
  method: 'POST',
  route: '/b2b/v1/orders',
  odds: [
    [422, 0.04],
    [503, 0.01],
  ],
  ok: 201,
  typical: [120, 700],
  operation: 'INSERT',
  table: 'orders',
});

/**
 * Alpenrand's purchasing system places a replenishment order (`b2b-orders`); an accepted one is
 * a B2B transaction and saves keying its lines in by hand.
 */
export const b2bOrder: Scenario = {
  name: placeB2bOrder.name,
  weight: placeB2bOrder.weight,
  run(ctx) {
    const output = placeB2bOrder.run(ctx);
    const status = output.trace?.root.attributes['http.response.status_code'];
    if (status !== 201) return output;
    const { random } = ctx;
    const order = ctx.orderId();
    return {
      ...output,
      events: [
        ctx.events.make('transaction', {
          source: '/order-service/b2b',
          integration: 'b2b-orders',
          participant: 'alpenrand',
          data: {
            amount: amount(random, 1_500, 25_000),
            currency: 'EUR',
            customer: 'alpenrand-sport',
            channel: 'b2b',
            order,
          },
        }),
        ctx.events.make('handoff.automated', {
          source: '/order-service/b2b',
          integration: 'b2b-orders',
          data: { count: within(random, 5, 60) },
        }),
      ],
    };
  },
};
