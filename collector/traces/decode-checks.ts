/**
 * What the protobuf and the JSON trace decoders share: the path used in error messages, id checks,
 * the bounds of `TraceDecodeLimits`, attribute values, and the per-span checks that drop a span
 * without failing the request. Each decoder only speaks its encoding.
 */
import type {
  Attributes,
  AttributeValue,
  DecodedResourceSpans,
  DecodedSpan,
  DecodedTraces,
  SpanKind,
  StatusCode,
  TraceDecodeLimits,
} from './types.ts';
import { TraceDecodeError } from './types.ts';

/**
 * Deepest nesting of array and key-value list values that is read. Deeper input is malformed
 * rather than a way to exhaust the stack.
 */
export const MAX_VALUE_DEPTH = 32;

const HIGHEST_SPAN_KIND = 5;
const HIGHEST_STATUS_CODE = 2;

/**
 * Where in the request a decoder is, for error messages: `resourceSpans[0].scopeSpans[1].spans[3]`.
 * Entering and leaving only store a name and an index; the text is built when an error needs it.
 */
export class DecodePath {
  private readonly names: string[] = [];
  private readonly indexes: number[] = [];
  private depth = 0;

  /** Steps into `name`, or into `name[index]` when `index` is 0 or more. */
  enter(name: string, index = -1): void {
    this.names[this.depth] = name;
    this.indexes[this.depth] = index;
    this.depth++;
  }

  leave(): void {
    this.depth--;
  }

  toString(): string {
    if (this.depth === 0) return 'request';
    let text = '';
    for (let i = 0; i < this.depth; i++) {
      const index = this.indexes[i] ?? -1;
      text += `${i === 0 ? '' : '.'}${this.names[i]}${index >= 0 ? `[${index}]` : ''}`;
    }
    return text;
  }

  /** An error at this path, or at its child `field` when given. */
  error(reason: string, field?: string): TraceDecodeError {
    const where = field === undefined ? `${this}` : `${this.depth === 0 ? '' : `${this}.`}${field}`;
    return new TraceDecodeError(`${where}: ${reason}`);
  }
}

/** The three id fields of a span and the number of bytes each holds. */
export const ID_BYTES = { traceId: 16, spanId: 8, parentSpanId: 8 } as const;
export type IdField = keyof typeof ID_BYTES;

/** How an encoding counts the length of an id: raw bytes (protobuf) or hex characters (JSON). */
export type IdUnit = 'bytes' | 'hex characters';

/**
 * Throws unless an id has its exact length: 16 bytes for `traceId`, 8 for `spanId`, and 8 or none
 * for `parentSpanId`.
 */
export function checkIdLength(length: number, field: IdField, unit: IdUnit, path: DecodePath): void {
  const expected = ID_BYTES[field] * (unit === 'bytes' ? 1 : 2);
  if (length === expected || (length === 0 && field === 'parentSpanId')) return;
  throw path.error(`expected ${expected} ${unit}, found ${length}`, field);
}

/**
 * What an all-zero id means: for `parentSpanId` no parent (''), since some exporters send zeros
 * for a root span; for `traceId` and `spanId` an invalid request.
 */
export function zeroId(field: IdField, path: DecodePath): string {
  if (field === 'parentSpanId') return '';
  throw path.error('must not be all zeros', field);
}

/** Throws when a span or resource has more attributes than `limits.maxAttributes`. */
export function checkAttributeCount(count: number, limits: TraceDecodeLimits, path: DecodePath): void {
  if (count > limits.maxAttributes) throw path.error(`more than ${limits.maxAttributes} attributes`);
}

/**
 * Stores one attribute. String values longer than `maxLength` are cut (never in the middle of a
 * surrogate pair); the key `__proto__` is stored as a plain property.
 */
