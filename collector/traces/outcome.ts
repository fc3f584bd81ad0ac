import { type DecodedSpan, StatusCode } from './types.ts';

/** How a traced call ended, from its HTTP status first and its span status second. */
export const REQUEST_OUTCOMES = ['success', 'client_error', 'server_error', 'error'] as const;
export type RequestOutcome = (typeof REQUEST_OUTCOMES)[number];

function httpStatus(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.length === 3) return Number(value);
  return 0;
}

/**
 * The outcome of one span: `http.response.status_code` (or the older `http.status_code`; a
 * number, or a three-digit string as some SDKs send it) of 5xx is `server_error` and of 4xx
 * `client_error`; otherwise a span status of ERROR is `error`; anything else is `success`. A 4xx
 * outranks the span status because it says whose fault the failure was.
 * @example
 * spanOutcome({ ...span, attributes: { 'http.response.status_code': 503 } }); // 'server_error'
 */
export function spanOutcome(span: DecodedSpan): RequestOutcome {
  const attributes = span.attributes;
  const status = httpStatus(attributes['http.response.status_code'] ?? attributes['http.status_code']);
  if (status >= 500 && status < 600) return 'server_error';
  if (status >= 400 && status < 500) return 'client_error';
  return span.statusCode === StatusCode.ERROR ? 'error' : 'success';
}
