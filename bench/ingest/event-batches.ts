/**
 * `transaction` events for the ingest bench, as a shop, a marketplace, affiliates and B2B buyers
 * would send them to `POST /v1/events` (plain JSON, `{"events": [...]}`), in batches with unique
 * ids and current times. A few templates are encoded once; each batch is a copy of one with its
 * batch number written into every event id and the last second's times into every `time`, so the
 * load generator does no JSON work while it measures. Times go forward as they would from a real
 * sender, so the `(type, time)` index grows at its end, as in production.
 */
import { createHash } from 'node:crypto';
import type { BenchCatalog } from './catalog.ts';

const CURRENCIES = ['EUR', 'EUR', 'EUR', 'EUR', 'USD', 'GBP', 'PLN', 'SEK', 'CHF'];
/** Width of the batch number in an event id: up to a billion batches a run. */
const BATCH_DIGITS = 9;
const BATCH_PLACEHOLDER = '#'.repeat(BATCH_DIGITS);
const batchNumber = (n: number) => String(n).padStart(BATCH_DIGITS, '0');
const TIME_KEY = '"time":"';

/** The time of event `i` of a batch sent at `now` (Unix ms): the last `batchSize` ms, in order. */
export const eventTime = (now: number, i: number, batchSize: number): number => now - (batchSize - i);

/** One event as the bench sends it. */
export interface PlainEvent {
  id: string;
  type: 'transaction';
  time: string;
  source: string;
  participant?: string;
  integration: string;
  data: { amount: number; channel?: string; currency: string; customer: string; order?: string };
}

/** One stored row of the `events` table in column order, as the product writes it. */
export type EventRow = [
  id: string,
  type: string,
  time: number,
  receivedAt: number,
  source: string,
  participantId: string | null,
  integrationId: string,
  channel: string | null,
  customerId: string,
  userId: null,
  amount: number,
  currency: string,
  unattributed: null,
  hash: string,
  data: string,
];

interface Template {
  body: Buffer;
  /** Byte offsets of the batch-number placeholder, one per event. */
  offsets: number[];
  /** Byte offsets of the time values (24 characters, `2026-01-01T00:00:00.000Z`), one per event. */
  timeOffsets: number[];
  events: PlainEvent[];
}

export interface EventBatches {
  batchSize: number;
  /** The next batch: a new body with ids no earlier batch used. */
  next(): { body: Buffer; units: number };
  /**
   * Rows as the product would store them for the template events, for the raw SQLite limit; set
   * `time` with {@link eventTime}, as `next` does.
   */
  rowTemplates(): EventRow[][];
  /** The ids of batch `batch` (a template's events, numbered), as `next` would send them. */
  ids(batch: number): string[];
  /** Average body size per event, bytes. */
  bytesPerEvent: number;
}

/** The sender of each revenue channel: integrations with a `channel`, and the participant owning their far end. */
function senders(catalog: BenchCatalog): { integration: string; participant?: string; source: string }[] {
  const own = new Set(catalog.participants.filter((p) => p.role === 'orchestrator').map((p) => p.id));
  const out = catalog.integrations
    .filter((i) => i.channel !== undefined)
    .map((i) => {
      const participants = [i.from, i.to].map((s) => catalog.systems.get(s)?.participant);
      const partner = participants.find((p) => p !== undefined && !own.has(p));
      return {
        integration: i.id,
        ...(partner === undefined ? {} : { participant: partner }),
        source: `https://${i.from}.northwind.example/${i.id}`,
      };
    });
  if (out.length === 0) throw new Error('the example catalog has no integration with a channel');
  return out;
}

/** Writes each event's time over its 24-character `time` value: only the digits that change, cheaply. */
function writeTimes(body: Buffer, offsets: number[], now: number, batchSize: number): void {
  let second = Number.NaN;
  let head = '';
  offsets.forEach((at, i) => {
    const time = eventTime(now, i, batchSize);
    const s = Math.floor(time / 1_000);
    if (s !== second) {
      second = s;
      head = new Date(s * 1_000).toISOString().slice(0, 20); // 2026-01-01T00:00:00.
    }
    const ms = time - s * 1_000;
    body.write(head, at, 'latin1');
    body[at + 20] = 48 + Math.floor(ms / 100);
    body[at + 21] = 48 + (Math.floor(ms / 10) % 10);
    body[at + 22] = 48 + (ms % 10);
  });
}

