import type { DemoEvent } from '../events.ts';
import { endOf, type PlannedSpan } from '../plan.ts';
import { HOST, ORDERS_TOPIC, SERVICE } from '../services.ts';
import { consume, httpCall, httpServer, internal, publish, sql } from '../spans.ts';
import { amount, latency, type Scenario, type ScenarioContext, statusOf, within } from './context.ts';

/** Probability that Paycadia declines a payment (402): the workflow fails at its second step. */
export const DECLINE_RATE = 0.06;

function hubWork(ctx: ScenarioContext, customer: string, startMs: number, events: DemoEvent[]) {
  const { random } = ctx;
  const children: PlannedSpan[] = [];
  let t = startMs + within(random, 1, 4);
  const releaseStatus = statusOf(
    random,
    [
      [503, 0.015],
      [504, 0.005],
    ],
    201,
  );
  const release = httpCall({
    caller: SERVICE.hub,
    method: 'POST',
    url: `https://${HOST.wms}/api/v2/outbound-orders`,
    status: releaseStatus,
    startMs: t,
    durationMs: latency(random, [150, 900], { share: 0.03, range: [3_000, 4_500] }),
    integration: 'order-fulfilment',
  });
  children.push(release);
  t = endOf(release) + within(random, 2, 8);
  let error: string | undefined;
  if (releaseStatus >= 400) error = 'order release to the warehouse failed; will retry';
  else {
    events.push(
      ctx.events.make('handoff.automated', { source: '/integration-hub', integration: 'order-fulfilment' }),
    );
    const invoiceStatus = statusOf(random, [[500, 0.01]], 201);
    const invoice = httpCall({
      caller: SERVICE.hub,
      method: 'POST',
      url: `https://${HOST.erp}/v1/invoices`,
      status: invoiceStatus,
      startMs: t,
      durationMs: latency(random, [300, 1_800]),
      integration: 'order-invoicing',
    });
    children.push(invoice);
    t = endOf(invoice) + within(random, 2, 8);
    if (invoiceStatus < 400)
      events.push(
        ctx.events.make('handoff.automated', { source: '/integration-hub', integration: 'order-invoicing' }),
      );
    else error = 'invoice not booked; will retry';
    const crm = httpCall({
      caller: SERVICE.hub,
      method: 'PUT',
      url: `https://${HOST.crm}/v2/customers/${customer}`,
      status: statusOf(random, [[503, 0.01]], 200),
      startMs: t,
      durationMs: latency(random, [100, 700]),
      integration: 'customer-sync-crm',
    });
    children.push(crm);
    t = endOf(crm);
  }
  return consume({
    service: SERVICE.hub,
    topic: ORDERS_TOPIC,
    group: 'hub-order-routing',
    startMs,
    durationMs: t + within(random, 1, 4) - startMs,
    ...(error !== undefined ? { error } : {}),
    children,
  });
}

function placeOrder(ctx: ScenarioContext, customer: string, startMs: number, events: DemoEvent[]) {
  const { random } = ctx;
  const status = statusOf(random, [[503, 0.01]], 201);
  const serverStart = startMs + 2;
  const insert = sql({
    service: SERVICE.orders,
    operation: 'INSERT',
    table: 'orders',
    startMs: serverStart + within(random, 1, 4),
    durationMs: status === 503 ? within(random, 400, 900) : within(random, 3, 15),
  });
  const children: PlannedSpan[] = [insert];
  let end = endOf(insert);
  if (status === 201) {
    const sendStart = end + within(random, 1, 3);
    const sendMs = latency(random, [2, 25], { share: 0.02, range: [250, 600] });
    const consumerStart = sendStart + sendMs + within(random, 20, 600);
    const send = publish({
      service: SERVICE.orders,
      topic: ORDERS_TOPIC,
      startMs: sendStart,
      durationMs: sendMs,
      integration: 'order-events',
      consumers: [hubWork(ctx, customer, consumerStart, events)],
    });
    children.push(send);
    end = endOf(send);
  }
  const network = latency(random, [10, 60], { share: 0.02, range: [600, 1_000] });
  const durationMs = end - startMs + within(random, 2, 6) + network;
  return {
    status,
    span: httpCall({
      caller: SERVICE.checkout,
      method: 'POST',
      url: `http://${HOST.orders}:8080/v1/orders`,
      status,
      startMs,
      durationMs,
      integration: 'checkout-place-order',
      server: { service: SERVICE.orders, route: '/v1/orders', children },
    }),
  };
}

