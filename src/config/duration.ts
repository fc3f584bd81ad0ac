import { parseDurationLiteral, UNIT_MS } from '../../collector/conditions/duration.ts';

export { DURATION_PATTERN } from '../../collector/conditions/duration.ts';

/**
 * Parses a duration such as `500ms`, `30s`, `5m`, `1h30m`, `14d` into milliseconds.
 * Returns `undefined` when the text is not a duration. The same syntax as in probe conditions.
 *
 * @example
 * parseDuration('1h30m') // 5_400_000
 */
export const parseDuration: (text: string) => number | undefined = parseDurationLiteral;

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
