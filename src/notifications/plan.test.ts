import { describe, expect, it } from 'vitest';
import type { IntegrationStatus, OutboxEntry, StatusTransition } from '../../db/index.ts';
import type { Maintenance, NotificationChannel } from '../config/index.ts';
import { channel, MINUTE, maintenance, PAYMENTS, T0 } from './fixtures.ts';
import { outboxKey, planNotifications } from './plan.ts';
import type { WebhookPayload } from './webhook-payload.ts';

const ALL = channel('all');
const DOWN_ONLY = channel('down-only', { statuses: ['down'] });
const DEGRADED_ONLY = channel('degraded-only', { statuses: ['degraded'] });
const CRITICAL = channel('critical', { tiers: ['critical'] });
const LOW = channel('low', { tiers: ['low'] });
const PSP = channel('psp', { participants: ['psp'] });
const CARRIER = channel('carrier', { participants: ['carrier'] });
const HOUR = 60 * MINUTE;

/** The webhook payload of the first planned entry. */
function firstPayload(entries: OutboxEntry[]): WebhookPayload {
  if (!entries[0]) throw new Error('nothing planned');
  return entries[0].payload as WebhookPayload;
}

/**
 * Plans a status sequence (one transition a minute from T0 + 1m) and lists what each channel
 * hears, as "from>to channel kind".
 */
function heard(
  statuses: IntegrationStatus[],
  channels: NotificationChannel[],
  windows: Maintenance[] = [],
): string[] {
  const lines: string[] = [];
  for (let i = 1; i < statuses.length; i++) {
    const from = statuses[i - 1] as IntegrationStatus;
    const to = statuses[i] as IntegrationStatus;
    const transition = { integrationId: 'pay', at: T0 + i * MINUTE, from, to, reason: 'test' };
    const previousSince = T0 + (i - 1) * MINUTE;
    const context = { integration: PAYMENTS, channels, maintenance: windows, previousSince };
    for (const entry of planNotifications(transition, context)) {
      lines.push(`${from}>${to} ${entry.channelId} ${(entry.payload as WebhookPayload).kind}`);
    }
  }
  return lines;
}

const cases: {
  name: string;
  statuses: IntegrationStatus[];
  channels: NotificationChannel[];
  windows?: Maintenance[];
  expected: string[];
}[] = [
  {
    name: 'an outage and its recovery, filtered by tier',
    statuses: ['healthy', 'down', 'healthy'],
    channels: [ALL, CRITICAL, LOW],
    expected: [
      'healthy>down all problem',
      'healthy>down critical problem',
      'down>healthy all resolved',
      'down>healthy critical resolved',
    ],
  },
  {
    name: 'a degradation that worsens, eases and recovers',
    statuses: ['healthy', 'degraded', 'down', 'degraded', 'healthy'],
    channels: [ALL, DOWN_ONLY],
    expected: [
      'healthy>degraded all problem',
      'degraded>down all problem',
      'degraded>down down-only problem',
      'down>degraded all problem',
      'down>degraded down-only resolved',
      'degraded>healthy all resolved',
    ],
  },
  {
    name: 'a down-only channel never hears a degradation alone',
    statuses: ['healthy', 'degraded', 'healthy'],
    channels: [DOWN_ONLY],
    expected: [],
  },
  {
    name: 'a degraded-only channel hears its status end when it worsens',
    statuses: ['healthy', 'degraded', 'down', 'healthy'],
    channels: [DEGRADED_ONLY],
    expected: ['healthy>degraded degraded-only problem', 'degraded>down degraded-only resolved'],
  },
  {
    name: 'an empty statuses list wants both',
    statuses: ['healthy', 'degraded', 'healthy'],
    channels: [channel('any', { statuses: [] })],
    expected: ['healthy>degraded any problem', 'degraded>healthy any resolved'],
  },
  {
    name: 'unknown to healthy at start-up says nothing',
    statuses: ['unknown', 'healthy', 'down', 'healthy'],
    channels: [ALL],
    expected: ['healthy>down all problem', 'down>healthy all resolved'],
  },
  {
    name: 'unknown straight into a problem starts an incident; leaving to unknown ends nothing',
    statuses: ['unknown', 'down', 'unknown', 'healthy'],
    channels: [ALL],
    expected: ['unknown>down all problem'],
  },
  {
    name: 'participant filters',
    statuses: ['healthy', 'down'],
    channels: [PSP, CARRIER],
    expected: ['healthy>down psp problem'],
  },
  {
    name: 'a window naming nothing mutes everything',
    statuses: ['healthy', 'down', 'healthy'],
    channels: [ALL],
    windows: [maintenance(T0, T0 + HOUR)],
    expected: [],
  },
  {
    name: 'a window for another integration mutes nothing',
    statuses: ['healthy', 'down'],
    channels: [ALL],
    windows: [maintenance(T0, T0 + HOUR, { integrations: ['refunds'] })],
    expected: ['healthy>down all problem'],
  },
  {
    name: 'a window for the integration',
    statuses: ['healthy', 'down'],
    channels: [ALL],
    windows: [maintenance(T0, T0 + HOUR, { integrations: ['pay'] })],
    expected: [],
  },
  {
    name: 'a window for its participant',
    statuses: ['healthy', 'down'],
    channels: [ALL],
    windows: [maintenance(T0, T0 + HOUR, { participants: ['psp'] })],
    expected: [],
  },
  {
    name: 'a window for its tier',
    statuses: ['healthy', 'down'],
    channels: [ALL],
    windows: [maintenance(T0, T0 + HOUR, { tiers: ['critical'] })],
    expected: [],
  },
  {
    name: 'a window for other tiers and participants',
    statuses: ['healthy', 'down'],
    channels: [ALL],
    windows: [maintenance(T0, T0 + HOUR, { tiers: ['low'], participants: ['carrier'] })],
    expected: ['healthy>down all problem'],
  },
  {
    name: 'a window covers its start and not its end; an incident that began in it stays muted',
    statuses: ['healthy', 'down', 'healthy', 'down'],
    channels: [ALL],
    windows: [maintenance(T0 + MINUTE, T0 + 2 * MINUTE)],
    expected: ['healthy>down all problem'],
  },
  {
    name: 'a problem announced before a window is resolved inside it',
    statuses: ['healthy', 'down', 'healthy'],
    channels: [ALL],
    windows: [maintenance(T0 + 2 * MINUTE, T0 + HOUR)],
    expected: ['healthy>down all problem', 'down>healthy all resolved'],
  },
  {
    name: 'a window that is over mutes nothing',
    statuses: ['healthy', 'down'],
    channels: [ALL],
    windows: [maintenance(T0 - 2 * HOUR, T0 - HOUR)],
    expected: ['healthy>down all problem'],
  },
];