/**
 * A web order: the storefront submits a checkout, the checkout API accepts it (202) and then, in
 * the same trace, screens it for fraud, authorises the payment and places the order; the order
 * service publishes it on the event bus, and the integration hub releases it to the warehouse,
 * books the invoice and updates the CRM. The six steps of the `order-to-cash` workflow.
 *
 * It fails halfway now and then: Paycadia declines the payment (402, {@link DECLINE_RATE}) or
 * is unavailable (503), and no later step happens; more rarely the order service or the
 * warehouse fails. Fraud screening is slow against its 400ms SLO, as its probe shows.
 */
export const orderToCash: Scenario = {
  name: 'order-to-cash',
  weight: 35,
  run(ctx) {
    const { random } = ctx;
    const order = ctx.orderId();
    const customer = ctx.customer();
    const user = ctx.user();
    const total = amount(random, 39, 420);
    const events: DemoEvent[] = [ctx.events.make('user.active', { source: '/storefront', data: { user } })];

    const submitStart = within(random, 3, 8);
    const acceptStatus = statusOf(random, [[503, 0.005]], 202);
    const acceptMs = latency(random, [40, 180], { share: 0.03, range: [320, 700] });
    const work: PlannedSpan[] = [];
    if (acceptStatus === 202) {
      const processStart = submitStart + acceptMs - 8;
      let t = processStart + within(random, 1, 3);
      const fraud = httpCall({
        caller: SERVICE.checkout,
        method: 'POST',
        url: `https://${HOST.risk}/v2/scores`,
        status: statusOf(random, [[503, 0.01]], 200),
        startMs: t,
        durationMs: latency(random, [250, 420], { share: 0.4, range: [450, 850] }),
        integration: 'checkout-fraud-screening',
      });
      t = endOf(fraud) + within(random, 1, 4);
      const paymentStatus = statusOf(
        random,
        [
          [402, DECLINE_RATE],
          [503, 0.02],
        ],
        201,
      );
      const payment = httpCall({
        caller: SERVICE.checkout,
        method: 'POST',
        url: `https://${HOST.psp}/v3/payments`,
        status: paymentStatus,
        startMs: t,
        durationMs: latency(random, [280, 900], { share: 0.03, range: [1_600, 2_800] }),
        integration: 'checkout-payment',
        peerService: 'paycadia-payments',
      });
      t = endOf(payment) + within(random, 1, 4);
      const steps: PlannedSpan[] = [fraud, payment];
      let outcome =
        paymentStatus === 402 ? 'declined' : paymentStatus === 503 ? 'payment_unavailable' : 'paid';
      if (paymentStatus === 201) {
        const placed = placeOrder(ctx, customer, t, events);
        steps.push(placed.span);
        t = endOf(placed.span);
        if (placed.status === 201) {
          outcome = 'placed';
          events.push(
            ctx.events.make('transaction', {
              source: '/checkout',
              integration: 'storefront-checkout',
              participant: 'northwind',
              data: { amount: total, currency: 'EUR', customer, channel: 'web', order },
            }),
          );
        } else outcome = 'order_failed';
      }
      work.push(
        internal({
          service: SERVICE.checkout,
          name: 'process checkout',
          startMs: processStart,
          durationMs: t + within(random, 1, 3) - processStart,
          attributes: { 'checkout.outcome': outcome },
          ...(outcome === 'placed' || outcome === 'declined' ? {} : { error: `checkout ${outcome}` }),
          children: steps,
        }),
      );
    }
    const submit = httpCall({
      caller: SERVICE.storefront,
      method: 'POST',
      url: `http://${HOST.checkout}:8080/v1/checkouts/${order}/submit`,
      status: acceptStatus,
      startMs: submitStart,
      durationMs: acceptMs,
      integration: 'storefront-checkout',
      server: { service: SERVICE.checkout, route: '/v1/checkouts/{checkoutId}/submit', children: work },
    });
    const root = httpServer({
      service: SERVICE.storefront,
      method: 'POST',
      route: '/api/checkout/submit',
      host: HOST.shop,
      status: acceptStatus === 202 ? 202 : 502,
      startMs: 0,
      durationMs: endOf(submit) + within(random, 2, 6),
      children: [submit],
    });
    return { trace: { scenario: 'order-to-cash', root }, events };
  },
};
