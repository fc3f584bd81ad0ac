import { ProbeError } from './result.ts';
import type { FailureClass, ProbeFailure, ProbePhases } from './types.ts';

/** What `runProbe` knows about how a run ended, besides the error itself. */
export interface ClassifyContext {
  /** The run's own timeout fired. */
  timedOut: boolean;
  /** The run's timeout in ms, named in the reason. */
  timeoutMs: number;
  /** The caller's signal ended the run (e.g. the service is stopping). */
  aborted?: boolean | undefined;
  /** Phases measured before the failure, to say where a timeout hit. */
  phases?: ProbePhases | undefined;
}

/** The parts of an error that classification reads. Messages are matched, never shown. */
interface ErrorFacts {
  code: string;
  name: string;
  message: string;
  syscall: string;
  hostname?: string | undefined;
  address?: string | undefined;
  port?: number | undefined;
}

interface Rule {
  class: FailureClass;
  matches: (error: ErrorFacts) => boolean;
  reason: (error: ErrorFacts) => string;
}

const DNS_REASONS: Record<string, string> = {
  ENOTFOUND: 'name not found',
  ENONAME: 'name not found',
  EAI_NONAME: 'name not found',
  EAI_NODATA: 'no address for the name',
  EAI_AGAIN: 'temporary resolver failure',
  EAI_FAIL: 'resolver failure',
  ENODATA: 'no records of this type',
  ESERVFAIL: 'server failure',
  EREFUSED: 'query refused',
  ETIMEOUT: 'query timed out',
  EFORMERR: 'query rejected as malformed',
  ENOTIMP: 'query type not implemented',
  EBADRESP: 'malformed reply',
  EBADNAME: 'invalid name',
  ECANCELLED: 'query cancelled',
};
const RESOLVER_REASONS: Record<string, string> = {
  ECONNREFUSED: 'resolver refused the connection',
  ECONNRESET: 'resolver reset the connection',
  EOF: 'resolver closed the connection',
};
const DNS_SYSCALL = /^(query|getaddrinfo|getnameinfo|getHostByAddr)/;

const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE']);

const TLS_REASONS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in the chain',
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'cannot verify the leaf certificate',
  UNABLE_TO_GET_ISSUER_CERT: 'issuer certificate not found',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'issuer certificate not found locally',
  CERT_SIGNATURE_FAILURE: 'bad certificate signature',
  CERT_UNTRUSTED: 'certificate not trusted',
  CERT_REJECTED: 'certificate rejected',
  CERT_REVOKED: 'certificate revoked',
  INVALID_CA: 'invalid CA certificate',
  HOSTNAME_MISMATCH: 'hostname does not match the certificate',
  ERR_TLS_CERT_ALTNAME_INVALID: 'hostname does not match the certificate',
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: 'server requires a client certificate',
  ERR_TLS_HANDSHAKE_TIMEOUT: 'TLS handshake timed out',
  EPROTO: 'TLS protocol error',
};
const TLS_CODE = /^ERR_(SSL|TLS|OSSL)_|CERT/;

const OTHER_REASONS: Record<string, string> = {
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EADDRNOTAVAIL: 'address not available',
  ERR_INVALID_URL: 'invalid URL',
  ERR_INVALID_HTTP_TOKEN: 'invalid method or header name',
  ERR_HTTP_INVALID_HEADER_VALUE: 'invalid header value',
  ERR_INVALID_CHAR: 'invalid character in a header',
  ERR_UNESCAPED_CHARACTERS: 'invalid characters in the request path',
  ERR_SOCKET_BAD_PORT: 'invalid port',
};

const at = (error: ErrorFacts): string =>
  error.address === undefined
    ? ''
    : ` to ${error.address}${error.port === undefined ? '' : `:${error.port}`}`;

function resetReason(error: ErrorFacts): string {
  if (error.message === 'socket hang up') return `socket hang up (${error.code})`;
  if (error.message === 'aborted') return `response cut short (${error.code})`;
  if (error.message.includes('secure TLS connection'))
    return `connection reset during the TLS handshake (${error.code})`;
  return `connection reset${at(error)} (${error.code})`;
}

