import { afterAll, describe, expect, it } from 'vitest';
import { createEventParserPool } from './event-parser-pool.ts';

const options = { maxBatch: 10, now: Date.UTC(2026, 0, 1), maxFutureSkewMs: 60_000 };
const encode = (value: unknown) =>
  new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
const sale = (id: string, amount: unknown = 5) => ({
  id,
  type: 'transaction',
  time: '2026-01-01T00:00:00Z',
  data: { amount, currency: 'EUR' },
});

describe('event parser pool', () => {
  const threaded = createEventParserPool({ threads: 1 });
  const inline = createEventParserPool({ threads: 0 });
  afterAll(() => threaded.close());

  it.each([
    ['a valid batch', encode({ events: [sale('a'), sale('b')] })],
    ['invalid JSON', encode('{"events": [')],
    ['an invalid event', encode({ events: [sale('a'), sale('b', 'five')] })],
  ])('gives on a thread exactly what it gives inline: %s', async (_name, body) => {
    await threaded.ready();
    const onThread = await threaded.parse(body.slice(), 'json', options);
    expect(onThread).toEqual(await inline.parse(body, 'json', options));
  });

  it('hashes every event and reports rejections as data', async () => {
    const ok = await threaded.parse(encode([sale('a')]), 'json', options);
    expect(ok).toMatchObject({
      ok: true,
      events: [{ id: 'a', amount: 5 }],
      hashes: [expect.stringMatching(/^[0-9a-f]{40}$/)],
    });
    expect(await threaded.parse(encode('nope'), 'json', options)).toMatchObject({ ok: false, kind: 'json' });
    expect(await threaded.parse(encode([sale('a', -1)]), 'json', options)).toMatchObject({
      ok: false,
      kind: 'batch',
      problems: [{ index: 0, field: 'data.amount' }],
    });
  });

  it('leaves a view into a larger buffer intact: only its own bytes are handed over', async () => {
    const whole = new Uint8Array(1024);
    const body = encode([sale('v')]);
    whole.set(body, 100);
    const view = whole.subarray(100, 100 + body.length);
    expect(await threaded.parse(view, 'json', options)).toMatchObject({ ok: true });
    expect(whole.byteLength).toBe(1024);
    expect(view[0]).toBe('['.charCodeAt(0));
  });
});
