/**
 * What every prober shares: the specs it receives (validated config, durations in ms, paths
 * absolute) and the plain result it returns. Probers never throw for a failed check: failure is
 * data, with a class from {@link FAILURE_CLASSES} and a short reason.
 */

export const FAILURE_CLASSES = [
  'timeout',
  'dns',
  'connect_refused',
  'connect_reset',
  'tls',
  'status',
  'condition',
  'body_too_large',
  'other',
] as const;
export type FailureClass = (typeof FAILURE_CLASSES)[number];

interface ProbeSpecBase {
  /** How often the probe runs, in ms. */
  interval: number;
  /** Per-run timeout in ms, enforced with an AbortSignal. */
  timeout: number;
  /** Conditions evaluated on each result (see collector/conditions); all must hold. */
  conditions: string[];
}

export interface HttpProbeSpec extends ProbeSpecBase {
  type: 'http';
  url: string;
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
  headers: Record<string, string>;
  body?: string | undefined;
  /** Follow 3xx redirects (at most 10); when false a 3xx is the final status. */
  followRedirects: boolean;
  /** Accepted statuses: exact codes ("200") or classes ("2xx"). */
  expectStatus: string[];
  tls: {
    /** Verify the server certificate chain and name (default true). */
    verify: boolean;
    /** PEM file paths for a client certificate and key, and an extra CA bundle. */
    cert?: string | undefined;
    key?: string | undefined;
    ca?: string | undefined;
  };
  /** Most response bytes read; a longer body fails with `body_too_large`. */
  maxBodyBytes: number;
}

export interface TcpProbeSpec extends ProbeSpecBase {
  type: 'tcp';
  host: string;
  port: number;
  /** Written after connecting. */
  send?: string | undefined;
  /** Substring the peer must send back (read up to maxBodyBytes) for success. */
  expect?: string | undefined;
  maxBodyBytes: number;
}

export interface DnsProbeSpec extends ProbeSpecBase {
  type: 'dns';
  name: string;
  recordType: 'A' | 'AAAA' | 'CNAME' | 'MX' | 'TXT' | 'SRV' | 'NS';
  /** Answers that must all be present (e.g. an address). */
  expect?: string[] | undefined;
  /** Resolver to ask, `host` or `host:port` (default: the system's resolvers). */
  server?: string | undefined;
}

export type ProbeSpec = HttpProbeSpec | TcpProbeSpec | DnsProbeSpec;
export type ProbeType = ProbeSpec['type'];

/** Phase timings in ms, measured from the start of the run; absent where a phase did not happen. */
export interface ProbePhases {
  dns?: number;
  connect?: number;
  tls?: number;
  firstByte?: number;
  total: number;
}

export interface ProbeFailure {
  class: FailureClass;
  /** Short and safe to show: never a header value or a body. */
  reason: string;
}

/** The outcome of one probe run. */
export interface ProbeResult {
  success: boolean;
  /** Wall-clock ms from start to the end of the run. */
  durationMs: number;
  phases?: ProbePhases;
  /** HTTP status of the final response. */
  statusCode?: number;
  /** Unix ms when the peer's leaf certificate expires (TLS targets). */
  tlsExpiresAt?: number;
  /** The response body as text, up to maxBodyBytes, for conditions; never stored. */
  body?: string;
  /** DNS answers as text (addresses, names, or "priority exchange" for MX). */
  answers?: string[];
  /** Whether a TCP connection was established. */
  connected?: boolean;
  failure?: ProbeFailure;
}

export interface ProbeContext {
  /** Aborted when the run's timeout passes or the service stops. */
  signal: AbortSignal;
}

/** One function per protocol: speaks the protocol, returns a plain result. */
export type Prober<S extends ProbeSpec = ProbeSpec> = (spec: S, ctx: ProbeContext) => Promise<ProbeResult>;

/** The spec type a prober of type `T` receives. */
export type ProbeSpecOf<T extends ProbeType> = Extract<ProbeSpec, { type: T }>;

/** One prober per protocol, keyed by probe type. */
export type ProberMap = { [T in ProbeType]: Prober<ProbeSpecOf<T>> };
