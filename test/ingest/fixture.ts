import type { Config } from '../../src/config/index.ts';
import { type RunningService, startService } from '../../src/service.ts';
import { configFrom, silentLogger } from '../helpers.ts';

/**
 * A small catalog for ingest tests: a web shop whose storefront calls checkout, which calls a
 * payment provider; a search service nobody declared; a two-step workflow.
 */
export const INGEST_CATALOG = `
participants:
  - { id: shop, role: orchestrator, country: DE }
  - { id: psp, role: supplier, country: NL }
  - { id: carrier, role: supplier, country: NL }
systems:
  - { id: storefront, participant: shop, services: [storefront-web] }
  - { id: checkout, participant: shop }
  - { id: search, participant: shop }
  - { id: psp-api, participant: psp }
integrations:
  - id: web-checkout
    from: storefront
    to: checkout
    tier: critical
    channel: web
    match:
      - { service: storefront-web, serverAddress: checkout.internal }
      - { side: server, service: checkout, httpRoute: /api/checkout }
  - id: checkout-payment
    from: checkout
    to: psp-api
    tier: critical
    match:
      - { service: checkout, urlPrefix: "https://api.psp.example/v2/" }
workflows:
  - id: buy
    steps: [web-checkout, checkout-payment]
    timeout: 1m
`;

/** The ingest catalog plus extra YAML (settings), its store in `dir`. */
export function ingestConfig(dir: string, extra = ''): Config {
  return configFrom(`${INGEST_CATALOG}\n${extra}`, dir);
}

/** The whole service on a free loopback port, probes off, logs silent. */
export async function startTestService(config: Config): Promise<RunningService> {
  config.settings.server.port = 0;
  config.settings.probes.enabled = false;
  config.settings.log.level = 'silent';
  return startService(config, silentLogger);
}

/** The value of one series in a Prometheus text body, or undefined. */
export function sample(metrics: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of metrics.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = line.slice(name.length, line.lastIndexOf(' '));
    if (Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`)))
      return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}
