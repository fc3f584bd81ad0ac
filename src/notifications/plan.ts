import type { IntegrationStatus, OutboxEntry, StatusTransition } from '../../db/index.ts';
import type { Maintenance, NotificationChannel } from '../config/index.ts';
import { channelMatches, inMaintenance } from './match.ts';
import type { NotificationMessage, NotificationSubject } from './message.ts';
import { renderPayload } from './render.ts';

/** What {@link planNotifications} needs besides the transition, all from the loaded config. */
export interface NotificationContext {
  integration: NotificationSubject;
  channels: readonly NotificationChannel[];
  maintenance: readonly Maintenance[];
  /** When the previous status began (Unix ms, `StatusState.since`); gives a resolved message its duration. */
  previousSince?: number | undefined;
  /** Base URL of Ecotone's UI; messages then link to `<baseUrl>/integrations/<id>`. */
  baseUrl?: string | undefined;
}

/**
 * Outbox key of one notification: the same transition and channel always give the same key, so
 * a replayed flush cannot enqueue it twice. Ids cannot hold `:`, so the parts never run together.
 */
export function outboxKey(transition: StatusTransition, channelId: string): string {
  return `${transition.integrationId}:${transition.at}:${transition.from}:${transition.to}:${channelId}`;
}

/**
 * What a channel hears of a transition. Each channel follows its own `statuses` (empty: both):
 * entering or moving between wanted statuses is a `problem`, leaving them a `resolved`, so every
 * problem a channel hears is closed by exactly one resolved. `unknown` is no information: moving
 * to it, or from it to `healthy`, says nothing.
 */
export function channelKind(
  channel: NotificationChannel,
  from: IntegrationStatus,
  to: IntegrationStatus,
): 'problem' | 'resolved' | undefined {
  if (from === to || to === 'unknown') return undefined;
  const wanted = (status: IntegrationStatus) =>
    status !== 'healthy' &&
    status !== 'unknown' &&
    (channel.statuses.length === 0 || channel.statuses.includes(status));
  if (wanted(to)) return 'problem';
  if (wanted(from)) return 'resolved';
  return undefined;
}

/**
 * The notifications one status transition causes: one per channel whose filters take the
 * integration, none while a maintenance window covers it at `transition.at`. Pure: the prober
 * writes the result with the transition in one `store.recordProbeBatch`.
 *
 * @example
 * const notifications = planNotifications(transition, { integration, channels, maintenance, previousSince });
 */
export function planNotifications(transition: StatusTransition, context: NotificationContext): OutboxEntry[] {
  const { integration, previousSince, baseUrl } = context;
  const muted = (at: number) => inMaintenance(context.maintenance, integration, at);
  const entries: OutboxEntry[] = [];
  for (const channel of context.channels) {
    const kind = channelKind(channel, transition.from, transition.to);
    if (!kind || !channelMatches(channel, integration)) continue;
    // A resolved follows the message it closes: it goes out when the status it leaves began
    // outside maintenance (that problem was announced), and stays muted when it began inside.
    if (muted(kind === 'resolved' ? (previousSince ?? transition.at) : transition.at)) continue;
    const key = outboxKey(transition, channel.id);
    const message: NotificationMessage = {
      id: key,
      kind,
      integration,
      status: transition.to,
      previousStatus: transition.from,
      at: transition.at,
      reason: transition.reason,
      durationMs:
        kind === 'resolved' && previousSince !== undefined && previousSince <= transition.at
          ? transition.at - previousSince
          : undefined,
      link: baseUrl
        ? `${baseUrl.replace(/\/+$/, '')}/integrations/${encodeURIComponent(integration.id)}`
        : undefined,
    };
    entries.push({
      key,
      channelId: channel.id,
      integrationId: transition.integrationId,
      payload: renderPayload(channel.type, message),
      createdAt: transition.at,
    });
  }
  return entries;
}