/** Builds `templates` distinct batches of `batchSize` transactions; ids get the run tag and a batch number. */
export function createEventBatches(
  catalog: BenchCatalog,
  options: { batchSize: number; templates?: number; startMs?: number },
): EventBatches {
  const { batchSize } = options;
  const startMs = options.startMs ?? Date.now();
  const tag = startMs.toString(36);
  const from = senders(catalog);
  const channelOf = new Map(catalog.integrations.map((i) => [i.id, i.channel]));
  const templates: Template[] = [];
  for (let t = 0; t < (options.templates ?? 8); t++) {
    const events: PlainEvent[] = [];
    for (let i = 0; i < batchSize; i++) {
      const n = t * batchSize + i;
      const sender = from[n % from.length] as (typeof from)[number];
      const data: PlainEvent['data'] = {
        amount: Math.round((((n * 7919) % 50_000) + 99) * 1.37) / 100,
        currency: CURRENCIES[n % CURRENCIES.length] as string,
        customer: `cus_${((n * 104_729) % 900_000) + 100_000}`,
      };
      if (n % 4 === 0) data.channel = channelOf.get(sender.integration);
      if (n % 5 !== 0) data.order = `order:${tag}-${n}`;
      // Keys in the order the product writes them (alphabetical), so the stored JSON is the same.
      const sorted = Object.fromEntries(Object.entries(data).sort(([a], [b]) => (a < b ? -1 : 1)));
      events.push({
        id: `tx-${tag}-${BATCH_PLACEHOLDER}-${String(i).padStart(5, '0')}`,
        type: 'transaction',
        time: new Date(startMs - (batchSize - i) * 37).toISOString(),
        source: sender.source,
        ...(sender.participant === undefined ? {} : { participant: sender.participant }),
        integration: sender.integration,
        data: sorted as PlainEvent['data'],
      });
    }
    const body = Buffer.from(JSON.stringify({ events }), 'latin1');
    const offsets: number[] = [];
    for (let at = body.indexOf(BATCH_PLACEHOLDER); at >= 0; at = body.indexOf(BATCH_PLACEHOLDER, at + 1))
      offsets.push(at);
    const timeOffsets: number[] = [];
    for (let at = body.indexOf(TIME_KEY); at >= 0; at = body.indexOf(TIME_KEY, at + 1))
      timeOffsets.push(at + TIME_KEY.length);
    if (offsets.length !== batchSize || timeOffsets.length !== batchSize)
      throw new Error(`template ${t}: ${offsets.length} ids and ${timeOffsets.length} times found`);
    templates.push({ body, offsets, timeOffsets, events });
  }

  let batch = 0;
  const prefix = `tx-${tag}-`;
  const suffixes = Array.from({ length: batchSize }, (_, i) => `-${String(i).padStart(5, '0')}`);
  const bytes = templates.reduce((sum, t) => sum + t.body.length, 0);
  return {
    batchSize,
    bytesPerEvent: bytes / (templates.length * batchSize),
    next() {
      const template = templates[batch % templates.length] as Template;
      const number = batchNumber(batch++);
      const body = Buffer.from(template.body);
      for (const at of template.offsets) body.write(number, at, 'latin1');
      writeTimes(body, template.timeOffsets, Date.now(), batchSize);
      return { body, units: batchSize };
    },
    rowTemplates() {
      const receivedAt = Date.now();
      return templates.map((template) =>
        template.events.map((e): EventRow => {
          const hash = createHash('sha1')
            .update(JSON.stringify([e.id, e.type, e.source, e.participant ?? null, e.integration, e.data]))
            .digest('hex');
          return [
            e.id,
            e.type,
            Date.parse(e.time),
            receivedAt,
            e.source,
            e.participant ?? null,
            e.integration,
            e.data.channel ?? channelOf.get(e.integration) ?? null,
            e.data.customer,
            null,
            e.data.amount,
            e.data.currency,
            null,
            hash,
            JSON.stringify(e.data),
          ];
        }),
      );
    },
    ids(n) {
      const number = batchNumber(n);
      return suffixes.map((suffix) => `${prefix}${number}${suffix}`);
    },
  };
}
