import type { z } from 'zod';
import {
  CATALOG_ID_MESSAGE,
  CATALOG_ID_PATTERN,
  EVENT_ID_MESSAGE,
  EVENT_ID_PATTERN,
  EVENT_PAYLOAD_SCHEMAS,
  MAX_CATALOG_ID_LENGTH,
  MAX_ID_LENGTH,
  REQUIRED_ENVELOPE_FIELDS,
} from './schemas.ts';
import {
  EVENT_TYPES,
  EventBatchError,
  type EventProblem,
  type EventType,
  type IngestEvent,
} from './types.ts';

/** How a `POST /v1/events` body is framed; chosen by its media type (see {@link eventFormatFor}). */
export type EventFormat = 'json' | 'cloudevent' | 'cloudevents-batch';

/** The media types `POST /v1/events` accepts, and the format each one means. */
export const EVENT_MEDIA_TYPES: Readonly<Record<string, EventFormat>> = {
  'application/json': 'json',
  'application/cloudevents+json': 'cloudevent',
  'application/cloudevents-batch+json': 'cloudevents-batch',
};

/**
 * The event format for a `Content-Type` header value, ignoring parameters such as `charset` and
 * letter case; `undefined` for a media type that is not accepted (the route answers 415).
 * @example
 * eventFormatFor('application/cloudevents+json; charset=utf-8'); // 'cloudevent'
 */
export function eventFormatFor(contentType: string | undefined): EventFormat | undefined {
  if (contentType === undefined) return undefined;
  const semicolon = contentType.indexOf(';');
  const mediaType = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  return Object.hasOwn(EVENT_MEDIA_TYPES, mediaType) ? EVENT_MEDIA_TYPES[mediaType] : undefined;
}

export interface ParseEventBatchOptions {
  /** Most events accepted in one batch; a larger batch is rejected whole, before any event is read. */
  maxBatch: number;
  /** Receive time, Unix milliseconds: the `time` of events that have none. */
  now: number;
  /** How far past `now` an event's `time` may lie, in milliseconds (producers' clocks drift). */
  maxFutureSkewMs: number;
}

/** Most problems listed for one rejected batch; reading stops at the next one. */
export const MAX_PROBLEMS = 100;

/**
 * Index of a problem with the request body as a whole (its framing, an empty or oversized
 * batch) rather than with one event of it.
 */
export const BATCH_INDEX = -1;

/** Longest `source`, in characters. */
export const MAX_SOURCE_LENGTH = 1_024;

const PLAIN_KEYS = new Set(['id', 'type', 'time', 'source', 'participant', 'integration', 'data']);

/**
 * Context attributes read from a CloudEvent. `traceparent` and `tracestate` (the documented
 * distributed-tracing extension, added by instrumented SDKs) are accepted and ignored; `dataschema`
 * and `subject` are checked and ignored.
 */
const CLOUDEVENT_KEYS = new Set([
  'specversion',
  'id',
  'source',
  'type',
  'time',
  'datacontenttype',
  'dataschema',
  'subject',
  'data',
  'data_base64',
  'participant',
  'integration',
  'traceparent',
  'tracestate',
]);

