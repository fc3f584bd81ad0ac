import type { IntegrationStatus } from '../../db/index.ts';
import { formatDuration } from '../config/index.ts';
import { isProblem, type NotificationMessage } from './message.ts';

/** Bar colour per status; the status word is always in the text too, so colour is never the only cue. */
export const SLACK_COLOURS: Record<IntegrationStatus, string> = {
  down: '#E01E5A',
  degraded: '#ECB22E',
  healthy: '#2EB67D',
  unknown: '#868686',
};

const EMOJI: Record<IntegrationStatus, string> = {
  down: ':red_circle:',
  degraded: ':large_orange_circle:',
  healthy: ':large_green_circle:',
  unknown: ':white_circle:',
};

/** Most characters of the reason shown; Slack caps a section at 3000. */
const MAX_REASON = 500;

/** A Slack incoming-webhook body: `text` for notifications and old clients, a coloured attachment of blocks. */
export interface SlackPayload {
  text: string;
  attachments: { color: string; fallback: string; blocks: unknown[] }[];
}

const word = (status: IntegrationStatus) => status.toUpperCase();

/** Slack mrkdwn treats `&`, `<` and `>` as control characters. */
const escapeMrkdwn = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const link = (url: string, label: string) =>
  `<${url.replace(/[|<>]/g, encodeURIComponent)}|${escapeMrkdwn(label)}>`;
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const clip = (text: string) => (text.length > MAX_REASON ? `${text.slice(0, MAX_REASON - 1)}…` : text);

function title(message: NotificationMessage): string {
  if (message.kind === 'resolved')
    return message.status === 'healthy' ? 'RESOLVED' : `RESOLVED, now ${word(message.status)}`;
  return isProblem(message.previousStatus)
    ? `${word(message.status)} (was ${word(message.previousStatus)})`
    : word(message.status);
}

function summary(message: NotificationMessage): string {
  if (message.kind === 'problem') return message.reason;
  const after = message.durationMs === undefined ? '' : ` after ${formatDuration(message.durationMs)}`;
  return message.status === 'healthy'
    ? `healthy again${after}, was ${word(message.previousStatus)}`
    : `no longer ${word(message.previousStatus)}${after}`;
}

/** Renders a message as a Slack incoming-webhook {@link SlackPayload}. */
export function slackPayload(message: NotificationMessage): SlackPayload {
  const { integration } = message;
  const who = `${integration.name} (${integration.participant.name})`;
  const text = `${title(message)}: ${who}: ${clip(summary(message))}`;
  const name = message.link ? link(message.link, integration.name) : `*${escapeMrkdwn(integration.name)}*`;
  const seconds = Math.floor(message.at / 1000);
  const iso = new Date(message.at).toISOString();
  const fields = [
    mrkdwn(`*Status*\n${word(message.status)} (was ${word(message.previousStatus)})`),
    mrkdwn(`*Tier*\n${integration.tier}`),
    mrkdwn(`*Participant*\n${escapeMrkdwn(integration.participant.name)}`),
    mrkdwn(
      `*Connection*\n${escapeMrkdwn(integration.sourceSystemId)} → ${escapeMrkdwn(integration.targetSystemId)}`,
    ),
    mrkdwn(`*At*\n<!date^${seconds}^{date_short_pretty} {time_secs}|${iso}>`),
  ];
  if (message.kind === 'resolved' && message.durationMs !== undefined)
    fields.push(mrkdwn(`*Lasted*\n${formatDuration(message.durationMs)}`));
  const blocks: unknown[] = [
    {
      type: 'section',
      text: mrkdwn(
        `${EMOJI[message.status]} *${escapeMrkdwn(title(message))}*: ${name}\n${escapeMrkdwn(clip(summary(message)))}`,
      ),
    },
    { type: 'section', fields },
  ];
  const context = [integration.runbook ? `Runbook: ${link(integration.runbook, 'open')}` : '', 'Ecotone']
    .filter(Boolean)
    .join(' · ');
  blocks.push({ type: 'context', elements: [mrkdwn(context)] });
  return {
    text: escapeMrkdwn(text),
    attachments: [{ color: SLACK_COLOURS[message.status], fallback: text, blocks }],
  };
}
