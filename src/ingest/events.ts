import {
  EventBatchError,
  type EventFormat,
  type EventProblem,
  type IngestEvent,
} from '../../collector/events/index.ts';
import type { ApiToken, EventRecord } from '../../db/index.ts';
import type { CatalogView } from './catalog-view.ts';
import { parseEventBody, throwParseFailure } from './event-parser.ts';
import type { EventParserPool } from './event-parser-pool.ts';
import type { IngestQueue } from './queue.ts';
import type { IngestTotals } from './totals.ts';

export interface EventIngestOptions {
  queue: IngestQueue;
  catalog: CatalogView;
  totals: IngestTotals;
  maxBatch: number;
  maxFutureSkewMs: number;
  /** An event naming a participant or integration not in the catalog: reject the batch, or keep it unattributed. */
  unknownReferences: 'reject' | 'unattributed';
  /** Where batches are parsed; inline on the calling thread when absent. */
  parser?: EventParserPool;
  now?: () => number;
}

export interface EventIngestResult {
  /** Events in the batch. */
  received: number;
  /** Newly stored. */
  inserted: number;
  /** Already stored with the same content (a retry); counted once. */
  duplicates: number;
}

/** Events naming participants or integrations not in the catalog: 400, nothing written. */
export class EventReferenceError extends EventBatchError {
  override name = 'EventReferenceError';
}

/** Events naming a participant other than the sending token's: 403, nothing written. */
export class EventForbiddenError extends Error {
  override name = 'EventForbiddenError';
  readonly problems: EventProblem[];
  constructor(message: string, problems: EventProblem[]) {
    super(message);
    this.problems = problems;
  }
}

/** Event ids already stored with other content: 409, nothing written. */
export class EventConflictError extends Error {
  override name = 'EventConflictError';
  readonly problems: EventProblem[];
  constructor(message: string, problems: EventProblem[]) {
    super(message);
    this.problems = problems;
  }
}

export interface EventIngest {
  /**
   * Parses, validates and commits one batch, all or nothing. Throws JsonBodyError or
   * EventBatchError (400), EventForbiddenError (403), EventConflictError (409),
   * IngestOverloadedError (429) or IngestUnavailableError (503).
   */
  ingest(body: Uint8Array, format: EventFormat, token: ApiToken | undefined): Promise<EventIngestResult>;
}

/** Business events to the store, idempotent by id, one transaction per batch. */
export function createEventIngest(options: EventIngestOptions): EventIngest {
  const now = options.now ?? Date.now;

  return {
    async ingest(body, format, token) {
      const receivedAt = now();
      const parseOptions = {
        maxBatch: options.maxBatch,
        now: receivedAt,
        maxFutureSkewMs: options.maxFutureSkewMs,
      };
      const parsed = options.parser
        ? await options.parser.parse(body, format, parseOptions)
        : parseEventBody(body, format, parseOptions);
      if (!parsed.ok) throwParseFailure(parsed);
      const { events, hashes } = parsed;
      const bound = token?.participantId ?? undefined;
      if (bound !== undefined) {
        const foreign = events.flatMap((e, index) =>
          e.participant !== undefined && e.participant !== bound
            ? [
                {
                  index,
                  field: 'participant',
                  message: `token may only send events of participant "${bound}"`,
                },
              ]
            : [],
        );
        if (foreign.length > 0)
          throw new EventForbiddenError(
            `${foreign.length} event(s) name a participant other than "${bound}", the one this token is bound to`,
            foreign,
          );
      }
      const catalog = await options.catalog.refresh();
      const unknown: EventProblem[] = [];
      const records = events.map((event, index): EventRecord => {
        const hash = hashes[index] as string;
        const participant = event.participant ?? bound;
        const record = toRecord(event, hash, participant);
        if (participant !== undefined && !catalog.participantIds.has(participant)) {
          unknown.push({
            index,
            field: 'participant',
            message: `no participant "${participant}" in the catalog`,
          });
          record.participant = undefined;
          record.unattributed = `participant:${participant}`;
        }
        if (event.integration !== undefined) {
          if (!catalog.integrationChannels.has(event.integration)) {
            unknown.push({
              index,
              field: 'integration',
              message: `no integration "${event.integration}" in the catalog`,
            });
            record.integration = undefined;
            record.unattributed = [record.unattributed, `integration:${event.integration}`]
              .filter(Boolean)
              .join(' ');
          } else record.channel ??= catalog.integrationChannels.get(event.integration);
        }
        return record;
      });
      if (unknown.length > 0 && options.unknownReferences === 'reject')
        throw new EventReferenceError(
          `${unknown.length} reference(s) to entries not in the catalog; nothing was stored`,
          unknown.slice(0, 100),
        );

      const reservation = options.queue.reserve(records.length);
      const result = await reservation.submit({ receivedAt, events: records });
      if (!result.ok)
        throw new EventConflictError(
          `${result.conflicts.length} event id(s) were already stored with different content; nothing was stored`,
          result.conflicts.map(({ index, id }) => ({
            index,
            field: 'id',
            message: `event "${id}" was already received with different content`,
          })),
        );
      options.totals.events.accepted += result.inserted;
      options.totals.events.duplicate += result.duplicates;
      return { received: records.length, inserted: result.inserted, duplicates: result.duplicates };
    },
  };
}

function toRecord(event: IngestEvent, hash: string, participant: string | undefined): EventRecord {
  return {
    id: event.id,
    type: event.type,
    time: event.time,
    source: event.source,
    participant,
    integration: event.integration,
    channel: event.channel,
    customer: event.customer,
    user: event.user,
    amount: event.amount,
    currency: event.currency,
    hash,
    data: event.data,
  };
}
