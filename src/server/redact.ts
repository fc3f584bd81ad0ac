const SECRET_KEY =
  /pass(word)?|secret|token|authorization|api[-_]?key|credential|dsn|private[-_]?key|cookie/i;
export const REDACTED = '[redacted]';

/**
 * Copies a catalog entry for display, hiding what may carry a secret: values under keys that
 * name one (password, token, authorization, …) and the user-info part of URLs.
 */
export function redactSpec(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    if (key && SECRET_KEY.test(key)) return REDACTED;
    return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/i, `$1${REDACTED}@`);
  }
  if (Array.isArray(value)) return value.map((item) => redactSpec(item, key));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        SECRET_KEY.test(k) && typeof v !== 'object' ? REDACTED : redactSpec(v, k),
      ]),
    );
  }
  return value;
}