const EVENT_TYPE_SET: ReadonlySet<string> = new Set(EVENT_TYPES);
const TYPE_MESSAGE = `expected one of ${EVENT_TYPES.map((t) => `"${t}"`).join(', ')}`;
const SOURCE_MESSAGE = `expected a URI-reference such as "https://shop.example.com/orders" or "/crm", 1-${MAX_SOURCE_LENGTH} characters without spaces`;
const TIME_MESSAGE = 'expected an RFC 3339 timestamp with an offset such as "2025-03-01T10:00:00Z"';
const ATTRIBUTE_NAME_PATTERN = /^[a-z0-9]+$/;
/** Control characters, spaces, and the characters RFC 3986 never allows in a URI-reference. */
const NOT_IN_URI = /[\s\p{Cc}"<>\\^`{|}]/u;
/** Earliest accepted event time: the Unix epoch. */
const MIN_TIME_MS = 0;

/**
 * Parses and validates one `POST /v1/events` body (already JSON-parsed) into events.
 *
 * All or nothing: the events are returned only if every one of them is valid; otherwise an
 * {@link EventBatchError} lists every problem (at most {@link MAX_PROBLEMS}), each with the event's
 * index (or {@link BATCH_INDEX} for the body as a whole), the field and what was expected.
 * Unknown fields are problems, in the envelope and in `data`. Never throws anything else.
 *
 * - `json`: an array of plain events, or `{ "events": [...] }`.
 * - `cloudevent`: one CloudEvent in structured mode (`application/cloudevents+json`).
 * - `cloudevents-batch`: an array of CloudEvents (`application/cloudevents-batch+json`).
 *
 * @example
 * const events = parseEventBatch(JSON.parse(text), 'json', {
 *   maxBatch: 1000,
 *   now: Date.now(),
 *   maxFutureSkewMs: 300_000,
 * });
 */
export function parseEventBatch(
  body: unknown,
  format: EventFormat,
  options: ParseEventBatchOptions,
): IngestEvent[] {
  const problems = new ProblemList();
  const batch = unwrapBatch(body, format, problems);
  if (batch !== undefined) {
    const { items, field } = batch;
    if (items.length === 0) {
      problems.add(BATCH_INDEX, field, 'expected at least 1 event, found an empty batch');
    } else if (items.length > options.maxBatch) {
      problems.add(
        BATCH_INDEX,
        field,
        `expected at most ${options.maxBatch} events in a batch, found ${items.length}`,
      );
    } else {
      const events = parseItems(items, format === 'json', options, problems);
      if (problems.count === 0) return events;
    }
  }
  throw problems.toError();
}

function unwrapBatch(
  body: unknown,
  format: EventFormat,
  problems: ProblemList,
): { items: unknown[]; field: string } | undefined {
  if (format === 'cloudevent') {
    if (isObject(body)) return { items: [body], field: '' };
    const hint = Array.isArray(body) ? '; send an array as application/cloudevents-batch+json' : '';
    problems.add(
      BATCH_INDEX,
      '',
      `expected one CloudEvent (a JSON object), found ${describeFound(body)}${hint}`,
    );
    return undefined;
  }
  if (Array.isArray(body)) return { items: body, field: '' };
  if (format === 'cloudevents-batch') {
    const hint = isObject(body) ? '; send a single CloudEvent as application/cloudevents+json' : '';
    problems.add(BATCH_INDEX, '', `expected an array of CloudEvents, found ${describeFound(body)}${hint}`);
    return undefined;
  }
  if (!isObject(body) || !Object.hasOwn(body, 'events')) {
    const what = isObject(body) ? 'an object without "events"' : describeFound(body);
    problems.add(BATCH_INDEX, '', `expected an array of events or {"events": [...]}, found ${what}`);
    return undefined;
  }
  for (const key of Object.keys(body)) {
    if (key !== 'events') problems.add(BATCH_INDEX, shorten(key), `unknown field "${shorten(key)}"`);
  }
  const events = body.events;
  if (!Array.isArray(events)) {
    problems.add(BATCH_INDEX, 'events', `expected an array of events, found ${describeFound(events)}`);
    return undefined;
  }
  return problems.count === 0 ? { items: events, field: 'events' } : undefined;
}

function parseItems(
  items: unknown[],
  plain: boolean,
  options: ParseEventBatchOptions,
  problems: ProblemList,
): IngestEvent[] {
  const events: IngestEvent[] = [];
  const seen = new Map<string, number>();
  const reader: EventReader = {
    index: 0,
    problems,
    now: options.now,
    latest: options.now + options.maxFutureSkewMs,
    latestText: '',
    skewMs: options.maxFutureSkewMs,
  };
  for (let index = 0; index < items.length && !problems.full; index++) {
    const item = items[index];
    reader.index = index;
    const event = plain ? readPlainEvent(item, reader) : readCloudEvent(item, reader);
    const id = event?.id ?? idOf(item);
    if (id !== undefined) {
      const earlier = seen.get(id);
      if (earlier === undefined) seen.set(id, index);
      else problems.add(index, 'id', `duplicate id: event ${earlier} of this batch has the same id`);
    }
    if (event !== undefined && problems.count === 0) events.push(event);
  }
  return events;
}

/** The id of an event that failed elsewhere, so a duplicate id is still reported once. */
function idOf(item: unknown): string | undefined {
  if (!isObject(item)) return undefined;
  const id = item.id;
  return typeof id === 'string' && id.length <= MAX_ID_LENGTH && EVENT_ID_PATTERN.test(id) ? id : undefined;
}

interface EventReader {
  index: number;
  problems: ProblemList;
  now: number;
  latest: number;
  latestText: string;
  skewMs: number;
}

function readPlainEvent(item: unknown, r: EventReader): IngestEvent | undefined {
  if (!isObject(item)) {
    r.problems.add(r.index, '', `expected an event (a JSON object), found ${describeFound(item)}`);
    return undefined;
  }
  const before = r.problems.count;
  const id = readEventId(item.id, r);
  const type = readType(item.type, r);
  const time = readTime(item.time, r);
  const source = item.source === undefined ? undefined : readSource(item.source, r);
  const participant = readCatalogRef(item.participant, 'participant', r);
  const integration = readCatalogRef(item.integration, 'integration', r);
  for (const key in item) {
    if (!PLAIN_KEYS.has(key) && Object.hasOwn(item, key))
      r.problems.add(r.index, shorten(key), `unknown field "${shorten(key)}"`);
  }
  return finish(r, before, { id, type, time, source, participant, integration, data: item.data });
}

function readCloudEvent(item: unknown, r: EventReader): IngestEvent | undefined {
  if (!isObject(item)) {
    r.problems.add(r.index, '', `expected a CloudEvent (a JSON object), found ${describeFound(item)}`);
    return undefined;
  }
  const before = r.problems.count;
  // A JSON `null` attribute is unset (CloudEvents JSON format, 2.2).
  const specversion = item.specversion ?? undefined;
  if (specversion !== '1.0') {
    r.problems.add(
      r.index,
      'specversion',
      specversion === undefined
        ? 'required, expected "1.0"'
        : `expected "1.0", found ${describeFound(specversion)}`,
    );
  }
  const id = readEventId(item.id ?? undefined, r);
  const source = readSource(item.source ?? undefined, r);
  const type = readType(item.type ?? undefined, r);
  const time = readTime(item.time ?? undefined, r);
  // A payload that is not JSON is one problem, not one per missing field.
  let dataIsJson = true;
  const contentType = item.datacontenttype ?? undefined;
  if (contentType !== undefined && !isJsonMediaType(contentType)) {
    dataIsJson = false;
    r.problems.add(
      r.index,
      'datacontenttype',
      `expected a JSON media type such as "application/json", found ${describeFound(contentType)}`,
    );
  }
  if ((item.data_base64 ?? undefined) !== undefined) {
    dataIsJson = false;
    r.problems.add(
      r.index,
      'data_base64',
      'binary data is not supported; send the payload as JSON in "data"',
    );
  }
  readOptionalString(item.dataschema, 'dataschema', 2_048, r);
  readOptionalString(item.subject, 'subject', 1_024, r);
  readOptionalString(item.traceparent, 'traceparent', 256, r);
  readOptionalString(item.tracestate, 'tracestate', 1_024, r);
  const participant = readCatalogRef(item.participant ?? undefined, 'participant', r);
  const integration = readCatalogRef(item.integration ?? undefined, 'integration', r);
  for (const key in item) {
    if (CLOUDEVENT_KEYS.has(key) || !Object.hasOwn(item, key) || item[key] === null) continue;
    r.problems.add(
      r.index,
      shorten(key),
      ATTRIBUTE_NAME_PATTERN.test(key)
        ? `unknown extension attribute "${shorten(key)}"; the extensions read are "participant" and "integration"`
        : `unknown attribute "${shorten(key)}"; CloudEvents attribute names are lowercase letters and digits`,
    );
  }
  const data = dataIsJson ? item.data : NOT_JSON;
  return finish(r, before, { id, type, time, source, participant, integration, data });
}

interface Envelope {
  id: string | undefined;
  type: EventType | undefined;
  time: number | undefined;
  source: string | undefined;
  participant: string | undefined;
  integration: string | undefined;
  /** The raw payload, or {@link NOT_JSON} when it is not to be read. */
  data: unknown;
}

/** Stands for a CloudEvents payload that is not JSON (already a problem). */
const NOT_JSON: unique symbol = Symbol('not JSON');

/** Checks what depends on the type (required envelope fields, the payload) and builds the event. */
function finish(r: EventReader, before: number, envelope: Envelope): IngestEvent | undefined {
  const { type } = envelope;
  if (type === undefined) return undefined;
  for (const field of REQUIRED_ENVELOPE_FIELDS[type]) {
    if (envelope[field] === undefined && r.problems.countAt(r.index, field) === 0) {
      r.problems.add(r.index, field, `required for "${type}" events, ${CATALOG_ID_MESSAGE}`);
    }
  }
  const data = envelope.data === NOT_JSON ? undefined : readPayload(type, envelope.data, r);
  const { id, time } = envelope;
  if (r.problems.count !== before || id === undefined || time === undefined || data === undefined) {
    return undefined;
  }
  return {
    id,
    type,
    time,
    source: envelope.source,
    participant: envelope.participant,
    integration: envelope.integration,
    channel: stringField(data, 'channel'),
    customer: stringField(data, 'customer'),
    user: stringField(data, 'user'),
    amount: typeof data.amount === 'number' ? data.amount : undefined,
    currency: stringField(data, 'currency'),
    data,
  };
}

function readPayload(type: EventType, raw: unknown, r: EventReader): Record<string, unknown> | undefined {
  const input = raw === undefined ? {} : raw;
  if (!isObject(input)) {
    r.problems.add(
      r.index,
      'data',
      `expected an object with the "${type}" fields, found ${describeFound(raw)}`,
    );
    return undefined;
  }
  const result = EVENT_PAYLOAD_SCHEMAS[type].safeParse(input);
  if (result.success) return result.data;
  addPayloadIssues(result.error.issues, input, r);
  return undefined;
}

function addPayloadIssues(issues: z.core.$ZodIssue[], data: Record<string, unknown>, r: EventReader): void {
  for (const issue of issues) {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        r.problems.add(r.index, ['data', ...path, shorten(key)].join('.'), `unknown field "${shorten(key)}"`);
      continue;
    }
    const found = valueAt(data, path);
    const message =
      found === undefined ? `required, ${issue.message}` : `${issue.message}, found ${describeFound(found)}`;
    r.problems.add(r.index, ['data', ...path].join('.'), message);
  }
}