describe('planNotifications', () => {
  it.each(cases)('$name', ({ statuses, channels, windows, expected }) => {
    expect(heard(statuses, channels, windows)).toEqual(expected);
  });

  const outage: StatusTransition = {
    integrationId: 'pay',
    at: T0,
    from: 'healthy',
    to: 'down',
    reason: 'timeout',
  };
  const recovery: StatusTransition = {
    ...outage,
    at: T0 + 90_000,
    from: 'down',
    to: 'healthy',
    reason: 'ok',
  };
  const context = { integration: PAYMENTS, channels: [ALL, PSP], maintenance: [] };

  it('gives deterministic keys, one per transition and channel', () => {
    const first = planNotifications(outage, context).map((e) => e.key);
    expect(planNotifications(outage, context).map((e) => e.key)).toEqual(first);
    expect(first).toEqual([`pay:${T0}:healthy:down:all`, `pay:${T0}:healthy:down:psp`]);
    expect(outboxKey(recovery, 'all')).not.toBe(outboxKey(outage, 'all'));
  });

  it('fills the outbox entry and the payload of the channel type', () => {
    const [webhook, slack] = planNotifications(outage, {
      ...context,
      channels: [ALL, channel('chat', { type: 'slack' })],
    });
    expect(webhook).toMatchObject({ channelId: 'all', integrationId: 'pay', createdAt: T0 });
    expect(webhook?.payload).toMatchObject({ version: 1, id: webhook?.key, kind: 'problem', status: 'down' });
    expect(slack?.payload).toHaveProperty('attachments');
  });

  it('gives a resolved message how long the problem lasted, when known', () => {
    const durationOf = (previousSince?: number) =>
      firstPayload(planNotifications(recovery, { ...context, previousSince })).durationMs;
    expect(durationOf(T0)).toBe(90_000);
    expect(durationOf(undefined)).toBeNull();
    expect(durationOf(T0 + HOUR)).toBeNull();
    expect(
      firstPayload(planNotifications(outage, { ...context, previousSince: T0 - HOUR })).durationMs,
    ).toBeNull();
  });

  it('links to the integration when a UI base URL is set', () => {
    const entries = planNotifications(outage, { ...context, baseUrl: 'https://ecotone.example.com/' });
    expect(firstPayload(entries).link).toBe('https://ecotone.example.com/integrations/pay');
  });
});
