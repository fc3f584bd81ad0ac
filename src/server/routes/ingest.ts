import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { EventBatchError, eventFormatFor } from '../../../collector/events/index.ts';
import { BodyError, readBody } from '../../../collector/ingest/body.ts';
import { TraceDecodeError } from '../../../collector/traces/index.ts';
import { EventConflictError, EventForbiddenError, EventReferenceError } from '../../ingest/events.ts';
import type { IngestRoutes } from '../../ingest/index.ts';
import { JsonBodyError } from '../../ingest/json-body.ts';
import { IngestOverloadedError, IngestUnavailableError } from '../../ingest/queue.ts';
import type { RejectionReason } from '../../ingest/totals.ts';
import type { TraceEncoding } from '../../ingest/traces.ts';
import { requestToken } from '../auth.ts';
import { exportResponseJson, exportResponseProtobuf, statusJson, statusProtobuf } from '../otlp-response.ts';
import { type FieldProblem, problem, problemResponse } from '../problem.ts';

const PROTOBUF = 'application/x-protobuf';

function mediaType(c: Context): string {
  return (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** An ingest failure as status, reason label and message; undefined for an unexpected error. */
function classify(error: unknown): { status: number; reason: RejectionReason; message: string } | undefined {
  if (error instanceof BodyError)
    return {
      status: error.status,
      reason:
        error.status === 413 ? 'too_large' : error.status === 415 ? 'unsupported_media_type' : 'malformed',
      message: error.message,
    };
  if (error instanceof TraceDecodeError || error instanceof JsonBodyError)
    return { status: 400, reason: 'malformed', message: error.message };
  if (error instanceof IngestOverloadedError)
    return { status: 429, reason: 'overloaded', message: error.message };
  if (error instanceof IngestUnavailableError)
    return { status: 503, reason: 'unavailable', message: error.message };
  return undefined;
}

/** A body stream that broke off (the client went away mid-upload): nothing to answer but a 400. */
function isAbortedUpload(error: unknown): boolean {
  const e = error as { name?: string; code?: string; message?: string } | undefined;
  return (
    e?.name === 'AbortError' ||
    e?.code === 'ECONNRESET' ||
    e?.code === 'ERR_STREAM_PREMATURE_CLOSE' ||
    e?.message === 'terminated' ||
    e?.message === 'aborted'
  );
}

/**
 * `POST /v1/traces` (OTLP/HTTP, protobuf or JSON, gzip) and `POST /v1/events` (plain JSON or
 * CloudEvents). A 2xx means committed. Trace errors answer with an OTLP `Status` in the request's
 * encoding, as OTLP exporters expect; event errors with a problem document listing each event's
 * problems.
 */
export function registerIngestRoutes(app: OpenAPIHono, options: IngestRoutes): void {
  const limits = { maxBytes: options.maxBodySize, maxDecodedBytes: options.maxDecodedBodySize };
  /** Retry-After goes with the answers that ask the client to come back: 429 and 503. */
  const retryHeaders = (status: number): Record<string, string> =>
    status === 429 || status === 503 ? { 'retry-after': String(options.retryAfterSeconds) } : {};

  app.post('/v1/traces', async (c) => {
    const type = mediaType(c);
    const encoding: TraceEncoding | undefined =
      type === PROTOBUF || type === 'application/protobuf'
        ? 'protobuf'
        : type === 'application/json'
          ? 'json'
          : undefined;
    const fail = (status: number, reason: RejectionReason, message: string) => {
      options.totals.reject('traces', reason);
      const headers = retryHeaders(status);
      if (encoding === 'protobuf')
        return c.body(statusProtobuf(status, message), status as 400, {
          ...headers,
          'content-type': PROTOBUF,
        });
      return c.json(statusJson(status, message), status as 400, headers);
    };
    if (!encoding)
      return fail(
        415,
        'unsupported_media_type',
        `expected Content-Type ${PROTOBUF} or application/json, found ${type || 'none'}`,
      );
    try {
      const body = await readBody(c.req.raw, limits);
      const result = await options.traces.ingest(body, encoding);
      if (encoding === 'protobuf')
        return c.body(exportResponseProtobuf(result.rejectedSpans, result.rejectionMessage), 200, {
          'content-type': PROTOBUF,
        });
      return c.json(exportResponseJson(result.rejectedSpans, result.rejectionMessage), 200);
    } catch (error) {
      const known =
        classify(error) ??
        (isAbortedUpload(error)
          ? { status: 400, reason: 'malformed' as const, message: 'the request body was cut off' }
          : undefined);
      if (!known) throw error;
      return fail(known.status, known.reason, known.message);
    }
  });

  app.post('/v1/events', async (c) => {
    const fail = (status: number, reason: RejectionReason, detail: string, errors?: FieldProblem[]) => {
      options.totals.reject('events', reason);
      return problemResponse(c, problem(status, detail, errors), retryHeaders(status));
    };
    const format = eventFormatFor(c.req.header('content-type'));
    if (!format)
      return fail(
        415,
        'unsupported_media_type',
        `expected Content-Type application/json, application/cloudevents+json or application/cloudevents-batch+json, found ${mediaType(c) || 'none'}`,
      );
    try {
      const body = await readBody(c.req.raw, limits);
      const result = await options.events.ingest(body, format, requestToken(c.req.raw));
      return c.json(result, 200);
    } catch (error) {
      if (error instanceof EventBatchError)
        return fail(
          400,
          error instanceof EventReferenceError ? 'unknown_reference' : 'malformed',
          error.message,
          error.problems,
        );
      if (error instanceof EventForbiddenError) return fail(403, 'forbidden', error.message, error.problems);
      if (error instanceof EventConflictError) return fail(409, 'conflict', error.message, error.problems);
      const known =
        classify(error) ??
        (isAbortedUpload(error)
          ? { status: 400, reason: 'malformed' as const, message: 'the request body was cut off' }
          : undefined);
      if (!known) throw error;
      return fail(known.status, known.reason, known.message);
    }
  });
}
