import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  BATCH_INDEX,
  EVENT_TYPES,
  EventBatchError,
  type EventFormat,
  type EventProblem,
  type EventType,
  eventFormatFor,
  type IngestEvent,
  MAX_PROBLEMS,
  type ParseEventBatchOptions,
  parseEventBatch,
} from './index.ts';

const NOW = Date.parse('2025-03-01T10:00:00Z');
const OPTIONS: ParseEventBatchOptions = { maxBatch: 5, now: NOW, maxFutureSkewMs: 300_000 };

const ID_MESSAGE =
  'expected an id of 1-128 letters, digits, ".", "_", ":", "@", "/" or "-", starting with a letter or digit';
const CATALOG_ID_MESSAGE =
  'expected a catalog id of 1-63 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit';
const TYPE_MESSAGE =
  'expected one of "transaction", "user.active", "participant.stage", "ticket.opened", "ticket.closed", "feedback", "docs.view", "developer.activity", "handoff.automated"';
const TIME_MESSAGE = 'expected an RFC 3339 timestamp with an offset such as "2025-03-01T10:00:00Z"';

function problemsOf(body: unknown, format: EventFormat, options = OPTIONS): EventProblem[] {
  try {
    parseEventBatch(body, format, options);
  } catch (error) {
    if (error instanceof EventBatchError) return error.problems;
    throw error;
  }
  throw new Error('expected the batch to be rejected');
}

const sale = (overrides: Record<string, unknown> = {}) => ({
  id: 'evt-1',
  type: 'transaction',
  data: { amount: 10, currency: 'EUR' },
  ...overrides,
});

const cloudEvent = (overrides: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  id: 'evt-1',
  source: '/shop',
  type: 'transaction',
  data: { amount: 10, currency: 'EUR' },
  ...overrides,
});

const withoutKey = (value: Record<string, unknown>, key: string) => {
  const copy = { ...value };
  delete copy[key];
  return copy;
};

interface FailureCase {
  name: string;
  format: EventFormat;
  body: unknown;
  options?: ParseEventBatchOptions;
  problems: EventProblem[];
}

