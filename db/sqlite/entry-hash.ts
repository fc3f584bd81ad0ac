import { createHash } from 'node:crypto';

/** Stable JSON (object keys sorted) so equal entries hash equal whatever their key order. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** SHA-256 of the canonical JSON: the `spec_hash` of catalog rows and the hash of a revision. */
export const entryHash = (value: unknown) => createHash('sha256').update(canonical(value)).digest('hex');
