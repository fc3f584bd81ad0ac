import type { NotificationChannel } from '../config/index.ts';
import type { NotificationMessage } from './message.ts';
import { slackPayload } from './slack-payload.ts';
import { webhookPayload } from './webhook-payload.ts';

export type ChannelType = NotificationChannel['type'];

/** One renderer per channel type; a new type is one entry here and one file beside this one. */
export const RENDERERS: Record<ChannelType, (message: NotificationMessage) => unknown> = {
  webhook: webhookPayload,
  slack: slackPayload,
};

/**
 * The request body a channel of `type` receives for `message`, ready for `JSON.stringify`.
 *
 * @example
 * renderPayload('slack', message) // { text: 'DOWN: Payments (PSP): timeout', attachments: [...] }
 */
export function renderPayload(type: ChannelType, message: NotificationMessage): unknown {
  return RENDERERS[type](message);
}