const FAILURES: FailureCase[] = [
  // The body as a whole.
  {
    name: 'json body that is neither an array nor {"events": [...]}',
    format: 'json',
    body: 'events',
    problems: [
      {
        index: BATCH_INDEX,
        field: '',
        message: 'expected an array of events or {"events": [...]}, found string "events"',
      },
    ],
  },
  {
    name: 'json body: a single event instead of a batch',
    format: 'json',
    body: sale(),
    problems: [
      {
        index: BATCH_INDEX,
        field: '',
        message: 'expected an array of events or {"events": [...]}, found an object without "events"',
      },
    ],
  },
  {
    name: 'json body: "events" is not an array',
    format: 'json',
    body: { events: sale() },
    problems: [
      { index: BATCH_INDEX, field: 'events', message: 'expected an array of events, found an object' },
    ],
  },
  {
    name: 'json body: unknown field beside "events"',
    format: 'json',
    body: { events: [sale()], batch: 'b-1' },
    problems: [{ index: BATCH_INDEX, field: 'batch', message: 'unknown field "batch"' }],
  },
  {
    name: 'cloudevents batch body that is not an array',
    format: 'cloudevents-batch',
    body: cloudEvent(),
    problems: [
      {
        index: BATCH_INDEX,
        field: '',
        message:
          'expected an array of CloudEvents, found an object; send a single CloudEvent as application/cloudevents+json',
      },
    ],
  },
  {
    name: 'structured cloudevent body that is an array',
    format: 'cloudevent',
    body: [cloudEvent()],
    problems: [
      {
        index: BATCH_INDEX,
        field: '',
        message:
          'expected one CloudEvent (a JSON object), found an array; send an array as application/cloudevents-batch+json',
      },
    ],
  },
  {
    name: 'empty batch',
    format: 'json',
    body: [],
    problems: [{ index: BATCH_INDEX, field: '', message: 'expected at least 1 event, found an empty batch' }],
  },
  {
    name: 'empty batch in the {"events": [...]} form',
    format: 'json',
    body: { events: [] },
    problems: [
      { index: BATCH_INDEX, field: 'events', message: 'expected at least 1 event, found an empty batch' },
    ],
  },
  {
    name: 'batch over maxBatch (one problem, the events are not read)',
    format: 'cloudevents-batch',
    body: Array.from({ length: 6 }, () => 'not even an event'),
    problems: [{ index: BATCH_INDEX, field: '', message: 'expected at most 5 events in a batch, found 6' }],
  },
  // The envelope.
  {
    name: 'event that is not an object',
    format: 'json',
    body: [sale(), 42],
    problems: [{ index: 1, field: '', message: 'expected an event (a JSON object), found number 42' }],
  },
  {
    name: 'missing id',
    format: 'json',
    body: [withoutKey(sale(), 'id')],
    problems: [{ index: 0, field: 'id', message: `required, ${ID_MESSAGE}` }],
  },
  {
    name: 'id with a space',
    format: 'json',
    body: [sale({ id: 'evt 1' })],
    problems: [{ index: 0, field: 'id', message: `${ID_MESSAGE}, found string "evt 1"` }],
  },
  {
    name: 'id longer than 128 characters',
    format: 'json',
    body: [sale({ id: 'a'.repeat(129) })],
    problems: [{ index: 0, field: 'id', message: `${ID_MESSAGE}, found string "${'a'.repeat(57)}..."` }],
  },
  {
    name: 'unknown type',
    format: 'json',
    body: [sale({ type: 'order.created' })],
    problems: [{ index: 0, field: 'type', message: `${TYPE_MESSAGE}, found string "order.created"` }],
  },
  {
    name: 'time in the future beyond the allowed skew',
    format: 'json',
    body: [sale({ time: '2025-03-01T10:05:00.001Z' })],
    problems: [
      {
        index: 0,
        field: 'time',
        message:
          'expected a time no later than 2025-03-01T10:05:00.000Z (the receive time plus 300000 ms), found string "2025-03-01T10:05:00.001Z"',
      },
    ],
  },
  {
    name: 'time without an offset (not RFC 3339)',
    format: 'json',
    body: [sale({ time: '2025-03-01T09:00:00' })],
    problems: [{ index: 0, field: 'time', message: `${TIME_MESSAGE}, found string "2025-03-01T09:00:00"` }],
  },
  {
    name: 'time as a number (not RFC 3339)',
    format: 'json',
    body: [sale({ time: 1740819600000 })],
    problems: [{ index: 0, field: 'time', message: `${TIME_MESSAGE}, found number 1740819600000` }],
  },
  {
    name: 'time on a day the month does not have',
    format: 'json',
    body: [sale({ time: '2025-02-29T09:00:00Z' })],
    problems: [{ index: 0, field: 'time', message: `${TIME_MESSAGE}, found string "2025-02-29T09:00:00Z"` }],
  },
  {
    name: 'time before 1970',
    format: 'json',
    body: [sale({ time: '1969-12-31T23:59:59Z' })],
    problems: [
      {
        index: 0,
        field: 'time',
        message: 'expected a time from 1970-01-01T00:00:00Z on, found string "1969-12-31T23:59:59Z"',
      },
    ],
  },
  {
    name: 'source with a space',
    format: 'json',
    body: [sale({ source: 'my shop' })],
    problems: [
      {
        index: 0,
        field: 'source',
        message:
          'expected a URI-reference such as "https://shop.example.com/orders" or "/crm", 1-1024 characters without spaces, found string "my shop"',
      },
    ],
  },
  {
    name: 'participant that is not a catalog id',
    format: 'json',
    body: [sale({ participant: 'Acme Corp' })],
    problems: [
      { index: 0, field: 'participant', message: `${CATALOG_ID_MESSAGE}, found string "Acme Corp"` },
    ],
  },
  {
    name: 'unknown field in the envelope',
    format: 'json',
    body: [sale({ customer: 'c-1' })],
    problems: [{ index: 0, field: 'customer', message: 'unknown field "customer"' }],
  },
  {
    name: 'unknown field with a very long name (cut in the problem)',
    format: 'json',
    body: [sale({ ['x'.repeat(5_000)]: 1 })],
    problems: [{ index: 0, field: `${'x'.repeat(61)}...`, message: `unknown field "${'x'.repeat(61)}..."` }],
  },
  {
    name: 'participant missing for participant.stage',
    format: 'json',
    body: [{ id: 'evt-1', type: 'participant.stage', data: { stage: 'signed' } }],
    problems: [
      {
        index: 0,
        field: 'participant',
        message: `required for "participant.stage" events, ${CATALOG_ID_MESSAGE}`,
      },
    ],
  },
  {
    name: 'participant missing for feedback',
    format: 'json',
    body: [{ id: 'evt-1', type: 'feedback', data: { score: 8 } }],
    problems: [
      { index: 0, field: 'participant', message: `required for "feedback" events, ${CATALOG_ID_MESSAGE}` },
    ],
  },
  {
    name: 'integration missing for handoff.automated',
    format: 'json',
    body: [{ id: 'evt-1', type: 'handoff.automated' }],
    problems: [
      {
        index: 0,
        field: 'integration',
        message: `required for "handoff.automated" events, ${CATALOG_ID_MESSAGE}`,
      },
    ],
  },
  {
    name: 'duplicate id inside the batch',
    format: 'json',
    body: [sale(), sale({ id: 'evt-2' }), sale()],
    problems: [{ index: 2, field: 'id', message: 'duplicate id: event 0 of this batch has the same id' }],
  },
  // The payload.
  {
    name: 'data that is not an object',
    format: 'json',
    body: [sale({ data: [10, 'EUR'] })],
    problems: [
      {
        index: 0,
        field: 'data',
        message: 'expected an object with the "transaction" fields, found an array',
      },
    ],
  },
  {
    name: 'amount missing',
    format: 'json',
    body: [sale({ data: { currency: 'EUR' } })],
    problems: [{ index: 0, field: 'data.amount', message: 'required, expected an amount (a number)' }],
  },
  {
    name: 'amount of the wrong type',
    format: 'json',
    body: [sale({ data: { amount: '10.00', currency: 'EUR' } })],
    problems: [
      { index: 0, field: 'data.amount', message: 'expected an amount (a number), found string "10.00"' },
    ],
  },
  {
    name: 'negative amount (a refund)',
    format: 'json',
    body: [sale({ data: { amount: -5, currency: 'EUR' } })],
    problems: [
      {
        index: 0,
        field: 'data.amount',
        message:
          'expected an amount of 0 or more (refunds, i.e. negative amounts, are not accepted), found number -5',
      },
    ],
  },
  {
    name: 'currency in lowercase',
    format: 'json',
    body: [sale({ data: { amount: 10, currency: 'eur' } })],
    problems: [
      {
        index: 0,
        field: 'data.currency',
        message:
          'expected an ISO 4217 currency code of three uppercase letters such as "EUR", found string "eur"',
      },
    ],
  },
  {
    name: 'channel that is not a catalog id',
    format: 'json',
    body: [sale({ data: { amount: 10, currency: 'EUR', channel: 'Marketplace' } })],
    problems: [
      { index: 0, field: 'data.channel', message: `${CATALOG_ID_MESSAGE}, found string "Marketplace"` },
    ],
  },
  {
    name: 'unknown field in data',
    format: 'json',
    body: [sale({ data: { amount: 10, currency: 'EUR', tax: 1.9 } })],
    problems: [{ index: 0, field: 'data.tax', message: 'unknown field "tax"' }],
  },
  {
    name: 'user missing for user.active',
    format: 'json',
    body: [{ id: 'evt-1', type: 'user.active', data: {} }],
    problems: [{ index: 0, field: 'data.user', message: `required, ${ID_MESSAGE}` }],
  },
  {
    name: 'stage unknown',
    format: 'json',
    body: [{ id: 'evt-1', type: 'participant.stage', participant: 'acme', data: { stage: 'live' } }],
    problems: [
      {
        index: 0,
        field: 'data.stage',
        message: 'expected one of "signed", "integrated", "first_value", "churned", found string "live"',
      },
    ],
  },
  {
    name: 'ticket priority unknown',
    format: 'json',
    body: [{ id: 'evt-1', type: 'ticket.opened', data: { ticket: 'T-1', priority: 'p1' } }],
    problems: [
      {
        index: 0,
        field: 'data.priority',
        message: 'expected one of "low", "normal", "high", "urgent", found string "p1"',
      },
    ],
  },
  {
    name: 'score 11',
    format: 'json',
    body: [{ id: 'evt-1', type: 'feedback', participant: 'acme', data: { score: 11 } }],
    problems: [{ index: 0, field: 'data.score', message: 'expected a score from 0 to 10, found number 11' }],
  },
  {
    name: 'feedback text over 4,000 characters',
    format: 'json',
    body: [
      { id: 'evt-1', type: 'feedback', participant: 'acme', data: { score: 9, text: 'x'.repeat(4_001) } },
    ],
    problems: [
      {
        index: 0,
        field: 'data.text',
        message: `expected a text of at most 4000 characters, found string "${'x'.repeat(57)}..."`,
      },
    ],
  },
  {
    name: 'docs page that is neither a path nor a URL',
    format: 'json',
    body: [{ id: 'evt-1', type: 'docs.view', data: { page: 'docs/quickstart' } }],
    problems: [
      {
        index: 0,
        field: 'data.page',
        message:
          'expected a page path such as "/docs/quickstart" or an http(s) URL, at most 2048 characters without spaces, found string "docs/quickstart"',
      },
    ],
  },
  {
    name: 'developer activity that is not a short id',
    format: 'json',
    body: [{ id: 'evt-1', type: 'developer.activity', data: { activity: 'API key created' } }],
    problems: [
      {
        index: 0,
        field: 'data.activity',
        message:
          'expected an activity id of 1-64 lowercase letters, digits, "_", "." or "-" such as "api_key_created", found string "API key created"',
      },
    ],
  },
  {
    name: 'handoff count that is not a whole number',
    format: 'json',
    body: [{ id: 'evt-1', type: 'handoff.automated', integration: 'shop-erp', data: { count: 1.5 } }],
    problems: [
      {
        index: 0,
        field: 'data.count',
        message: 'expected a whole number from 1 to 1000000, found number 1.5',
      },
    ],
  },
  {
    name: 'handoff count of 0',
    format: 'json',
    body: [{ id: 'evt-1', type: 'handoff.automated', integration: 'shop-erp', data: { count: 0 } }],
    problems: [
      { index: 0, field: 'data.count', message: 'expected a whole number from 1 to 1000000, found number 0' },
    ],
  },
  // CloudEvents.
  {
    name: 'CloudEvent without specversion',
    format: 'cloudevent',
    body: withoutKey(cloudEvent(), 'specversion'),
    problems: [{ index: 0, field: 'specversion', message: 'required, expected "1.0"' }],
  },
  {
    name: 'CloudEvent with another specversion',
    format: 'cloudevents-batch',
    body: [cloudEvent({ specversion: '0.3' })],
    problems: [{ index: 0, field: 'specversion', message: 'expected "1.0", found string "0.3"' }],
  },
  {
    name: 'CloudEvent without source',
    format: 'cloudevent',
    body: withoutKey(cloudEvent(), 'source'),
    problems: [
      {
        index: 0,
        field: 'source',
        message:
          'required, expected a URI-reference such as "https://shop.example.com/orders" or "/crm", 1-1024 characters without spaces',
      },
    ],
  },
  {
    name: 'CloudEvent with a null id (null is unset)',
    format: 'cloudevent',
    body: cloudEvent({ id: null }),
    problems: [{ index: 0, field: 'id', message: `required, ${ID_MESSAGE}` }],
  },
  {
    name: 'CloudEvent with a reverse-DNS type',
    format: 'cloudevent',
    body: cloudEvent({ type: 'com.example.transaction' }),
    problems: [
      { index: 0, field: 'type', message: `${TYPE_MESSAGE}, found string "com.example.transaction"` },
    ],
  },
  {
    name: 'CloudEvent with data_base64',
    format: 'cloudevent',
    body: withoutKey(cloudEvent({ data_base64: 'eyJhbW91bnQiOjEwfQ==' }), 'data'),
    problems: [
      {
        index: 0,
        field: 'data_base64',
        message: 'binary data is not supported; send the payload as JSON in "data"',
      },
    ],
  },
  {
    name: 'CloudEvent with datacontenttype text/plain',
    format: 'cloudevent',
    body: cloudEvent({ datacontenttype: 'text/plain' }),
    problems: [
      {
        index: 0,
        field: 'datacontenttype',
        message: 'expected a JSON media type such as "application/json", found string "text/plain"',
      },
    ],
  },
  {
    name: 'CloudEvent with an unknown extension attribute',
    format: 'cloudevent',
    body: cloudEvent({ tenant: 'eu' }),
    problems: [
      {
        index: 0,
        field: 'tenant',
        message:
          'unknown extension attribute "tenant"; the extensions read are "participant" and "integration"',
      },
    ],
  },
  {
    name: 'CloudEvent with an attribute name CloudEvents does not allow',
    format: 'cloudevent',
    body: cloudEvent({ partnerId: 'acme' }),
    problems: [
      {
        index: 0,
        field: 'partnerId',
        message:
          'unknown attribute "partnerId"; CloudEvents attribute names are lowercase letters and digits',
      },
    ],
  },
  {
    name: 'CloudEvent with an empty subject',
    format: 'cloudevent',
    body: cloudEvent({ subject: '' }),
    problems: [
      {
        index: 0,
        field: 'subject',
        message: 'expected a non-empty string of at most 1024 characters, found string ""',
      },
    ],
  },
  {
    name: 'CloudEvent handoff.automated without the integration extension',
    format: 'cloudevent',
    body: cloudEvent({ type: 'handoff.automated', data: undefined }),
    problems: [
      {
        index: 0,
        field: 'integration',
        message: `required for "handoff.automated" events, ${CATALOG_ID_MESSAGE}`,
      },
    ],
  },
];

