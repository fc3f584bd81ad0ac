import type { Maintenance, NotificationChannel } from '../config/index.ts';
import type { NotificationSubject } from './message.ts';

const matchesList = (list: readonly string[], value: string) => list.length === 0 || list.includes(value);

/** Whether a channel's tier and participant filters take this integration (an empty filter takes all). */
export function channelMatches(channel: NotificationChannel, subject: NotificationSubject): boolean {
  return (
    matchesList(channel.tiers, subject.tier) && matchesList(channel.participants, subject.participant.id)
  );
}

/**
 * Whether a maintenance window covers the integration at `at` (Unix ms; the window is
 * `[start, end)`). A window covers what it names (the integration, its participant or its tier,
 * any of them); a window naming nothing covers everything.
 */
export function inMaintenance(
  windows: readonly Maintenance[],
  subject: NotificationSubject,
  at: number,
): boolean {
  return windows.some((window) => {
    if (at < Date.parse(window.start) || at >= Date.parse(window.end)) return false;
    const { integrations, participants, tiers } = window;
    if (integrations.length + participants.length + tiers.length === 0) return true;
    return (
      integrations.includes(subject.id) ||
      participants.includes(subject.participant.id) ||
      (tiers as readonly string[]).includes(subject.tier)
    );
  });
}
