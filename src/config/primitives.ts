import { validateDetailed } from 'node-cron';
import { z } from 'zod';
import { DURATION_PATTERN, parseDuration } from './duration.ts';

/** Catalog ids: lowercase, digits, `-`, `_`, `.`; they become Prometheus label values and URL segments. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;

export const id = z
  .string()
  .regex(ID_PATTERN, { error: 'expected an id of 1-63 lowercase letters, digits, ".", "_" or "-"' })
  .meta({ description: 'Stable identifier: lowercase letters, digits, ".", "_" or "-" (at most 63).' });

/** A reference to another catalog entry by id; checked against the catalog after parsing. */
export const ref = (kind: string) =>
  id.meta({ description: `Id of ${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} in this catalog.` });

/**
 * A duration written as `500ms`, `30s`, `5m`, `1h30m`, `14d`; parsed to milliseconds.
 */
export const duration = z
  .string({ error: 'expected a duration such as "30s", "500ms" or "7d"' })
  .regex(DURATION_PATTERN, { error: 'expected a duration such as "30s", "500ms" or "7d"', abort: true })
  .transform((text) => parseDuration(text) as number)
  .meta({ description: 'Duration: a number and a unit (ms, s, m, h, d, w), e.g. "30s" or "1h30m".' });

/** A duration with a lower bound, e.g. `boundedDuration('1s')`. */
export const boundedDuration = (min: string) => {
  const minMs = parseDuration(min) as number;
  return duration.refine((ms) => ms >= minMs, { error: `expected a duration of at least ${min}` });
};

/** A cron expression (5 fields, or 6 with seconds), checked with node-cron's parser at load. */
export const cron = z
  .string({ error: 'expected a cron expression such as "*/5 * * * *"' })
  .superRefine((text, ctx) => {
    const result = validateDetailed(text);
    if (!result.valid) {
      const detail = result.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
      ctx.addIssue({
        code: 'custom',
        input: text,
        message: `expected a cron expression such as "*/5 * * * *" (${detail || 'unparseable'})`,
      });
    }
  })
  .meta({
    description: 'Cron expression: minute hour day-of-month month day-of-week (optionally seconds first).',
  });

/** ISO 3166-1 alpha-2 country code, upper case. */
export const country = z
  .string()
  .regex(/^[A-Z]{2}$/, { error: 'expected an ISO 3166-1 alpha-2 country code such as "DE"' });

/** ISO 4217 currency code, upper case. */
export const currency = z
  .string()
  .regex(/^[A-Z]{3}$/, { error: 'expected an ISO 4217 currency code such as "EUR"' });

/** A calendar date or timestamp, `2025-03-01` or `2025-03-01T10:00:00Z`. */
export const date = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], {
    error: 'expected a date such as "2025-03-01" or "2025-03-01T10:00:00Z"',
  })
  .meta({ description: 'ISO 8601 date or date-time.' });

export const labels = z
  .record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/), z.string())
  .meta({ description: 'Free-form key/value labels (not exported as Prometheus labels).' });

const SIZE_UNITS: Record<string, number> = {
  B: 1,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  KB: 1000,
  MB: 1000 ** 2,
};
const SIZE_PATTERN = /^(\d+)\s*(B|KiB|MiB|GiB|KB|MB)$/;

/** A size in bytes, written `512KiB`, `1MiB` or as a plain number of bytes. */
export const size = z
  .union(
    [z.int().min(0), z.string().regex(SIZE_PATTERN, { error: 'expected a size such as "64KiB" or "1MiB"' })],
    {
      error: 'expected a size such as "64KiB", "1MiB" or a number of bytes',
    },
  )
  .transform((value) => {
    if (typeof value === 'number') return value;
    const [, n, unit] = SIZE_PATTERN.exec(value) as RegExpExecArray;
    return Number(n) * (SIZE_UNITS[unit as string] as number);
  })
  .meta({ description: 'Size: bytes as a number, or a number and a unit (B, KiB, MiB, GiB, KB, MB).' });
