import { describe, expect, it } from 'vitest';
import { eventHash, type IngestEvent, type ParseEventBatchOptions, parseEventBatch } from './index.ts';

const OPTIONS: ParseEventBatchOptions = {
  maxBatch: 10,
  now: Date.parse('2025-03-01T10:00:00Z'),
  maxFutureSkewMs: 300_000,
};

const plain = {
  id: 'evt-1',
  type: 'transaction',
  source: '/shop',
  integration: 'shop-psp',
  data: { amount: 129.9, currency: 'EUR', customer: 'cus_81' },
};

function parseOne(body: unknown, options = OPTIONS): IngestEvent {
  const [event] = parseEventBatch([body], 'json', options);
  if (event === undefined) throw new Error('no event parsed');
  return event;
}

describe('eventHash', () => {
  it('is 40 lowercase hex characters and pinned: stored hashes depend on it', () => {
    // SHA-1 of ["evt-1","transaction","/shop",null,"shop-psp",{"amount":129.9,"currency":"EUR","customer":"cus_81"}]
    expect(eventHash(parseOne(plain))).toBe('c6a8c04d92b00707f804cd918ce569aa8a7d9444');
  });

  it('is the same for the same event as plain JSON and as a CloudEvent', () => {
    const [cloud] = parseEventBatch(
      {
        specversion: '1.0',
        id: 'evt-1',
        source: '/shop',
        type: 'transaction',
        integration: 'shop-psp',
        datacontenttype: 'application/json',
        data: { customer: 'cus_81', currency: 'EUR', amount: 129.9 },
      },
      'cloudevent',
      OPTIONS,
    );
    expect(cloud && eventHash(cloud)).toBe(eventHash(parseOne(plain)));
  });

  it('matches a retry of a time-less event received later, and a retry with a re-stamped time', () => {
    const first = parseOne(plain);
    const retry = parseOne(plain, { ...OPTIONS, now: OPTIONS.now + 60_000 });
    expect(retry.time).not.toBe(first.time);
    expect(eventHash(retry)).toBe(eventHash(first));
    expect(eventHash(parseOne({ ...plain, time: '2025-03-01T09:59:00Z' }))).toBe(eventHash(first));
  });

  it('ignores enrichment of the typed fields after parsing', () => {
    const event = parseOne(plain);
    expect(eventHash({ ...event, channel: 'marketplace' })).toBe(eventHash(event));
  });

  it.each([
    ['the amount', { data: { ...plain.data, amount: 129.91 } }],
    ['an optional payload field', { data: { ...plain.data, order: 'order:1' } }],
    ['the source', { source: '/crm' }],
    ['the participant', { participant: 'acme' }],
    ['the integration', { integration: 'shop-erp' }],
    ['the type', { type: 'user.active', data: { user: 'cus_81' } }],
  ])('differs when %s differs', (_, change) => {
    expect(eventHash(parseOne({ ...plain, ...change }))).not.toBe(eventHash(parseOne(plain)));
  });

  it('does not depend on the order of keys in data', () => {
    const reordered = { ...plain, data: { customer: 'cus_81', currency: 'EUR', amount: 129.9 } };
    expect(eventHash(parseOne(reordered))).toBe(eventHash(parseOne(plain)));
  });

  it('tells an absent field from an empty-looking one', () => {
    const a = parseOne({ id: 'evt-1', type: 'feedback', participant: 'acme', data: { score: 5 } });
    const b = parseOne({ id: 'evt-1', type: 'feedback', participant: 'acme', data: { score: 5, text: '' } });
    expect(eventHash(a)).not.toBe(eventHash(b));
  });

  it('hashes nested or unsorted data the same as its sorted form', () => {
    const event = parseOne(plain);
    const unsorted = { ...event, data: { b: [{ y: 1, x: 2 }], a: { d: 1, c: '2' }, '10': 0, '9': 0 } };
    const sorted = { ...event, data: { '10': 0, '9': 0, a: { c: '2', d: 1 }, b: [{ x: 2, y: 1 }] } };
    expect(eventHash(unsorted)).toBe(eventHash(sorted));
    expect(eventHash({ ...event, data: { currency: 'EUR', amount: 129.9, customer: 'cus_81' } })).toBe(
      eventHash(event),
    );
  });
});
