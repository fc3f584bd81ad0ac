/**
 * Benchmark of event parsing for `POST /v1/events`: batches of 1,000 realistic transaction events,
 * as plain JSON and as a CloudEvents batch, timed three ways on one core: `parseEventBatch` on an
 * already parsed body, `JSON.parse` of the body text then `parseEventBatch`, and that plus
 * `eventHash` of every event (what the route does before it writes). Prints events/s against the
 * 100,000 events/s the whole ingest path needs on 2 cores. It only reports: slow results never fail it.
 *
 * Run: `node bench/ingest/parse-events.ts`, or `node bench/ingest/parse-events.ts --batch 1000 --seconds 3`.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { type EventFormat, eventHash, parseEventBatch } from '../../collector/events/index.ts';

const GOAL_EVENTS_PER_SECOND = 100_000;
const CURRENCIES = ['EUR', 'EUR', 'EUR', 'USD', 'GBP', 'PLN', 'SEK', 'CHF'];
const CHANNELS = ['marketplace', 'affiliate', 'partner-api', 'webshop'];
const INTEGRATIONS = ['shop-psp', 'marketplace-orders', 'affiliate-feed', 'erp-billing', 'crm-sync'];

const { values } = parseArgs({
  options: {
    batch: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '2' },
  },
});
const batchSize = Number(values.batch);
const seconds = Number(values.seconds);
if (!Number.isInteger(batchSize) || batchSize < 1 || !(seconds > 0)) {
  console.error('usage: node bench/ingest/parse-events.ts [--batch 1000] [--seconds 2]');
  process.exit(2);
}

/** A batch as a shop would send it: every event with a time, an integration, a customer, most with an order. */
function transactions(n: number, startMs: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => {
    const data: Record<string, unknown> = {
      amount: Math.round(((i * 7919) % 50_000) + 99) / 100,
      currency: CURRENCIES[i % CURRENCIES.length],
      customer: `cus_${(i * 104_729) % 1_000_000}`,
    };
    if (i % 3 !== 0) data.channel = CHANNELS[i % CHANNELS.length];
    if (i % 5 !== 0) data.order = `order:${startMs}-${i}`;
    return {
      id: `01JN${startMs.toString(36).toUpperCase()}${i.toString(36).padStart(6, '0').toUpperCase()}`,
      type: 'transaction',
      time: new Date(startMs - (n - i) * 1_000).toISOString(),
      source: 'https://shop.example.com/checkout',
      integration: INTEGRATIONS[i % INTEGRATIONS.length],
      data,
    };
  });
}

function measure(label: string, run: () => number): { label: string; eventsPerSecond: number } {
  for (const end = performance.now() + 300; performance.now() < end; ) run();
  let events = 0;
  const started = performance.now();
  const end = started + seconds * 1_000;
  while (performance.now() < end) events += run();
  return { label, eventsPerSecond: events / ((performance.now() - started) / 1_000) };
}

const now = Date.now();
const options = { maxBatch: batchSize, now, maxFutureSkewMs: 300_000 };
const plain = transactions(batchSize, now);
const cloud = plain.map((event) => ({ specversion: '1.0', datacontenttype: 'application/json', ...event }));
const bodies: { format: EventFormat; body: unknown }[] = [
  { format: 'json', body: { events: plain } },
  { format: 'cloudevents-batch', body: cloud },
];

const cpu = cpus();
console.log(`machine: ${cpu[0]?.model ?? 'unknown cpu'}, ${cpu.length} cores, Node ${process.version}`);
console.log(
  `batches of ${batchSize} transaction events, ${seconds} s per row after a warm-up; goal: well above ${GOAL_EVENTS_PER_SECOND.toLocaleString('en-US')} events/s end to end on 2 cores\n`,
);

const rows: { label: string; eventsPerSecond: number; bytes: number }[] = [];
for (const { format, body } of bodies) {
  const text = JSON.stringify(body);
  const bytes = Buffer.byteLength(text) / batchSize;
  rows.push({
    ...measure(`${format}: parseEventBatch`, () => parseEventBatch(body, format, options).length),
    bytes,
  });
  rows.push({
    ...measure(
      `${format}: JSON.parse + parseEventBatch`,
      () => parseEventBatch(JSON.parse(text), format, options).length,
    ),
    bytes,
  });
  rows.push({
    ...measure(`${format}: JSON.parse + parseEventBatch + eventHash`, () => {
      const events = parseEventBatch(JSON.parse(text), format, options);
      for (const event of events) eventHash(event);
      return events.length;
    }),
    bytes,
  });
}

const width = Math.max(...rows.map((r) => r.label.length));
console.log(`${'path'.padEnd(width)}  ${'events/s'.padStart(11)}  ${'bytes/event'.padStart(11)}  vs goal`);
for (const row of rows) {
  console.log(
    `${row.label.padEnd(width)}  ${Math.round(row.eventsPerSecond).toLocaleString('en-US').padStart(11)}  ${row.bytes.toFixed(0).padStart(11)}  ${(row.eventsPerSecond / GOAL_EVENTS_PER_SECOND).toFixed(1)}x`,
  );
}