describe('parseEventBatch rejects', () => {
  it.each(FAILURES)('$name', ({ body, format, options, problems }) => {
    expect(problemsOf(body, format, options)).toEqual(problems);
  });

  it('lists every problem of every event, in order', () => {
    const problems = problemsOf(
      [
        sale({ data: { amount: -1, currency: 'eur' } }),
        { id: 'evt-2', type: 'feedback', data: { score: 11 } },
        sale({ id: 'evt-3' }),
      ],
      'json',
    );
    expect(problems.map((p) => `${p.index} ${p.field}`)).toEqual([
      '0 data.amount',
      '0 data.currency',
      '1 participant',
      '1 data.score',
    ]);
  });

  it('stops at the first 100 problems and says there were more', () => {
    const body = Array.from({ length: 200 }, (_, i) => sale({ id: `evt-${i}`, type: 'sale' }));
    let error: unknown;
    try {
      parseEventBatch(body, 'json', { ...OPTIONS, maxBatch: 1_000 });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EventBatchError);
    const batchError = error as EventBatchError;
    expect(batchError.problems).toHaveLength(MAX_PROBLEMS);
    expect(batchError.problems.at(-1)?.index).toBe(99);
    expect(batchError.message).toBe('event batch rejected: more than 100 problems, the first 100 listed');
  });

  it('names the number of problems in the error message', () => {
    expect(() => parseEventBatch([sale({ type: 'sale' })], 'json', OPTIONS)).toThrow(
      /^event batch rejected: 1 problem$/,
    );
    expect(() => parseEventBatch([sale({ type: 'sale', time: 'now' })], 'json', OPTIONS)).toThrow(
      /^event batch rejected: 2 problems$/,
    );
  });
});

