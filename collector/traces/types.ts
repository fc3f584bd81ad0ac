/**
 * Spans as the trace pipeline sees them once an OTLP request is decoded: ids in lowercase hex,
 * times in Unix milliseconds, attributes flattened to scalars. Both the protobuf and the JSON
 * decoders produce exactly this shape; nothing downstream knows which encoding arrived.
 */

/** OTLP `SpanKind` values. */
export const SpanKind = {
  UNSPECIFIED: 0,
  INTERNAL: 1,
  SERVER: 2,
  CLIENT: 3,
  PRODUCER: 4,
  CONSUMER: 5,
} as const;
export type SpanKind = (typeof SpanKind)[keyof typeof SpanKind];

/** OTLP `Status.StatusCode` values. */
export const StatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;
export type StatusCode = (typeof StatusCode)[keyof typeof StatusCode];

/**
 * An attribute value. Arrays and key-value lists are kept as their JSON text and bytes as
 * base64: match rules only ever compare scalars.
 */
export type AttributeValue = string | number | boolean;
export type Attributes = Record<string, AttributeValue>;

export interface DecodedSpan {
  /** 32 lowercase hex characters. */
  traceId: string;
  /** 16 lowercase hex characters. */
  spanId: string;
  /** 16 lowercase hex characters, or '' for a root span. */
  parentSpanId: string;
  name: string;
  kind: SpanKind;
  /** Unix milliseconds (fractional). */
  startTimeMs: number;
  /** Unix milliseconds (fractional); never before startTimeMs in an accepted span. */
  endTimeMs: number;
  statusCode: StatusCode;
  attributes: Attributes;
}

/** The spans of one resource (one emitting process). */
export interface DecodedResourceSpans {
  resource: Attributes;
  /** The resource's `service.name`, if it has one. */
  serviceName: string | undefined;
  spans: DecodedSpan[];
}

export interface DecodedTraces {
  resourceSpans: DecodedResourceSpans[];
  /** Spans accepted, summed over resourceSpans. */
  spanCount: number;
  /** Spans dropped individually (reported back in `partial_success`). */
  rejectedSpans: number;
  /** Why the first rejected span was dropped; undefined when none were. */
  rejectionMessage: string | undefined;
}

/** Bounds applied while decoding; each has its default in `settings.ingest`. */
export interface TraceDecodeLimits {
  /** Most spans in one request. */
  maxSpans: number;
  /** Most attributes on one span (span attributes) or one resource. */
  maxAttributes: number;
  /** Longer string attribute values are cut to this many characters. */
  maxAttributeLength: number;
}

/**
 * Thrown for a request that cannot be used at all (malformed encoding, ids of the wrong length,
 * a bound exceeded): the HTTP layer answers 400 with `message`.
 */
export class TraceDecodeError extends Error {
  override name = 'TraceDecodeError';
}