function readEventId(value: unknown, r: EventReader): string | undefined {
  if (typeof value === 'string' && value.length <= MAX_ID_LENGTH && EVENT_ID_PATTERN.test(value))
    return value;
  r.problems.add(
    r.index,
    'id',
    value === undefined
      ? `required, ${EVENT_ID_MESSAGE}`
      : `${EVENT_ID_MESSAGE}, found ${describeFound(value)}`,
  );
  return undefined;
}

function readType(value: unknown, r: EventReader): EventType | undefined {
  if (typeof value === 'string' && EVENT_TYPE_SET.has(value)) return value as EventType;
  r.problems.add(
    r.index,
    'type',
    value === undefined ? `required, ${TYPE_MESSAGE}` : `${TYPE_MESSAGE}, found ${describeFound(value)}`,
  );
  return undefined;
}

function readTime(value: unknown, r: EventReader): number | undefined {
  if (value === undefined) return r.now;
  const ms = typeof value === 'string' ? parseRfc3339(value) : undefined;
  if (ms === undefined) {
    r.problems.add(r.index, 'time', `${TIME_MESSAGE}, found ${describeFound(value)}`);
    return undefined;
  }
  if (ms < MIN_TIME_MS) {
    r.problems.add(
      r.index,
      'time',
      `expected a time from 1970-01-01T00:00:00Z on, found ${describeFound(value)}`,
    );
    return undefined;
  }
  if (ms > r.latest) {
    r.latestText ||= new Date(r.latest).toISOString();
    r.problems.add(
      r.index,
      'time',
      `expected a time no later than ${r.latestText} (the receive time plus ${r.skewMs} ms), found ${describeFound(value)}`,
    );
    return undefined;
  }
  return ms;
}

