import { endOf, type PlannedSpan } from '../plan.ts';
import { HOST, SERVICE, UNDECLARED } from '../services.ts';
import { httpCall, httpServer } from '../spans.ts';
import { chance, latency, pick, type Scenario, statusOf, within } from './context.ts';

const PRODUCTS = [
  'fjell-shell-jacket',
  'tarn-45-backpack',
  'skarn-trail-shoe',
  'brae-fleece',
  'moss-down-vest',
];

/**
 * A shopper views a product page. Most views also fetch "customers also bought" from the
 * recommendations service, which a team runs without having declared it: the storefront to
 * recommendations calls are the demo's undeclared edge, which no integration matches and
 * Ecotone lists among its discovered edges.
 */
export const browse: Scenario = {
  name: 'browse',
  weight: 25,
  run(ctx) {
    const { random } = ctx;
    const user = ctx.user();
    const product = pick(random, PRODUCTS);
    const children: PlannedSpan[] = [];
    let end = within(random, 8, 30);
    if (chance(random, 0.7)) {
      const recommend = httpCall({
        caller: SERVICE.storefront,
        method: 'GET',
        url: `http://${HOST.recommendations}:8080/v1/recommendations?product=${product}&limit=8`,
        status: statusOf(random, [[500, 0.02]], 200),
        startMs: end,
        durationMs: latency(random, [20, 90], { share: 0.05, range: [400, 1_200] }),
        integration: UNDECLARED,
        server: { service: SERVICE.recommendations, route: '/v1/recommendations' },
      });
      children.push(recommend);
      end = endOf(recommend);
    }
    const root = httpServer({
      service: SERVICE.storefront,
      method: 'GET',
      route: '/api/products/{slug}',
      host: HOST.shop,
      path: `/api/products/${product}`,
      status: 200,
      startMs: 0,
      durationMs: end + within(random, 3, 12),
      children,
    });
    return {
      trace: { scenario: 'browse', root },
      events: [ctx.events.make('user.active', { source: '/storefront', data: { user } })],
    };
  },
};
