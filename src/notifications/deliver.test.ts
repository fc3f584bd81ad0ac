import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type StatusTransition, type Store } from '../../db/index.ts';
import { deferred, tempDir } from '../../test/helpers.ts';
import type { NotificationChannel } from '../config/index.ts';
import { createNotifier, type NotificationSettings, type NotifierStore, retryDelay } from './deliver.ts';
import { channel, MINUTE, PAYMENTS, T0 } from './fixtures.ts';
import { type Answer, type ReceivedRequest, startReceiver } from './loopback-receiver.ts';
import { planNotifications } from './plan.ts';

/** Backoff in tens of ms, so a test using the real clock never waits long. */
const FAST: NotificationSettings = { attempts: 5, initialBackoff: 10, maxBackoff: 1_000, timeout: 2_000 };
const FAR_FUTURE = T0 + 365 * 24 * 60 * MINUTE;

const outage: StatusTransition = {
  integrationId: 'pay',
  at: T0,
  from: 'healthy',
  to: 'down',
  reason: 'timeout',
};
const recovery: StatusTransition = {
  integrationId: 'pay',
  at: T0 + MINUTE,
  from: 'down',
  to: 'healthy',
  reason: 'ok',
};

/** The store the prober and the notifier share. */
type OutboxStore = Pick<Store, 'recordProbeBatch' | 'dueNotifications' | 'markNotification'>;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The real SQLite store on a temp file; `reopen` closes it and opens the same file, as a restart does. */
async function openOutbox(): Promise<{ store: OutboxStore; reopen: () => Promise<OutboxStore> }> {
  const { dir, remove } = await tempDir();
  const path = join(dir, 'ecotone.db');
  let current = openStore({ path });
  cleanups.push(async () => {
    await current.close();
    await remove();
  });
  return {
    store: current,
    reopen: async () => {
      await current.close();
      current = openStore({ path });
      return current;
    },
  };
}

async function receiver(answer?: Answer) {
  const r = await startReceiver(answer);
  cleanups.push(r.close);
  return r;
}

function capturedLogger() {
  const lines: string[] = [];
  return { lines, logger: pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) }) };
}

/** Channels pointing at the receiver; their URLs and headers carry secrets that must not be logged. */
function channelsAt(url: string): NotificationChannel[] {
  return [
    channel('ops', {
      url: `${url}/hooks/ops?token=SECRET-ops`,
      headers: { authorization: 'Bearer SECRET-header' },
    }),
    channel('chat', { type: 'slack', url: `${url}/hooks/chat?token=SECRET-chat` }),
  ];
}

/** Writes a transition and its notifications as one prober flush does. */
async function flush(store: OutboxStore, transition: StatusTransition, channels: NotificationChannel[]) {
  const notifications = planNotifications(transition, {
    integration: { ...PAYMENTS, id: transition.integrationId },
    channels,
    maintenance: [],
    previousSince: T0,
  });
  await store.recordProbeBatch({ runs: [], states: [], transitions: [transition], notifications });
}

