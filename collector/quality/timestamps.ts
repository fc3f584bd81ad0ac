/** Numbers below this are Unix seconds, at or above it Unix milliseconds (1e11 s is the year 5138). */
export const SECONDS_LIMIT = 1e11;
const ZONELESS = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
const NUMERIC = /^[-+]?\d+(\.\d+)?$/;

/**
 * Reads a timestamp as Unix ms: a Date; a number of Unix seconds (below 1e11) or milliseconds;
 * an ISO 8601 text, taken as UTC when it has no zone (as SQLite's `datetime('now')` writes it).
 * Undefined when the value is not a timestamp.
 */
export function toTimestampMs(value: unknown): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
  if (typeof value === 'bigint') return toTimestampMs(Number(value));
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    return Math.abs(value) < SECONDS_LIMIT ? value * 1000 : value;
  }
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (NUMERIC.test(text)) return toTimestampMs(Number(text));
  const ms = Date.parse(ZONELESS.test(text) ? `${text.replace(' ', 'T')}Z` : text);
  return Number.isNaN(ms) ? undefined : ms;
}
