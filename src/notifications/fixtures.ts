import type { Maintenance, NotificationChannel } from '../config/index.ts';
import type { NotificationSubject } from './message.ts';

/** Shared by the notification tests: one critical integration towards a partner. */
export const PAYMENTS: NotificationSubject = {
  id: 'pay',
  name: 'Payments',
  tier: 'critical',
  participant: { id: 'psp', name: 'PSP' },
  sourceSystemId: 'storefront',
  targetSystemId: 'psp-api',
  runbook: 'https://runbooks.example.com/pay',
};

/** 2024-06-01T12:00:00Z, the start of every test timeline. */
export const T0 = Date.parse('2024-06-01T12:00:00Z');
export const MINUTE = 60_000;

/** A channel as the config schema outputs it (defaults applied). */
export function channel(id: string, overrides: Partial<NotificationChannel> = {}): NotificationChannel {
  return {
    id,
    type: 'webhook',
    url: `https://hooks.example.com/${id}?token=SECRET-${id}`,
    headers: {},
    tiers: [],
    participants: [],
    statuses: ['down', 'degraded'],
    ...overrides,
  };
}

/** A maintenance window from `start` to `end` (Unix ms) naming nothing unless overridden. */
export function maintenance(start: number, end: number, overrides: Partial<Maintenance> = {}): Maintenance {
  return {
    id: 'window',
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    integrations: [],
    participants: [],
    tiers: [],
    ...overrides,
  };
}