describe('parseEventBatch accepts', () => {
  interface HappyCase {
    type: EventType;
    envelope?: { participant?: string; integration?: string };
    data: Record<string, unknown>;
    /** The validated payload, when it differs from `data` (defaults). */
    validated?: Record<string, unknown>;
    lifted: Partial<IngestEvent>;
  }
  const HAPPY: HappyCase[] = [
    {
      type: 'transaction',
      envelope: { integration: 'shop-psp' },
      data: {
        amount: 129.9,
        currency: 'EUR',
        customer: 'cus_81',
        channel: 'marketplace',
        order: 'order:1042',
      },
      lifted: { amount: 129.9, currency: 'EUR', customer: 'cus_81', channel: 'marketplace' },
    },
    { type: 'user.active', data: { user: 'user@example.com' }, lifted: { user: 'user@example.com' } },
    {
      type: 'participant.stage',
      envelope: { participant: 'acme' },
      data: { stage: 'first_value' },
      lifted: {},
    },
    { type: 'ticket.opened', data: { ticket: 'SUP-77', priority: 'urgent' }, lifted: {} },
    { type: 'ticket.closed', data: { ticket: 'SUP-77' }, lifted: {} },
    {
      type: 'feedback',
      envelope: { participant: 'acme' },
      data: { score: 7.5, text: 'Onboarding was quick.\nDocs could be better.', survey: 'nps-2025-q1' },
      lifted: {},
    },
    {
      type: 'docs.view',
      data: { page: 'https://developer.example.com/docs/webhooks?lang=en#retries', user: 'dev-9' },
      lifted: { user: 'dev-9' },
    },
    { type: 'developer.activity', data: { activity: 'api_key_created' }, lifted: {} },
    {
      type: 'handoff.automated',
      envelope: { integration: 'shop-erp' },
      data: {},
      validated: { count: 1 },
      lifted: {},
    },
  ];

  it('has a happy case for every event type', () => {
    expect(new Set(HAPPY.map((c) => c.type))).toEqual(new Set(EVENT_TYPES));
  });

  const expected = (c: HappyCase): IngestEvent => ({
    id: `evt-${c.type}`,
    type: c.type,
    time: Date.parse('2025-03-01T09:30:00.250Z'),
    source: '/shop',
    participant: c.envelope?.participant,
    integration: c.envelope?.integration,
    channel: undefined,
    customer: undefined,
    user: undefined,
    amount: undefined,
    currency: undefined,
    ...c.lifted,
    data: c.validated ?? c.data,
  });

  it.each(HAPPY)('$type as plain JSON', (c) => {
    const events = parseEventBatch(
      [
        {
          id: `evt-${c.type}`,
          type: c.type,
          time: '2025-03-01T10:30:00.250+01:00',
          source: '/shop',
          ...c.envelope,
          data: c.data,
        },
      ],
      'json',
      OPTIONS,
    );
    expect(events).toEqual([expected(c)]);
  });

  it.each(HAPPY)('$type as a CloudEvent', (c) => {
    const events = parseEventBatch(
      {
        specversion: '1.0',
        id: `evt-${c.type}`,
        source: '/shop',
        type: c.type,
        time: '2025-03-01T09:30:00.250Z',
        datacontenttype: 'application/json',
        ...c.envelope,
        data: c.data,
      },
      'cloudevent',
      OPTIONS,
    );
    expect(events).toEqual([expected(c)]);
  });

  it('reads a CloudEvents batch in order', () => {
    const events = parseEventBatch(
      [cloudEvent(), cloudEvent({ id: 'evt-2', type: 'user.active', data: { user: 'u-1' } })],
      'cloudevents-batch',
      OPTIONS,
    );
    expect(events.map((e) => [e.id, e.type])).toEqual([
      ['evt-1', 'transaction'],
      ['evt-2', 'user.active'],
    ]);
  });

  it('reads the {"events": [...]} form like a bare array', () => {
    expect(parseEventBatch({ events: [sale()] }, 'json', OPTIONS)).toEqual(
      parseEventBatch([sale()], 'json', OPTIONS),
    );
  });

  it('stamps events without a time with the receive time', () => {
    const [event] = parseEventBatch([sale()], 'json', OPTIONS);
    expect(event?.time).toBe(NOW);
    expect(event?.source).toBeUndefined();
  });

  it('accepts a time exactly at the allowed skew, and any past time from 1970', () => {
    const events = parseEventBatch(
      [
        sale({ id: 'a', time: '2025-03-01T10:05:00Z' }),
        sale({ id: 'b', time: '1970-01-01T00:00:00Z' }),
        sale({ id: 'c', time: '2024-02-29t23:59:59.999999999-00:00' }),
        sale({ id: 'd', time: '2016-12-31T23:59:60Z' }),
      ],
      'json',
      OPTIONS,
    );
    expect(events.map((e) => e.time)).toEqual([
      NOW + 300_000,
      0,
      Date.parse('2024-02-29T23:59:59.999Z'),
      Date.parse('2017-01-01T00:00:00Z'),
    ]);
  });

  it('accepts a batch of exactly maxBatch events and ids of 128 characters', () => {
    const body = Array.from({ length: OPTIONS.maxBatch }, (_, i) => sale({ id: `${i}`.padEnd(128, 'x') }));
    expect(parseEventBatch(body, 'json', OPTIONS)).toHaveLength(OPTIONS.maxBatch);
  });

  it('treats null CloudEvents attributes as unset, reads JSON media types, ignores the tracing extension', () => {
    const [event] = parseEventBatch(
      cloudEvent({
        time: null,
        subject: null,
        participant: null,
        comexampleother: null,
        datacontenttype: 'application/vnd.shop.sale+json; charset=utf-8',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        dataschema: 'https://shop.example.com/schemas/sale.json',
      }),
      'cloudevent',
      OPTIONS,
    );
    expect(event).toMatchObject({ id: 'evt-1', time: NOW, participant: undefined, amount: 10 });
  });

  it('keeps no reference to the input payload', () => {
    const data = { amount: 10, currency: 'EUR' };
    const [event] = parseEventBatch([sale({ data })], 'json', OPTIONS);
    expect(event?.data).toEqual(data);
    expect(event?.data).not.toBe(data);
  });
});

