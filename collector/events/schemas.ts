import { z } from 'zod';
import { type EventType, ONBOARDING_STAGES } from './types.ts';

// Every payload shape lists its fields in alphabetical order: zod writes a validated payload in
// shape order, so it comes out with sorted keys, which eventHash then hashes without sorting.

/**
 * Event ids and the ids inside payloads (customer, user, order, ticket, survey): 1 to 128
 * characters, starting with an ASCII letter or digit, then letters, digits and `.` `_` `:` `@` `/`
 * `-`. UUIDs, ULIDs, `order:1042`, `urn:uuid:…` and e-mail-like user ids all fit; spaces,
 * control characters and other punctuation do not, so an id can be logged and compared verbatim.
 */
export const EVENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,127}$/;

/** Longest event id, and longest id inside a payload, in characters. */
export const MAX_ID_LENGTH = 128;

/**
 * References to the catalog (the envelope's `participant` and `integration`, and a transaction's
 * `channel`): the catalog's own id syntax, lowercase letters, digits, `.`, `_` or `-`, at most 63.
 * They become Prometheus label values, so they cannot be wider than the catalog allows.
 */
export const CATALOG_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/** Longest catalog reference, in characters. */
export const MAX_CATALOG_ID_LENGTH = 63;

/** Longest free text (`feedback.text`), in characters. */
export const MAX_TEXT_LENGTH = 4_000;

/** Longest `docs.view` page, in characters. */
export const MAX_PAGE_LENGTH = 2_048;

/** Largest transaction amount, in the currency's major unit. */
export const MAX_AMOUNT = 1e15;

/** Largest `handoff.automated` count in one event. */
export const MAX_HANDOFF_COUNT = 1_000_000;

export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

/** What an invalid id is told it should be. */
export const EVENT_ID_MESSAGE = `expected an id of 1-${MAX_ID_LENGTH} letters, digits, ".", "_", ":", "@", "/" or "-", starting with a letter or digit`;
/** What an invalid catalog reference is told it should be. */
export const CATALOG_ID_MESSAGE = `expected a catalog id of 1-${MAX_CATALOG_ID_LENGTH} lowercase letters, digits, ".", "_" or "-", starting with a letter or digit`;

/** An id in a payload, checked against {@link EVENT_ID_PATTERN}. */
export const eventId = z
  .string({ error: EVENT_ID_MESSAGE })
  .max(MAX_ID_LENGTH, { error: EVENT_ID_MESSAGE, abort: true })
  .regex(EVENT_ID_PATTERN, { error: EVENT_ID_MESSAGE });

/** A catalog reference in a payload, checked against {@link CATALOG_ID_PATTERN}. */
export const catalogId = z
  .string({ error: CATALOG_ID_MESSAGE })
  .max(MAX_CATALOG_ID_LENGTH, { error: CATALOG_ID_MESSAGE, abort: true })
  .regex(CATALOG_ID_PATTERN, { error: CATALOG_ID_MESSAGE });

const CURRENCY_MESSAGE = 'expected an ISO 4217 currency code of three uppercase letters such as "EUR"';
const currency = z
  .string({ error: CURRENCY_MESSAGE })
  .max(3, { error: CURRENCY_MESSAGE, abort: true })
  .regex(/^[A-Z]{3}$/, { error: CURRENCY_MESSAGE });

/** `transaction`: money that crossed the ecosystem. Refunds are not events: amounts are never negative. */
export const transactionPayload = z.strictObject({
  amount: z
    .number({ error: 'expected an amount (a number)' })
    .min(0, { error: 'expected an amount of 0 or more (refunds, i.e. negative amounts, are not accepted)' })
    .max(MAX_AMOUNT, { error: `expected an amount of at most ${MAX_AMOUNT}` }),
  channel: catalogId.optional(),
  currency,
  customer: eventId.optional(),
  order: eventId.optional(),
});

/** `user.active`: a user did something that counts as activity. */
export const userActivePayload = z.strictObject({
  user: eventId,
});

const STAGE_MESSAGE = `expected one of ${ONBOARDING_STAGES.map((s) => `"${s}"`).join(', ')}`;

/** `participant.stage`: the participant (on the envelope) reached an onboarding stage. */
export const participantStagePayload = z.strictObject({
  stage: z.enum(ONBOARDING_STAGES, { error: STAGE_MESSAGE }),
});