export function putAttribute(
  attributes: Attributes,
  key: string,
  value: AttributeValue,
  maxLength: number,
): void {
  const stored = typeof value === 'string' && value.length > maxLength ? cutString(value, maxLength) : value;
  if (key === '__proto__') {
    Object.defineProperty(attributes, key, {
      value: stored,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    attributes[key] = stored;
  }
}

function cutString(value: string, maxLength: number): string {
  const last = value.charCodeAt(maxLength - 1);
  const end = last >= 0xd800 && last <= 0xdbff ? maxLength - 1 : maxLength;
  return value.slice(0, Math.max(0, end));
}

/**
 * A nested value (from an array or key-value list) in the plain form its JSON text is built from:
 * scalars as themselves, bytes as base64, an empty value as null.
 */
export type PlainValue = string | number | boolean | null | PlainValue[] | { [key: string]: PlainValue };

/** An empty key-value list object for nested values; it has no prototype so any key can be set. */
export function emptyKeyValueList(): { [key: string]: PlainValue } {
  return Object.create(null) as { [key: string]: PlainValue };
}

/** The attribute value of an array or key-value list: its JSON text. */
export function jsonText(value: PlainValue): string {
  return JSON.stringify(value);
}

/**
 * Unix milliseconds (fractional) from a nanosecond time split into whole milliseconds and the
 * nanoseconds left over. Both decoders split exactly, so the same time gives the same number.
 */
export function millisFromNanos(wholeMillis: number, remainderNanos: number): number {
  return wholeMillis + remainderNanos / 1e6;
}

/**
 * Builds the decoded request: counts spans against `maxSpans`, applies the per-span checks and
 * keeps the first rejection reason.
 */
export class DecodedTracesBuilder {
  private readonly limits: TraceDecodeLimits;
  private readonly resourceSpans: DecodedResourceSpans[] = [];
  private spansSeen = 0;
  private spanCount = 0;
  private rejectedSpans = 0;
  private rejectionMessage: string | undefined;

  constructor(limits: TraceDecodeLimits) {
    this.limits = limits;
  }

  /** Called as each span starts, before it is read; `path` is at the span. */
  countSpan(path: DecodePath): void {
    this.spansSeen++;
    if (this.spansSeen > this.limits.maxSpans) {
      throw path.error(`more than ${this.limits.maxSpans} spans in the request`);
    }
  }

  /**
   * Keeps a read span in `spans`, or drops it and counts it as rejected when it fails a per-span
   * check. `kind` and `statusCode` are the numbers as sent; `path` is at the span.
   */
  addSpan(
    spans: DecodedSpan[],
    path: DecodePath,
    traceId: string,
    spanId: string,
    parentSpanId: string,
    name: string,
    kind: number,
    startTimeMs: number,
    endTimeMs: number,
    statusCode: number,
    attributes: Attributes,
  ): void {
    const reason = spanRejection(name, kind, startTimeMs, endTimeMs, statusCode);
    if (reason !== undefined) {
      this.rejectedSpans++;
      this.rejectionMessage ??= `${path}: ${reason}`;
      return;
    }
    this.spanCount++;
    spans.push({
      traceId,
      spanId,
      parentSpanId,
      name,
      kind: kind as SpanKind,
      startTimeMs,
      endTimeMs,
      statusCode: statusCode as StatusCode,
      attributes,
    });
  }

  addResource(resource: Attributes, spans: DecodedSpan[]): void {
    const serviceName = resource['service.name'];
    this.resourceSpans.push({
      resource,
      serviceName: typeof serviceName === 'string' ? serviceName : undefined,
      spans,
    });
  }

  finish(): DecodedTraces {
    return {
      resourceSpans: this.resourceSpans,
      spanCount: this.spanCount,
      rejectedSpans: this.rejectedSpans,
      rejectionMessage: this.rejectionMessage,
    };
  }
}

function spanRejection(
  name: string,
  kind: number,
  startTimeMs: number,
  endTimeMs: number,
  statusCode: number,
): string | undefined {
  if (startTimeMs === 0) return 'start time is 0';
  if (endTimeMs < startTimeMs) return 'end time before start time';
  if (name === '') return 'empty name';
  if (kind < 0 || kind > HIGHEST_SPAN_KIND) return `unknown span kind ${kind}`;
  if (statusCode < 0 || statusCode > HIGHEST_STATUS_CODE) return `unknown status code ${statusCode}`;
  return undefined;
}
