import { expect } from 'vitest';
import type { DnsProbeSpec, HttpProbeSpec, ProbeResult, TcpProbeSpec } from './types.ts';

const BASE = { interval: 30_000, timeout: 2_000, conditions: [] };

/** A valid HTTP probe spec for tests: GET, follow redirects, expect 2xx, verify TLS, 1 MiB body. */
export function httpSpec(overrides: Partial<HttpProbeSpec> & Pick<HttpProbeSpec, 'url'>): HttpProbeSpec {
  return {
    ...BASE,
    type: 'http',
    method: 'GET',
    headers: {},
    followRedirects: true,
    expectStatus: ['2xx'],
    tls: { verify: true },
    maxBodyBytes: 1_048_576,
    ...overrides,
  };
}

/** A valid TCP probe spec for tests. */
export function tcpSpec(overrides: Partial<TcpProbeSpec> & Pick<TcpProbeSpec, 'port'>): TcpProbeSpec {
  return { ...BASE, type: 'tcp', host: 'localhost', maxBodyBytes: 1_048_576, ...overrides };
}

/** A valid DNS probe spec for tests. */
export function dnsSpec(overrides: Partial<DnsProbeSpec> & Pick<DnsProbeSpec, 'name'>): DnsProbeSpec {
  return { ...BASE, type: 'dns', recordType: 'A', ...overrides };
}

/** How far past its timeout a run may end: generous, since this checks the bound, not speed. */
export const TIMEOUT_MARGIN_MS = 2_000;

/**
 * libuv timers count whole ms from a floored clock, so a timer can fire up to 1 ms before
 * `performance.now()` says it is due (seen in about 2% of 30 ms runs).
 */
export const TIMER_GRANULARITY_MS = 1;

/** Asserts a run was ended by its timeout at the bound: not before it, and not long after. */
export function expectEndedAtTimeout(result: ProbeResult, timeoutMs: number): void {
  expect(result.failure?.class).toBe('timeout');
  expect(result.durationMs).toBeGreaterThanOrEqual(timeoutMs - TIMER_GRANULARITY_MS);
  expect(result.durationMs).toBeLessThan(timeoutMs + TIMEOUT_MARGIN_MS);
}
