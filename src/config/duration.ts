const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** The text form of a duration, one or more number-unit pairs. */
export const DURATION_PATTERN = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/;
const SEGMENT = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;

/**
 * Parses a duration such as `500ms`, `30s`, `5m`, `1h30m`, `14d` into milliseconds.
 * Returns `undefined` when the text is not a duration.
 *
 * @example
 * parseDuration('1h30m') // 5_400_000
 */
export function parseDuration(text: string): number | undefined {
  if (!DURATION_PATTERN.test(text)) return undefined;
  let total = 0;
  for (const [, value, unit] of text.matchAll(SEGMENT)) {
    total += Number(value) * (UNIT_MS[unit as string] as number);
  }
  return Math.round(total);
}

/**
 * Formats milliseconds as the largest whole units, e.g. `90000` as `1m30s`.
 */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const parts: string[] = [];
  let rest = ms;
  for (const unit of ['d', 'h', 'm', 's', 'ms'] as const) {
    const size = UNIT_MS[unit] as number;
    const count = Math.floor(rest / size);
    if (count > 0) {
      parts.push(`${count}${unit}`);
      rest -= count * size;
    }
  }
  return parts.join('');
}