async function until(condition: () => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const describeRequest = (r: ReceivedRequest) => {
  const body = r.body as { kind?: string; text?: string };
  const kind = body.kind ?? (body.text?.startsWith('RESOLVED') ? 'resolved' : 'problem');
  return `${r.path.split('?')[0]} ${kind}`;
};

describe('notifier', () => {
  it('delivers exactly one problem and one resolved per incident to each channel, even when a flush is replayed', async () => {
    const r = await receiver();
    const { store } = await openOutbox();
    const channels = channelsAt(r.url);
    const { logger } = capturedLogger();
    const notifier = createNotifier({ store, channels: () => channels, settings: FAST, logger });
    notifier.start();
    cleanups.push(() => notifier.stop(1_000));

    await flush(store, outage, channels);
    await flush(store, outage, channels);
    notifier.wake();
    await until(() => r.accepted.length === 2);
    await flush(store, recovery, channels);
    notifier.wake();
    await until(() => r.accepted.length === 4);
    await notifier.stop(1_000);
    expect(await notifier.deliverDue()).toMatchObject({ due: 0 });

    expect(r.requests.map(describeRequest).sort()).toEqual([
      '/hooks/chat problem',
      '/hooks/chat resolved',
      '/hooks/ops problem',
      '/hooks/ops resolved',
    ]);
    const ops = r.requests.find((req) => req.path.startsWith('/hooks/ops'));
    expect(ops?.headers).toMatchObject({
      'content-type': 'application/json',
      authorization: 'Bearer SECRET-header',
    });
    expect(ops?.body).toMatchObject({
      version: 1,
      kind: 'problem',
      status: 'down',
      integration: { id: 'pay' },
    });
  });

  it('retries a failing receiver with exponential backoff and delivers once', async () => {
    const r = await receiver((n) => (n < 2 ? 500 : 200));
    const { store } = await openOutbox();
    const channels = channelsAt(r.url).slice(0, 1);
    let clock = T0;
    const { logger } = capturedLogger();
    const notifier = createNotifier({
      store,
      channels: () => channels,
      settings: FAST,
      logger,
      now: () => clock,
    });
    await flush(store, outage, channels);

    const passAt = async (at: number) => {
      clock = at;
      return notifier.deliverDue();
    };
    expect(await passAt(T0)).toEqual({ due: 1, delivered: 0, retried: 1, abandoned: 0 });
    expect(await passAt(T0 + 9)).toMatchObject({ due: 0 });
    expect(await passAt(T0 + 10)).toEqual({ due: 1, delivered: 0, retried: 1, abandoned: 0 });
    expect(await passAt(T0 + 29)).toMatchObject({ due: 0 });
    expect(await passAt(T0 + 30)).toEqual({ due: 1, delivered: 1, retried: 0, abandoned: 0 });
    expect(await passAt(FAR_FUTURE)).toMatchObject({ due: 0 });
    expect(r.requests).toHaveLength(3);
    expect(r.accepted).toHaveLength(1);
  });

  it('doubles the wait from initialBackoff up to maxBackoff', () => {
    const settings = { ...FAST, initialBackoff: 5_000, maxBackoff: 600_000 };
    expect([1, 2, 3, 4, 7, 8, 50].map((failures) => retryDelay(failures, settings))).toEqual([
      5_000, 10_000, 20_000, 40_000, 320_000, 600_000, 600_000,
    ]);
  });

  it('abandons after the last attempt and logs the channel id, never its URL, headers or payload', async () => {
    const r = await receiver(() => 500);
    const { store } = await openOutbox();
    const channels = channelsAt(r.url).slice(0, 1);
    let clock = T0;
    const { lines, logger } = capturedLogger();
    const settings = { ...FAST, attempts: 3 };
    const notifier = createNotifier({ store, channels: () => channels, settings, logger, now: () => clock });
    await flush(store, outage, channels);

    const passes = [];
    for (const at of [T0, T0 + 10, T0 + 30, FAR_FUTURE]) {
      clock = at;
      passes.push(await notifier.deliverDue());
    }
    expect(passes.map((p) => [p.retried, p.abandoned])).toEqual([
      [1, 0],
      [1, 0],
      [0, 1],
      [0, 0],
    ]);
    expect(r.requests).toHaveLength(3);
    const logs = lines.join('');
    expect(logs).toContain('"channel":"ops"');
    expect(logs).toContain('HTTP 500');
    expect(logs).toContain('abandoned');
    for (const secret of ['SECRET', r.url, 'Payments', 'timeout']) expect(logs).not.toContain(secret);
  });

  it('abandons a message whose channel left the config, without sending it', async () => {
    const r = await receiver();
    const { store } = await openOutbox();
    await flush(store, outage, channelsAt(r.url));
    const { logger } = capturedLogger();
    const notifier = createNotifier({ store, channels: () => [], settings: FAST, logger, now: () => T0 });
    expect(await notifier.deliverDue()).toEqual({ due: 2, delivered: 0, retried: 0, abandoned: 2 });
    expect(await notifier.deliverDue()).toMatchObject({ due: 0 });
    expect(r.requests).toHaveLength(0);
  });

  it('retries a receiver that does not answer within the timeout', async () => {
    const r = await receiver(() => 'hang');
    const { store } = await openOutbox();
    const channels = channelsAt(r.url).slice(0, 1);
    const { lines, logger } = capturedLogger();
    const settings = { ...FAST, timeout: 100 };
    const notifier = createNotifier({ store, channels: () => channels, settings, logger, now: () => T0 });
    await flush(store, outage, channels);
    expect(await notifier.deliverDue()).toMatchObject({ retried: 1 });
    expect(lines.join('')).toContain('timeout after 100ms');
  });

  it('keeps at most `concurrency` deliveries in flight', async () => {
    const gate = deferred();
    const r = await receiver(async () => {
      await gate.promise;
      return 200;
    });
    const { store } = await openOutbox();
    const channels = channelsAt(r.url).slice(0, 1);
    for (let i = 0; i < 10; i++) await flush(store, { ...outage, integrationId: `int-${i}` }, channels);
    const { logger } = capturedLogger();
    const notifier = createNotifier({
      store,
      channels: () => channels,
      settings: FAST,
      logger,
      now: () => T0,
    });
    const pass = notifier.deliverDue();
    await until(() => r.requests.length === 4);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(r.requests).toHaveLength(4);
    gate.resolve();
    expect(await pass).toMatchObject({ due: 10, delivered: 10 });
    expect(r.maxInFlight()).toBe(4);
  });

  it('sends the messages of one integration to one channel in order, one at a time', async () => {
    const r = await receiver(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return 200;
    });
    const { store } = await openOutbox();
    const channels = channelsAt(r.url).slice(0, 1);
    await flush(store, outage, channels);
    await flush(store, recovery, channels);
    const { logger } = capturedLogger();
    const notifier = createNotifier({
      store,
      channels: () => channels,
      settings: FAST,
      logger,
      now: () => T0 + MINUTE,
    });
    expect(await notifier.deliverDue()).toMatchObject({ delivered: 2 });
    expect(r.requests.map(describeRequest)).toEqual(['/hooks/ops problem', '/hooks/ops resolved']);
    expect(r.maxInFlight()).toBe(1);
  });

  it('after a restart, delivers once a message whose request was cut short by stop', async () => {
    const r = await receiver((n) => (n === 0 ? 'hang' : 200));
    const { store, reopen } = await openOutbox();
    const channels = channelsAt(r.url).slice(0, 1);
    const { logger } = capturedLogger();
    const first = createNotifier({ store, channels: () => channels, settings: FAST, logger });
    first.start();
    await flush(store, outage, channels);
    first.wake();
    await until(() => r.requests.length === 1);
    await first.stop(50);

    const second = createNotifier({
      store: await reopen(),
      channels: () => channels,
      settings: FAST,
      logger,
    });
    expect(await second.deliverDue()).toMatchObject({ due: 1, delivered: 1 });
    expect(await second.deliverDue()).toMatchObject({ due: 0 });
    expect(r.accepted).toHaveLength(1);
  });

  it('after a restart, delivers once a message left waiting for its retry', async () => {
    const r = await receiver((n) => (n === 0 ? 500 : 200));
    const { store, reopen } = await openOutbox();
    const channels = channelsAt(r.url).slice(0, 1);
    const { logger } = capturedLogger();
    await flush(store, outage, channels);
    const first = createNotifier({ store, channels: () => channels, settings: FAST, logger, now: () => T0 });
    expect(await first.deliverDue()).toMatchObject({ retried: 1 });
    await first.stop(100);

    let clock = T0 + 5;
    const second = createNotifier({
      store: await reopen(),
      channels: () => channels,
      settings: FAST,
      logger,
      now: () => clock,
    });
    expect(await second.deliverDue()).toMatchObject({ due: 0 });
    clock = T0 + 10;
    expect(await second.deliverDue()).toMatchObject({ due: 1, delivered: 1 });
    expect(await second.deliverDue()).toMatchObject({ due: 0 });
    expect(r.accepted).toHaveLength(1);
  });

  it('never throws when the store fails', async () => {
    const broken: NotifierStore = {
      dueNotifications: () => Promise.reject(new Error('disk I/O error')),
      markNotification: () => Promise.reject(new Error('disk I/O error')),
    };
    const { lines, logger } = capturedLogger();
    const notifier = createNotifier({
      store: broken,
      channels: () => [],
      settings: FAST,
      logger,
      maxIdle: 10,
    });
    await expect(notifier.deliverDue()).resolves.toMatchObject({ due: 0 });
    notifier.start();
    notifier.wake();
    await new Promise((resolve) => setTimeout(resolve, 30));
    await expect(notifier.stop(100)).resolves.toBeUndefined();
    expect(lines.join('')).toContain('disk I/O error');
  });
});
