export {
  createNotifier,
  DEFAULT_BATCH_SIZE,
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_IDLE_MS,
  type DeliveryPass,
  type NotificationSettings,
  type Notifier,
  type NotifierOptions,
  type NotifierStore,
  retryDelay,
} from './deliver.ts';
export { channelMatches, inMaintenance } from './match.ts';
export {
  isProblem,
  type NotificationMessage,
  type NotificationSubject,
  PROBLEM_STATUSES,
  type ProblemStatus,
} from './message.ts';
export { channelKind, type NotificationContext, outboxKey, planNotifications } from './plan.ts';
export { type ChannelType, RENDERERS, renderPayload } from './render.ts';
export { SLACK_COLOURS, type SlackPayload, slackPayload } from './slack-payload.ts';
export { type WebhookPayload, webhookPayload } from './webhook-payload.ts';
