import { parseArgs } from 'node:util';

/**
 * The workload both halves of the probe bench run: N integrations, each an HTTP GET of its own
 * URL on the loopback target every {@link PROBE_INTERVAL_MS} with a {@link PROBE_TIMEOUT_MS}
 * timeout.
 */

/** The probe interval of every bench integration, in ms (also the warm-up). */
export const PROBE_INTERVAL_MS = 30_000;

/** The per-run timeout of every bench probe, in ms. */
export const PROBE_TIMEOUT_MS = 5_000;

/** The URL integration `i` probes on the target server at `port`. */
export const targetUrl = (port: number, i: number): string => `http://127.0.0.1:${port}/i/${i}`;

/** The flags of a bench half run as its own process; exits with a usage line on bad values. */
export function halfArgs(script: string): {
  integrations: number;
  seconds: number;
  port?: number;
  json: boolean;
} {
  const { values } = parseArgs({
    options: {
      integrations: { type: 'string', default: '2000' },
      seconds: { type: 'string', default: '60' },
      port: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const integrations = Number(values.integrations);
  const seconds = Number(values.seconds);
  const port = values.port === undefined ? undefined : Number(values.port);
  if (
    !Number.isInteger(integrations) ||
    integrations < 1 ||
    !(seconds > 0 && seconds <= 3_600) ||
    (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65_536))
  ) {
    console.error(`usage: node ${script} [--integrations 2000] [--seconds 60] [--port N] [--json]`);
    process.exit(2);
  }
  return { integrations, seconds, ...(port === undefined ? {} : { port }), json: values.json };
}
