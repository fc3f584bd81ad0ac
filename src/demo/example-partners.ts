import { expiringCertificate } from './behaviours/expiring-certificate.ts';
import { flapping } from './behaviours/flapping.ts';
import { healthy } from './behaviours/healthy.ts';
import { outage } from './behaviours/outage.ts';
import { reportsDegraded } from './behaviours/reports-degraded.ts';
import { slow } from './behaviours/slow.ts';
import type { EndpointDefinition, ListenerDefinition } from './endpoint.ts';

/**
 * The ports the simulator opens for `examples/ecosystem.yaml`, with the example's defaults. The
 * outage owns `sftp` and the expiring certificate owns `https`, since both act on a whole port.
 */
export const EXAMPLE_LISTENERS = {
  /** Partner health endpoints over plain HTTP (default 9481). */
  http: { protocol: 'http', port: 9481 },
  /** The marketplace API with the expiring certificate (default 9482). */
  https: { protocol: 'https', port: 9482 },
  /** The event bus, plain TCP (default 9092). */
  eventBus: { protocol: 'tcp', port: 9092 },
  /** The 3PL's SFTP drop, TCP with an SSH banner (default 2222). */
  sftp: { protocol: 'tcp', port: 2222 },
  /** A resolver for the carrier's API name, UDP (default 9553). */
  dns: { protocol: 'dns', port: 9553 },
} as const satisfies Record<string, ListenerDefinition>;

export type ExampleListener = keyof typeof EXAMPLE_LISTENERS;

/** The example's probe targets and how each one behaves, one entry per probed integration. */
export const EXAMPLE_ENDPOINTS: readonly EndpointDefinition<ExampleListener>[] = [
  {
    id: 'checkout-health',
    integration: 'storefront-checkout',
    listener: 'http',
    path: '/checkout/health',
    env: { CHECKOUT_HEALTH_URL: 'url' },
    behaviour: (tools) => healthy(tools),
  },
  {
    id: 'psp-health',
    integration: 'checkout-payment',
    listener: 'http',
    path: '/psp/health',
    env: { PSP_HEALTH_URL: 'url' },
    behaviour: (tools) => flapping(tools),
  },
  {
    id: 'fraud-health',
    integration: 'checkout-fraud-screening',
    listener: 'http',
    path: '/fraud/health',
    env: { FRAUD_HEALTH_URL: 'url' },
    behaviour: (tools) => slow(tools),
  },
  {
    id: 'orders-health',
    integration: 'checkout-place-order',
    listener: 'http',
    path: '/orders/health',
    env: { ORDER_SERVICE_HEALTH_URL: 'url' },
    behaviour: (tools) => reportsDegraded(tools),
  },
  {
    id: 'wms-health',
    integration: 'order-fulfilment',
    listener: 'http',
    path: '/wms/health',
    env: { WMS_HEALTH_URL: 'url' },
    behaviour: (tools) => healthy(tools),
  },
  {
    id: 'marketplace-health',
    integration: 'marketplace-orders',
    listener: 'https',
    path: '/marketplace/health',
    env: { MARKETPLACE_API_URL: 'url' },
    behaviour: (tools) => expiringCertificate(tools),
  },
  {
    id: 'event-bus',
    integration: 'order-events',
    listener: 'eventBus',
    env: { EVENT_BUS_HOST: 'host', EVENT_BUS_PORT: 'port' },
    behaviour: (tools) => healthy(tools),
  },
  {
    id: 'sftp',
    integration: 'tpl-stock-files',
    listener: 'sftp',
    greeting: 'SSH-2.0-VistulaSFTP_3.1\r\n',
    env: { SFTP_HOST: 'host', SFTP_PORT: 'port' },
    behaviour: (tools) => outage(healthy(tools)),
  },
  {
    id: 'carrier-dns',
    integration: 'shipment-labels',
    listener: 'dns',
    name: 'api.kestrel-parcel.example',
    addresses: ['127.0.0.1'],
    env: { CARRIER_API_HOST: 'name', DEMO_DNS_SERVER: 'server' },
    behaviour: (tools) => healthy(tools),
  },
];
