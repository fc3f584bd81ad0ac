/**
 * The processes the demo traffic runs as and the hosts they call. The instrumented services are
 * Northwind's own (each a `service.name`, named in the example catalog's `systems[].services` or
 * equal to a system id); partners and suppliers are hosts only, as they send no traces.
 */

/** `service.name` of every simulated process. */
export const SERVICE = {
  storefront: 'storefront',
  checkout: 'checkout',
  orders: 'order-service',
  hub: 'hub-runtime',
  pim: 'pim',
  /** Declared by no system and called by no integration: the undeclared edge's callee. */
  recommendations: 'recommendations',
} as const;
export type ServiceName = (typeof SERVICE)[keyof typeof SERVICE];

/** `server.address` of every host called or serving in the demo. */
export const HOST = {
  shop: 'www.northwind-outfitters.example',
  publicApi: 'api.northwind-outfitters.example',
  checkout: 'checkout.northwind.internal',
  orders: 'orders.northwind.internal',
  ordersDb: 'orders-db.northwind.internal',
  storefront: 'storefront.northwind.internal',
  recommendations: 'recommendations.northwind.internal',
  kafka: 'kafka.northwind.internal',
  psp: 'api.paycadia.example',
  risk: 'risk.paycadia.example',
  wms: 'wms.vistula-fulfilment.example',
  sftp: 'sftp.vistula-fulfilment.example',
  erp: 'api.ledgerline.example',
  crm: 'api.relatia.example',
  marketplace: 'seller-api.bazaaro.example',
  affiliate: 'track.linkfield.example',
} as const;

/** The event bus topic order events travel on (`messaging.destination.name`). */
export const ORDERS_TOPIC = 'orders';

/** Marks the client span of the undeclared edge where a span names the integration it stands for. */
export const UNDECLARED = '(undeclared)';

/** Resource attributes every simulated process reports besides its `service.name`. */
export function resourceAttributes(service: string): Record<string, string> {
  return {
    'service.name': service,
    'service.namespace': 'northwind',
    'service.version': '2026.11.3',
    'deployment.environment.name': 'demo',
  };
}