function readSource(value: unknown, r: EventReader): string | undefined {
  if (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= MAX_SOURCE_LENGTH &&
    !NOT_IN_URI.test(value)
  ) {
    return value;
  }
  r.problems.add(
    r.index,
    'source',
    value === undefined ? `required, ${SOURCE_MESSAGE}` : `${SOURCE_MESSAGE}, found ${describeFound(value)}`,
  );
  return undefined;
}

function readCatalogRef(value: unknown, field: string, r: EventReader): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && value.length <= MAX_CATALOG_ID_LENGTH && CATALOG_ID_PATTERN.test(value))
    return value;
  r.problems.add(r.index, field, `${CATALOG_ID_MESSAGE}, found ${describeFound(value)}`);
  return undefined;
}

/** A CloudEvents attribute that is read only to be checked: a non-empty string, or unset. */
function readOptionalString(value: unknown, field: string, maxLength: number, r: EventReader): void {
  if (value === undefined || value === null) return;
  if (typeof value === 'string' && value.length > 0 && value.length <= maxLength) return;
  r.problems.add(
    r.index,
    field,
    `expected a non-empty string of at most ${maxLength} characters, found ${describeFound(value)}`,
  );
}

/** `*\/json` or `*\/*+json`, parameters ignored (CloudEvents JSON format, 3.1). */
function isJsonMediaType(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 256) return false;
  const semicolon = value.indexOf(';');
  const mediaType = (semicolon === -1 ? value : value.slice(0, semicolon)).trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]*\/(?:[a-z0-9!#$&^_.+-]*\+)?json$/.test(mediaType);
}

/**
 * Unix milliseconds for an RFC 3339 `date-time` (seconds required, an offset or `Z` required,
 * fractions truncated to the millisecond), or `undefined` if the text is not one.
 */
function parseRfc3339(text: string): number | undefined {
  // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM), read by position: this runs once per event.
  const length = text.length;
  if (length < 20 || length > 40) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (
    (year | month | day | hour | minute | second) < 0 ||
    text.charCodeAt(4) !== 45 || // -
    text.charCodeAt(7) !== 45 ||
    (text.charCodeAt(10) | 0x20) !== 116 || // T or t
    text.charCodeAt(13) !== 58 || // :
    text.charCodeAt(16) !== 58
  ) {
    return undefined;
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  let at = 19;
  let millis = 0;
  if (text.charCodeAt(at) === 46) {
    // A fraction of 1 to 9 digits, truncated to the millisecond.
    const start = ++at;
    while (at < length && at - start < 10 && isDigit(text.charCodeAt(at))) {
      if (at - start < 3) millis += (text.charCodeAt(at) - 48) * 10 ** (2 - (at - start));
      at++;
    }
    if (at === start || at - start > 9) return undefined;
  }
  let offsetMinutes = 0;
  const zone = text.charCodeAt(at);
  if ((zone | 0x20) === 122) {
    // Z or z
    if (at + 1 !== length) return undefined;
  } else if (zone === 43 || zone === 45) {
    // + or -
    const offsetHour = digits(text, at + 1, 2);
    const offsetMinute = digits(text, at + 4, 2);
    if (at + 6 !== length || text.charCodeAt(at + 3) !== 58 || offsetHour < 0 || offsetMinute < 0)
      return undefined;
    if (offsetHour > 23 || offsetMinute > 59) return undefined;
    offsetMinutes = (zone === 45 ? -1 : 1) * (offsetHour * 60 + offsetMinute);
  } else {
    return undefined;
  }
  // A leap second (:60) reads as the first second of the next minute.
  const seconds =
    daysFromCivil(year, month, day) * 86_400 + hour * 3_600 + (minute - offsetMinutes) * 60 + second;
  return seconds * 1_000 + millis;
}

/** The number `count` decimal digits at `start` spell, or -1. */
function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const code = text.charCodeAt(i);
    if (!isDigit(code)) return -1;
    value = value * 10 + code - 48;
  }
  return value;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `days_from_civil`). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function stringField(data: Record<string, unknown>, key: string): string | undefined {
  const value = data[key];
  return typeof value === 'string' ? value : undefined;
}