const PRIORITY_MESSAGE = `expected one of ${TICKET_PRIORITIES.map((p) => `"${p}"`).join(', ')}`;

/** `ticket.opened` and `ticket.closed`: a support ticket changed state. */
export const ticketPayload = z.strictObject({
  priority: z.enum(TICKET_PRIORITIES, { error: PRIORITY_MESSAGE }).optional(),
  ticket: eventId,
});

/** `feedback`: a satisfaction score (0 to 10) from the participant on the envelope. */
export const feedbackPayload = z.strictObject({
  score: z
    .number({ error: 'expected a score from 0 to 10' })
    .min(0, { error: 'expected a score from 0 to 10' })
    .max(10, { error: 'expected a score from 0 to 10' }),
  survey: eventId.optional(),
  text: z
    .string({ error: 'expected a text' })
    .max(MAX_TEXT_LENGTH, { error: `expected a text of at most ${MAX_TEXT_LENGTH} characters` })
    .optional(),
});

const PAGE_MESSAGE = `expected a page path such as "/docs/quickstart" or an http(s) URL, at most ${MAX_PAGE_LENGTH} characters without spaces`;

/** `docs.view`: a documentation page was viewed. */
export const docsViewPayload = z.strictObject({
  page: z
    .string({ error: PAGE_MESSAGE })
    .max(MAX_PAGE_LENGTH, { error: PAGE_MESSAGE, abort: true })
    .regex(/^(?:\/|https?:\/\/[^\s/])[^\s\p{Cc}]*$/iu, { error: PAGE_MESSAGE }),
  user: eventId.optional(),
});

const ACTIVITY_MESSAGE =
  'expected an activity id of 1-64 lowercase letters, digits, "_", "." or "-" such as "api_key_created"';

/** `developer.activity`: a developer used the platform (`api_key_created`, `sandbox_call`, `sdk_download`, …). */
export const developerActivityPayload = z.strictObject({
  activity: z
    .string({ error: ACTIVITY_MESSAGE })
    .max(64, { error: ACTIVITY_MESSAGE, abort: true })
    .regex(/^[a-z][a-z0-9_.-]{0,63}$/, { error: ACTIVITY_MESSAGE }),
  user: eventId.optional(),
});

/** `handoff.automated`: manual hand-offs avoided by the integration on the envelope (default 1). */
export const handoffAutomatedPayload = z.strictObject({
  count: z
    .int({ error: `expected a whole number from 1 to ${MAX_HANDOFF_COUNT}` })
    .min(1, { error: `expected a whole number from 1 to ${MAX_HANDOFF_COUNT}` })
    .max(MAX_HANDOFF_COUNT, { error: `expected a whole number from 1 to ${MAX_HANDOFF_COUNT}` })
    .default(1),
});

/** The payload (`data`) schema of every event type. */
export const EVENT_PAYLOAD_SCHEMAS = {
  transaction: transactionPayload,
  'user.active': userActivePayload,
  'participant.stage': participantStagePayload,
  'ticket.opened': ticketPayload,
  'ticket.closed': ticketPayload,
  feedback: feedbackPayload,
  'docs.view': docsViewPayload,
  'developer.activity': developerActivityPayload,
  'handoff.automated': handoffAutomatedPayload,
} as const satisfies Record<EventType, z.ZodType<Record<string, unknown>>>;

/**
 * Envelope fields an event type cannot do without: a stage or a score belongs to a participant,
 * an automated hand-off to an integration.
 */
export const REQUIRED_ENVELOPE_FIELDS: Readonly<
  Record<EventType, readonly ('participant' | 'integration')[]>
> = {
  transaction: [],
  'user.active': [],
  'participant.stage': ['participant'],
  'ticket.opened': [],
  'ticket.closed': [],
  feedback: ['participant'],
  'docs.view': [],
  'developer.activity': [],
  'handoff.automated': ['integration'],
};

export type TransactionPayload = z.output<typeof transactionPayload>;
export type UserActivePayload = z.output<typeof userActivePayload>;
export type ParticipantStagePayload = z.output<typeof participantStagePayload>;
export type TicketPayload = z.output<typeof ticketPayload>;
export type FeedbackPayload = z.output<typeof feedbackPayload>;
export type DocsViewPayload = z.output<typeof docsViewPayload>;
export type DeveloperActivityPayload = z.output<typeof developerActivityPayload>;
export type HandoffAutomatedPayload = z.output<typeof handoffAutomatedPayload>;
