import { hash } from 'node:crypto';
import type { IngestEvent } from './types.ts';

/**
 * A stable content hash of an event, 40 lowercase hex characters (SHA-1), to tell an honest
 * retry (same id, same hash: a duplicate, counted once) from an id reused for other content
 * (same id, another hash: a conflict).
 *
 * It covers what the producer sent: `id`, `type`, `source`, `participant`, `integration` and the
 * validated `data`, as canonical JSON (object keys sorted, absent fields as `null`), so the same
 * event hashes alike whether it came as plain JSON or as a CloudEvent.
 *
 * Left out:
 * - `time`: an event sent without one is stamped with the receive time, so its retry would
 *   never match; and producers that stamp the send time change it on every retry.
 * - the typed fields (`channel`, `customer`, `user`, `amount`, `currency`): copies of `data`
 *   fields, which may be enriched after parsing (a transaction's channel defaulted from its
 *   integration) without making the event a different one.
 *
 * Stored hashes depend on this exact form: changing it turns every later retry into a conflict.
 *
 * @example
 * if (stored.hash !== eventHash(event)) conflicts.push(event.id);
 */
export function eventHash(event: IngestEvent): string {
  const head = [
    event.id,
    event.type,
    event.source ?? null,
    event.participant ?? null,
    event.integration ?? null,
  ];
  // Validated payloads are flat with their keys in order already: plain JSON.stringify is canonical then.
  const canonical = isFlatAndSorted(event.data)
    ? JSON.stringify([...head, event.data])
    : `${JSON.stringify(head).slice(0, -1)},${canonicalJson(event.data)}]`;
  return hash('sha1', canonical, 'hex');
}

function isFlatAndSorted(record: Record<string, unknown>): boolean {
  let previous = '';
  for (const key in record) {
    if (!Object.hasOwn(record, key)) return false;
    const value = record[key];
    if ((value !== null && typeof value === 'object') || key < previous) return false;
    previous = key;
  }
  return true;
}

/** JSON with object keys in code-unit order and `undefined` members left out, like `JSON.stringify`. */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = '{';
  for (const key of Object.keys(record).sort()) {
    const member = record[key];
    if (member === undefined) continue;
    out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `${out}}`;
}
