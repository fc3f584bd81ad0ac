export const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
/** The text form of a duration: one or more number-unit pairs. */
export const DURATION_PATTERN = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/;
const SEGMENT = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;
const FORMAT_UNITS = ['d', 'h', 'm', 's', 'ms'] as const;

/**
 * Parses a duration literal such as `500ms`, `2s`, `1h30m` or `14d` into ms; `undefined` when the
 * text is not one. Same units as config durations (ms, s, m, h, d, w).
 */
export function parseDurationLiteral(text: string): number | undefined {
  if (!DURATION_PATTERN.test(text)) return undefined;
  let total = 0;
  for (const [, value, unit] of text.matchAll(SEGMENT)) {
    total += Number(value) * (UNIT_MS[unit as string] as number);
  }
  return Math.round(total);
}

/**
 * Formats ms for a condition's detail: under a second as ms (one decimal at most), otherwise the
 * two largest whole units, rounded down, e.g. `13d23h`; negative values keep their sign.
 */
export function formatDurationFound(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const size = Math.abs(ms);
  if (size < 1_000) return `${sign}${Math.round(size * 10) / 10}ms`;
  for (const [i, unit] of FORMAT_UNITS.entries()) {
    const unitMs = UNIT_MS[unit] as number;
    const count = Math.floor(size / unitMs);
    if (count === 0) continue;
    const next = FORMAT_UNITS[i + 1];
    const rest = next ? Math.floor((size % unitMs) / (UNIT_MS[next] as number)) : 0;
    return `${sign}${count}${unit}${next && rest > 0 ? `${rest}${next}` : ''}`;
  }
  return `${sign}${size}ms`;
}
