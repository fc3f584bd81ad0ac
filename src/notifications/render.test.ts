import { describe, expect, it } from 'vitest';
import { MINUTE, PAYMENTS, T0 } from './fixtures.ts';
import type { NotificationMessage } from './message.ts';
import { renderPayload } from './render.ts';
import type { SlackPayload } from './slack-payload.ts';

const problem: NotificationMessage = {
  id: `pay:${T0}:healthy:down:ops`,
  kind: 'problem',
  integration: PAYMENTS,
  status: 'down',
  previousStatus: 'healthy',
  at: T0,
  reason: '3 consecutive failures (timeout)',
  link: 'https://ecotone.example.com/integrations/pay',
};

const resolved: NotificationMessage = {
  id: `pay:${T0 + 12 * MINUTE}:down:healthy:ops`,
  kind: 'resolved',
  integration: { ...PAYMENTS, runbook: undefined },
  status: 'healthy',
  previousStatus: 'down',
  at: T0 + 12 * MINUTE,
  reason: '2 consecutive successes',
  durationMs: 12 * MINUTE + 30_000,
};

describe('webhook payload', () => {
  it('renders a problem', () => {
    expect(renderPayload('webhook', problem)).toMatchInlineSnapshot(`
      {
        "at": "2024-06-01T12:00:00.000Z",
        "durationMs": null,
        "id": "pay:1717243200000:healthy:down:ops",
        "integration": {
          "id": "pay",
          "name": "Payments",
          "participant": {
            "id": "psp",
            "name": "PSP",
          },
          "source": "storefront",
          "target": "psp-api",
          "tier": "critical",
        },
        "kind": "problem",
        "link": "https://ecotone.example.com/integrations/pay",
        "previousStatus": "healthy",
        "reason": "3 consecutive failures (timeout)",
        "runbook": "https://runbooks.example.com/pay",
        "status": "down",
        "version": 1,
      }
    `);
  });

  it('renders a resolved message with nulls for what is unknown', () => {
    expect(renderPayload('webhook', resolved)).toMatchInlineSnapshot(`
      {
        "at": "2024-06-01T12:12:00.000Z",
        "durationMs": 750000,
        "id": "pay:1717243920000:down:healthy:ops",
        "integration": {
          "id": "pay",
          "name": "Payments",
          "participant": {
            "id": "psp",
            "name": "PSP",
          },
          "source": "storefront",
          "target": "psp-api",
          "tier": "critical",
        },
        "kind": "resolved",
        "link": null,
        "previousStatus": "down",
        "reason": "2 consecutive successes",
        "runbook": null,
        "status": "healthy",
        "version": 1,
      }
    `);
  });
});

describe('slack payload', () => {
  it('renders a problem', () => {
    expect(renderPayload('slack', problem)).toMatchInlineSnapshot(`
      {
        "attachments": [
          {
            "blocks": [
              {
                "text": {
                  "text": ":red_circle: *DOWN*: <https://ecotone.example.com/integrations/pay|Payments>
      3 consecutive failures (timeout)",
                  "type": "mrkdwn",
                },
                "type": "section",
              },
              {
                "fields": [
                  {
                    "text": "*Status*
      DOWN (was HEALTHY)",
                    "type": "mrkdwn",
                  },
                  {
                    "text": "*Tier*
      critical",
                    "type": "mrkdwn",
                  },
                  {
                    "text": "*Participant*
      PSP",
                    "type": "mrkdwn",
                  },
                  {
                    "text": "*Connection*
      storefront → psp-api",
                    "type": "mrkdwn",
                  },
                  {
                    "text": "*At*
      <!date^1717243200^{date_short_pretty} {time_secs}|2024-06-01T12:00:00.000Z>",
                    "type": "mrkdwn",
                  },
                ],
                "type": "section",
              },
              {
                "elements": [
                  {
                    "text": "Runbook: <https://runbooks.example.com/pay|open> · Ecotone",
                    "type": "mrkdwn",
                  },
                ],
                "type": "context",
              },
            ],
            "color": "#E01E5A",
            "fallback": "DOWN: Payments (PSP): 3 consecutive failures (timeout)",
          },
        ],
        "text": "DOWN: Payments (PSP): 3 consecutive failures (timeout)",
      }
    `);
  });

  it('renders a resolved message', () => {
    expect(renderPayload('slack', resolved)).toMatchInlineSnapshot(`
      {
        "attachments": [
          {
            "blocks": [
              {
                "text": {
                  "text": ":large_green_circle: *RESOLVED*: *Payments*
      healthy again after 12m30s, was DOWN",
                  "type": "mrkdwn",
                },
                "type": "section",
              },
              {
                "fields": [
                  {
                    "text": "*Status*
      HEALTHY (was DOWN)",
                    "type": "mrkdwn",
                  },
                  {
                    "text": "*Tier*
      critical",
                    "type": "mrkdwn",
                  },
                  {
                    "text": "*Participant*
      PSP",
                    "type": "mrkdwn",
                  },
                  {
                    "text": "*Connection*
      storefront → psp-api",
                    "type": "mrkdwn",
                  },
                  {
                    "text": "*At*
      <!date^1717243920^{date_short_pretty} {time_secs}|2024-06-01T12:12:00.000Z>",
                    "type": "mrkdwn",
                  },
                  {
                    "text": "*Lasted*
      12m30s",
                    "type": "mrkdwn",
                  },
                ],
                "type": "section",
              },
              {
                "elements": [
                  {
                    "text": "Ecotone",
                    "type": "mrkdwn",
                  },
                ],
                "type": "context",
              },
            ],
            "color": "#2EB67D",
            "fallback": "RESOLVED: Payments (PSP): healthy again after 12m30s, was DOWN",
          },
        ],
        "text": "RESOLVED: Payments (PSP): healthy again after 12m30s, was DOWN",
      }
    `);
  });

  it("names a change between problem statuses and one that ends a channel's status", () => {
    const worse = renderPayload('slack', { ...problem, status: 'down', previousStatus: 'degraded' });
    expect((worse as { text: string }).text).toBe(
      'DOWN (was DEGRADED): Payments (PSP): 3 consecutive failures (timeout)',
    );
    const eased = renderPayload('slack', { ...resolved, status: 'degraded', durationMs: undefined });
    expect((eased as { text: string }).text).toBe('RESOLVED, now DEGRADED: Payments (PSP): no longer DOWN');
  });

  it('escapes Slack control characters in the mrkdwn parts (the fallback is plain text)', () => {
    const payload = renderPayload('slack', {
      ...problem,
      link: undefined,
      integration: { ...PAYMENTS, name: 'A&B <ops>' },
      reason: 'status 503 <!channel>',
    });
    const { text, attachments } = payload as SlackPayload;
    const json = JSON.stringify({ text, blocks: attachments[0]?.blocks });
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('<ops>');
    expect(json).toContain('A&amp;B &lt;ops&gt;');
  });
});
