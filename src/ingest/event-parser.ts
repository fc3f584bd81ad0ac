import {
  EventBatchError,
  type EventFormat,
  type EventProblem,
  eventHash,
  type IngestEvent,
  type ParseEventBatchOptions,
  parseEventBatch,
} from '../../collector/events/index.ts';
import { JsonBodyError, parseJson } from './json-body.ts';

/** A parsed batch with each event's content hash, or why it was rejected; plain data, so it crosses threads. */
export type ParsedEvents =
  | { ok: true; events: IngestEvent[]; hashes: string[] }
  | { ok: false; kind: 'json'; message: string }
  | { ok: false; kind: 'batch'; message: string; problems: EventProblem[] };

/**
 * Everything CPU-bound about an event batch: JSON, validation, hashing. Never throws for bad
 * input; the result says what was wrong.
 */
export function parseEventBody(
  body: Uint8Array,
  format: EventFormat,
  options: ParseEventBatchOptions,
): ParsedEvents {
  try {
    const events = parseEventBatch(parseJson(body), format, options);
    return { ok: true, events, hashes: events.map(eventHash) };
  } catch (error) {
    if (error instanceof JsonBodyError) return { ok: false, kind: 'json', message: error.message };
    if (error instanceof EventBatchError)
      return { ok: false, kind: 'batch', message: error.message, problems: error.problems };
    throw error;
  }
}

/** Turns a rejection back into the error the route answers with. */
export function throwParseFailure(result: Exclude<ParsedEvents, { ok: true }>): never {
  if (result.kind === 'json') throw new JsonBodyError(result.message);
  throw new EventBatchError(result.message, result.problems);
}
