import type { Random } from '../random.ts';
import type { DemoEvent, EventFactory } from './events.ts';
import { pick, within } from './scenarios/context.ts';

/** Events per second of each ambient kind at scale 1 (the default traffic rate). */
export const AMBIENT_RATES = {
  docsView: 0.5,
  developerActivity: 0.15,
  feedback: 0.02,
  ticketOpened: 0.04,
  ticketClosed: 0.035,
} as const;

/**
 * Onboarding stages reached once per run, at a time after the start: Linkfield, the affiliate
 * network being connected, gets integrated and reaches first value; a prospect signs.
 */
export const ONBOARDING_SCRIPT: readonly { afterMs: number; participant: string; stage: string }[] = [
  { afterMs: 20_000, participant: 'linkfield', stage: 'integrated' },
  { afterMs: 90_000, participant: 'linkfield', stage: 'first_value' },
  { afterMs: 240_000, participant: 'ridgeway-trail-schools', stage: 'signed' },
];

const DOCS_PAGES = [
  '/docs/partners/quickstart',
  '/docs/partners/webhooks',
  '/docs/api/orders',
  '/docs/api/shipments',
  '/docs/api/offers',
  '/docs/b2b/ordering',
  'https://developers.northwind-outfitters.example/changelog',
];

const ACTIVITIES = ['api_key_created', 'sandbox_call', 'sdk_download', 'webhook_configured', 'sandbox_call'];

/** Participants asked for feedback, with the scores they tend to give and what they say. */
const SURVEYED: readonly {
  participant: string;
  scores: readonly [number, number];
  texts: readonly string[];
}[] = [
  {
    participant: 'bazaaro',
    scores: [7, 10],
    texts: ['Order acceptance is fast and reliable.', 'Offer updates sometimes hit our rate limit at night.'],
  },
  {
    participant: 'paycadia',
    scores: [6, 9],
    texts: ['Webhook retries work well on both sides.', 'Please move to the v4 payments API before Q3.'],
  },
  {
    participant: 'kestrel-parcel',
    scores: [6, 9],
    texts: ['Scan events arrive within seconds.', 'A few scans were rejected as malformed last week.'],
  },
  {
    participant: 'alpenrand',
    scores: [7, 10],
    texts: [
      'Replenishment orders go through without calls to the sales desk.',
      'Error messages for unknown SKUs could name the SKU.',
    ],
  },
  {
    participant: 'linkfield',
    scores: [4, 8],
    texts: [
      'Sandbox credentials took a week to arrive.',
      'Conversion reporting works once the token is right.',
      'The webhook docs lack an example payload.',
    ],
  },
  {
    participant: 'vistula-fulfilment',
    scores: [6, 9],
    texts: ['Order releases are complete; stock files sometimes wait for the SFTP server.'],
  },
];

/** Events that are not caused by a traced call: docs, developers, surveys, tickets, onboarding. */
export interface AmbientEvents {
  /** The events of the next `dtMs`, at `scale` times {@link AMBIENT_RATES}. */
  next(dtMs: number, scale: number): DemoEvent[];
}

/** How many of something happening `perSecond` on average happen in `dtMs`, randomly rounded. */
function occurrences(random: Random, perSecond: number, dtMs: number): number {
  const expected = (perSecond * dtMs) / 1000;
  const whole = Math.floor(expected);
  return whole + (random() < expected - whole ? 1 : 0);
}

/** Most tickets kept open at once; older ones are forgotten unclosed beyond it. */
const MAX_OPEN_TICKETS = 500;

/**
 * Creates the ambient event source: docs views, developer activity, partner feedback with
 * text, support tickets opened and later closed, and the onboarding script, once each.
 * @example
 * const ambient = createAmbientEvents({ random, events, ticketPrefix: 'TCK-mhx2k9qz' });
 * sender.add(ambient.next(250, 1));
 */
export function createAmbientEvents(options: {
  random: Random;
  events: EventFactory;
  /** Starts every ticket id, so that tickets of two runs differ (default `TCK`). */
  ticketPrefix?: string;
}): AmbientEvents {
  const { random, events } = options;
  const ticketPrefix = options.ticketPrefix ?? 'TCK';
  let elapsed = 0;
  let script = 0;
  let tickets = 0;
  const open: string[] = [];
  const developer = () => `dev-${within(random, 100, 399)}`;

  return {
    next(dtMs, scale) {
      elapsed += dtMs;
      const out: DemoEvent[] = [];
      while (
        script < ONBOARDING_SCRIPT.length &&
        (ONBOARDING_SCRIPT[script]?.afterMs ?? Infinity) <= elapsed
      ) {
        const step = ONBOARDING_SCRIPT[script++];
        if (step)
          out.push(
            events.make('participant.stage', {
              source: '/partner-portal',
              participant: step.participant,
              data: { stage: step.stage },
            }),
          );
      }
      for (let i = occurrences(random, AMBIENT_RATES.docsView * scale, dtMs); i > 0; i--)
        out.push(
          events.make('docs.view', {
            source: '/developer-portal',
            data: { page: pick(random, DOCS_PAGES), user: developer() },
          }),
        );
      for (let i = occurrences(random, AMBIENT_RATES.developerActivity * scale, dtMs); i > 0; i--)
        out.push(
          events.make('developer.activity', {
            source: '/developer-portal',
            data: { activity: pick(random, ACTIVITIES), user: developer() },
          }),
        );
      for (let i = occurrences(random, AMBIENT_RATES.feedback * scale, dtMs); i > 0; i--) {
        const who = pick(random, SURVEYED);
        out.push(
          events.make('feedback', {
            source: '/partner-survey',
            participant: who.participant,
            data: {
              score: within(random, who.scores[0], who.scores[1]),
              text: pick(random, who.texts),
              survey: 'partner-pulse-2026',
            },
          }),
        );
      }
      for (let i = occurrences(random, AMBIENT_RATES.ticketOpened * scale, dtMs); i > 0; i--) {
        const ticket = `${ticketPrefix}-${++tickets}`;
        if (open.length >= MAX_OPEN_TICKETS) open.shift();
        open.push(ticket);
        const priority = pick(random, ['low', 'normal', 'normal', 'normal', 'high', 'urgent']);
        out.push(events.make('ticket.opened', { source: '/tickora', data: { ticket, priority } }));
      }
      for (
        let i = occurrences(random, AMBIENT_RATES.ticketClosed * scale, dtMs);
        i > 0 && open.length > 0;
        i--
      ) {
        const [ticket] = open.splice(Math.floor(random() * open.length), 1);
        out.push(events.make('ticket.closed', { source: '/tickora', data: { ticket } }));
      }
      return out;
    },
  };
}
