/**
 * Whether `status` is accepted by `expected`, a list of exact codes ("200") and classes ("2xx").
 * @example statusAccepted(204, ['2xx']) // true
 */
export function statusAccepted(status: number, expected: readonly string[]): boolean {
  const code = String(status);
  return expected.some((pattern) => (pattern.endsWith('xx') ? pattern[0] === code[0] : pattern === code));
}

/**
 * The reason of a `status` failure.
 * @example statusReason(503, ['2xx']) // "status 503, expected 2xx"
 */
export function statusReason(status: number, expected: readonly string[]): string {
  return `status ${status}, expected ${expected.join(' or ')}`;
}