/** The classification table, first match wins. Exported for its table-driven test. */
export const RULES: readonly Rule[] = [
  {
    class: 'dns',
    matches: (e) => e.code in DNS_REASONS || (DNS_SYSCALL.test(e.syscall) && e.code !== ''),
    reason: (e) =>
      `${e.hostname ? `cannot resolve ${e.hostname}` : 'dns lookup failed'}: ${DNS_REASONS[e.code] ?? RESOLVER_REASONS[e.code] ?? 'resolver error'} (${e.code})`,
  },
  {
    class: 'timeout',
    matches: (e) => e.name === 'TimeoutError' || e.code === 'ETIMEDOUT',
    reason: (e) => (e.code === 'ETIMEDOUT' ? `connection timed out${at(e)} (ETIMEDOUT)` : 'timed out'),
  },
  {
    class: 'connect_refused',
    matches: (e) => e.code === 'ECONNREFUSED',
    reason: (e) => `connection refused${at(e)} (ECONNREFUSED)`,
  },
  { class: 'connect_reset', matches: (e) => RESET_CODES.has(e.code), reason: resetReason },
  {
    class: 'tls',
    matches: (e) => e.code in TLS_REASONS || TLS_CODE.test(e.code),
    reason: (e) => `${TLS_REASONS[e.code] ?? 'TLS handshake failed'} (${e.code})`,
  },
  {
    class: 'other',
    matches: (e) => e.code.startsWith('HPE_'),
    reason: (e) => `invalid HTTP response (${e.code})`,
  },
  {
    class: 'other',
    matches: (e) => e.code in OTHER_REASONS,
    reason: (e) => `${OTHER_REASONS[e.code]}${at(e)} (${e.code})`,
  },
  {
    class: 'other',
    matches: () => true,
    reason: (e) => (e.code ? `unexpected error (${e.code})` : `unexpected ${e.name}`),
  },
];

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function factsOf(error: unknown): ErrorFacts {
  const first = error instanceof AggregateError ? (error.errors[0] as unknown) : undefined;
  const fields = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const inner = (typeof first === 'object' && first !== null ? first : {}) as Record<string, unknown>;
  const pick = (key: string): unknown => fields[key] ?? inner[key];
  const port = pick('port');
  return {
    code: text(pick('code')),
    name: text(fields.name) || 'error',
    message: text(fields.message),
    syscall: text(pick('syscall')),
    hostname: text(pick('hostname')) || undefined,
    address: text(pick('address')) || undefined,
    port: typeof port === 'number' ? port : undefined,
  };
}

/** Classifies an error by its code (and, for a few, its exact message) with {@link RULES}. */
export function classifyError(error: unknown): ProbeFailure {
  const facts = factsOf(error instanceof ProbeError ? error.cause : error);
  const rule = RULES.find((candidate) => candidate.matches(facts))!;
  return { class: rule.class, reason: rule.reason(facts) };
}

function timeoutStage(phases: ProbePhases | undefined): string {
  if (!phases) return '';
  if (phases.connect === undefined) return ' while connecting';
  if (phases.firstByte === undefined) return ' waiting for the response';
  return ' reading the response';
}

/**
 * Classifies how a run ended: the run's timeout first (whatever error it caused), then an abort
 * by the caller, then the error itself. Reasons are short and never carry a message, header or body.
 * @example classifyFailure(error, { timedOut: true, timeoutMs: 500 }) // { class: 'timeout', reason: 'timeout after 500ms' }
 */
export function classifyFailure(error: unknown, context: ClassifyContext): ProbeFailure {
  if (context.timedOut) {
    return {
      class: 'timeout',
      reason: `timeout after ${context.timeoutMs}ms${timeoutStage(context.phases)}`,
    };
  }
  if (context.aborted) return { class: 'other', reason: 'run aborted' };
  return classifyError(error);
}
