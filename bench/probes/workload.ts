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
