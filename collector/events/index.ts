/**
 * Business events for `POST /v1/events`: {@link parseEventBatch} turns a plain-JSON or CloudEvents
 * body into validated {@link IngestEvent}s (all or nothing), {@link eventHash} tells an honest
 * retry from an id reused for other content, and the payload schemas say what each type carries.
 * @example
 * import { eventFormatFor, eventHash, parseEventBatch } from './collector/events/index.ts';
 * const format = eventFormatFor(c.req.header('content-type'));
 * if (format === undefined) throw new HTTPException(415);
 * const events = parseEventBatch(body, format, { maxBatch: 10_000, now: Date.now(), maxFutureSkewMs: 300_000 });
 * const hashes = events.map(eventHash);
 */
export { eventHash } from './hash.ts';
export {
  BATCH_INDEX,
  EVENT_MEDIA_TYPES,
  type EventFormat,
  eventFormatFor,
  MAX_PROBLEMS,
  MAX_SOURCE_LENGTH,
  type ParseEventBatchOptions,
  parseEventBatch,
} from './parse.ts';
export * from './schemas.ts';
export * from './types.ts';
