/**
 * Business events as the event pipeline sees them once a request is parsed and validated: one
 * shape whether they arrived as plain JSON or as CloudEvents.
 */

export const EVENT_TYPES = [
  'transaction',
  'user.active',
  'participant.stage',
  'ticket.opened',
  'ticket.closed',
  'feedback',
  'docs.view',
  'developer.activity',
  'handoff.automated',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const ONBOARDING_STAGES = ['signed', 'integrated', 'first_value', 'churned'] as const;
export type OnboardingStage = (typeof ONBOARDING_STAGES)[number];

/**
 * One validated event. The typed fields are the ones the KPI jobs group and sum by; `data` keeps
 * the type-specific payload as validated.
 */
export interface IngestEvent {
  /** Producer-chosen id; an event id already stored is a duplicate, not a second event. */
  id: string;
  type: EventType;
  /** When it happened, Unix milliseconds (the `time` field; the receive time when absent). */
  time: number;
  /** CloudEvents `source`, or the plain event's `source`; optional. */
  source: string | undefined;
  /** Participant id the event is about or comes from. */
  participant: string | undefined;
  /** Integration id the event travelled over. */
  integration: string | undefined;
  /** Channel (e.g. marketplace, affiliate); for transactions, defaults to the integration's channel later. */
  channel: string | undefined;
  /** Customer id for transactions (opaque; never a label). */
  customer: string | undefined;
  /** User id for `user.active`, `docs.view`, `developer.activity` (opaque; never a label). */
  user: string | undefined;
  /** Money amount for transactions. */
  amount: number | undefined;
  /** ISO 4217 code, required with an amount. */
  currency: string | undefined;
  /** The type-specific payload as validated. */
  data: Record<string, unknown>;
}

/** One problem with one event of a batch. */
export interface EventProblem {
  /** Index of the event in the batch. */
  index: number;
  /** Dotted path inside that event, e.g. `data.amount`; '' for the event as a whole. */
  field: string;
  message: string;
}

/** Thrown for a batch that is rejected; the HTTP layer answers 400 with every problem. */
export class EventBatchError extends Error {
  override name = 'EventBatchError';
  readonly problems: EventProblem[];
  constructor(message: string, problems: EventProblem[]) {
    super(message);
    this.problems = problems;
  }
}