function valueAt(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const segment of path) {
    if (!isObject(current) || !Object.hasOwn(current, segment)) return undefined;
    current = current[segment];
  }
  return current;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A field name from a body, cut to 64 characters for a problem's field and message. */
function shorten(key: string): string {
  return key.length > 64 ? `${key.slice(0, 61)}...` : key;
}

/** A value found in a body, for a message: `string "abc"`, `number 5`, `an array`, `nothing`. */
function describeFound(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    return `string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
  }
  return `${typeof value} ${String(value)}`;
}

/** Problems of one batch, in the order found, keeping the first {@link MAX_PROBLEMS}. */
class ProblemList {
  readonly items: EventProblem[] = [];
  /** True once a problem beyond {@link MAX_PROBLEMS} was found: reading stops there. */
  full = false;

  get count(): number {
    return this.items.length + (this.full ? 1 : 0);
  }

  add(index: number, field: string, message: string): void {
    if (this.items.length < MAX_PROBLEMS) this.items.push({ index, field, message });
    else this.full = true;
  }

  countAt(index: number, field: string): number {
    let n = 0;
    for (let i = this.items.length - 1; i >= 0; i--) {
      const item = this.items[i] as EventProblem;
      if (item.index !== index) break;
      if (item.field === field) n++;
    }
    return n;
  }

  toError(): EventBatchError {
    const n = this.items.length;
    const message = this.full
      ? `event batch rejected: more than ${MAX_PROBLEMS} problems, the first ${MAX_PROBLEMS} listed`
      : `event batch rejected: ${n} ${n === 1 ? 'problem' : 'problems'}`;
    return new EventBatchError(message, this.items);
  }
}