describe('eventFormatFor', () => {
  it.each([
    ['application/json', 'json'],
    ['Application/JSON; charset=utf-8', 'json'],
    ['application/cloudevents+json', 'cloudevent'],
    ['application/cloudevents-batch+json;charset=UTF-8', 'cloudevents-batch'],
    ['text/plain', undefined],
    ['application/cloudevents', undefined],
    [undefined, undefined],
  ])('%s → %s', (contentType, format) => {
    expect(eventFormatFor(contentType)).toBe(format);
  });
});

describe('event times', () => {
  it('reads RFC 3339 times with any offset and fraction exactly as Date.parse does', () => {
    let state = 12_345;
    const next = () => {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
      return state / 2_147_483_648;
    };
    const pad = (n: number, width = 2) => String(n).padStart(width, '0');
    const times = Array.from({ length: 500 }, (_, i) => {
      const ms = Math.floor(next() * NOW);
      const offset = Math.round((next() - 0.5) * 48) * 30; // minutes, -24h to +24h in half hours
      const local = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
      const fraction = ['', `.${pad(ms % 1_000, 3)}`, `.${pad(ms % 1_000, 3)}999`][i % 3];
      const zone =
        offset === 0 && i % 2 === 0
          ? 'Z'
          : `${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
      return `${local}${fraction}${zone}`;
    });
    const body = times.map((time, i) => sale({ id: `evt-${i}`, time }));
    const events = parseEventBatch(body, 'json', { ...OPTIONS, maxBatch: 500 });
    expect(events.map((e) => e.time)).toEqual(times.map((time) => Date.parse(time)));
  });
});

describe('docs/events.md', () => {
  const text = readFileSync(new URL('../../docs/events.md', import.meta.url), 'utf8');
  const examples = [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1] ?? ''));

  it('shows bodies that are accepted: plain JSON, one CloudEvent, a CloudEvents batch', () => {
    const formats: EventFormat[] = ['json', 'cloudevent', 'cloudevents-batch'];
    const counts = formats.map((format, i) => parseEventBatch(examples[i], format, OPTIONS).length);
    expect(counts).toEqual([2, 1, 2]);
  });

  it('shows problem messages as Ecotone writes them', () => {
    const shown = examples.find((example) => Object.hasOwn(example, 'errors')) as { errors: EventProblem[] };
    const problems = problemsOf(
      [
        sale({ data: { amount: 1, currency: 'eur' } }),
        sale({ id: 'evt-2' }),
        { id: 'evt-3', type: 'feedback', data: { score: 9 } },
        sale({ id: 'evt-2' }),
      ],
      'json',
    );
    expect(problems).toEqual(shown.errors);
  });
});
