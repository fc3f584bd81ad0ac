import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../random.ts';
import { createEventSender, retryAfterMs } from './event-sender.ts';
import { createEventFactory, type DemoEvent } from './events.ts';
import { type Recorded, startRecorder } from './testing.ts';

const logger = pino({ level: 'silent' });
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

function someEvents(count: number, runId = 'demo-test'): DemoEvent[] {
  const factory = createEventFactory({ runId, now: () => Date.parse('2026-11-20T10:00:00Z') });
  return Array.from({ length: count }, (_, i) =>
    factory.make('user.active', { source: '/storefront', data: { user: `usr-${i}` } }),
  );
}

const idsOf = (request: Recorded) =>
  (JSON.parse(request.body.toString()) as { events: DemoEvent[] }).events.map((e) => e.id);

async function recorder(statuses: number[], headers: Record<string, string> = {}) {
  const server = await startRecorder((_request, res) => {
    res
      .writeHead(statuses.shift() ?? 200, { 'content-type': 'application/json', ...headers })
      .end('{"detail":"x"}');
  });
  closers.push(server.close);
  return server;
}

describe('createEventSender', () => {
  it('posts plain JSON batches of at most maxBatch events, with the token', async () => {
    const server = await recorder([]);
    const sender = createEventSender({
      url: `${server.url}/v1/events`,
      token: 's3cret',
      logger,
      random: seededRandom(1),
      maxBatch: 4,
      resendRate: 0,
    });
    sender.add(someEvents(10));
    await sender.flush();
    expect(server.requests.map((r) => idsOf(r).length)).toEqual([4, 4, 2]);
    expect(server.requests[0]?.headers).toMatchObject({
      'content-type': 'application/json',
      authorization: 'Bearer s3cret',
    });
    expect(server.requests[0]?.path).toBe('/v1/events');
    expect(sender.stats()).toEqual({ acknowledged: 10, retries: 0, resent: 0, dropped: 0 });
    expect(sender.buffered).toBe(0);
  });

  it('sends a batch that failed with 503 again, byte for byte, after Retry-After', async () => {
    const server = await recorder([503, 429], { 'retry-after': '0' });
    const sender = createEventSender({
      url: `${server.url}/v1/events`,
      logger,
      random: seededRandom(1),
      resendRate: 0,
    });
    sender.add(someEvents(3));
    await sender.flush();
    expect(sender.buffered).toBe(3);
    sender.add(someEvents(2, 'demo-later'));
    await sender.flush();
    await sender.flush();
    const bodies = server.requests.map((r) => r.body.toString());
    expect(bodies).toHaveLength(4);
    expect(bodies[1]).toBe(bodies[0]);
    expect(bodies[2]).toBe(bodies[0]);
    expect(idsOf(server.requests[3] as Recorded)).toEqual(['demo-later-1', 'demo-later-2']);
    expect(sender.stats()).toMatchObject({ acknowledged: 5, retries: 2, dropped: 0 });
  });

  it('waits out the backoff before retrying when the server names no Retry-After', async () => {
    const server = await recorder([500]);
    let now = 1_000;
    const sender = createEventSender({
      url: `${server.url}/v1/events`,
      logger,
      random: seededRandom(1),
      resendRate: 0,
      now: () => now,
    });
    sender.add(someEvents(1));
    await sender.flush();
    await sender.flush();
    expect(server.requests).toHaveLength(1);
    now += 1_000;
    await sender.flush();
    expect(server.requests).toHaveLength(2);
    expect(sender.buffered).toBe(0);
  });

  it('retries with the same ids when the service cannot be reached', async () => {
    const server = await recorder([]);
    const url = `${server.url}/v1/events`;
    await server.close();
    closers.pop();
    const sender = createEventSender({
      url,
      logger,
      random: seededRandom(1),
      resendRate: 0,
      timeoutMs: 500,
      now: () => 0,
    });
    sender.add(someEvents(2));
    await sender.flush();
    expect(sender.stats()).toMatchObject({ retries: 1, acknowledged: 0 });
    expect(sender.buffered).toBe(2);
  });

  it('drops a batch rejected with 400 and goes on with the next', async () => {
    const server = await recorder([400]);
    const sender = createEventSender({
      url: `${server.url}/v1/events`,
      logger,
      random: seededRandom(1),
      resendRate: 0,
      maxBatch: 2,
    });
    sender.add(someEvents(3));
    await sender.flush();
    expect(server.requests).toHaveLength(2);
    expect(sender.stats()).toEqual({ acknowledged: 1, retries: 0, resent: 0, dropped: 2 });
  });

  it('resends an acknowledged batch once when resendRate says so, as after a lost acknowledgement', async () => {
    const server = await recorder([]);
    const sender = createEventSender({
      url: `${server.url}/v1/events`,
      logger,
      random: seededRandom(1),
      resendRate: 1,
    });
    sender.add(someEvents(2));
    await sender.flush();
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]?.body.toString()).toBe(server.requests[0]?.body.toString());
    expect(sender.stats()).toEqual({ acknowledged: 2, retries: 0, resent: 1, dropped: 0 });
  });

  it('keeps at most maxBuffered events, dropping the oldest', async () => {
    const server = await recorder([]);
    const sender = createEventSender({
      url: `${server.url}/v1/events`,
      logger,
      random: seededRandom(1),
      resendRate: 0,
      maxBuffered: 3,
    });
    sender.add(someEvents(5));
    expect(sender.buffered).toBe(3);
    await sender.flush();
    expect(idsOf(server.requests[0] as Recorded)).toEqual(['demo-test-3', 'demo-test-4', 'demo-test-5']);
    expect(sender.stats().dropped).toBe(2);
  });
});

describe('retryAfterMs', () => {
  it.each([
    ['3', 3_000],
    [' 0 ', 0],
    ['Fri, 20 Nov 2026 10:00:05 GMT', 5_000],
    ['soon', undefined],
  ])('reads %j', (header, expected) => {
    expect(retryAfterMs(header, Date.parse('2026-11-20T10:00:00Z'))).toBe(expected);
  });

  it('is undefined without the header', () => {
    expect(retryAfterMs(null, 0)).toBeUndefined();
  });
});
