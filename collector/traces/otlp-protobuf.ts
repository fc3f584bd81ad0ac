/**
 * Decoder for the binary protobuf encoding of OTLP/HTTP trace export requests
 * (`opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest`), written against the wire
 * format directly so that a request is read in one pass with no intermediate message objects.
 *
 * Only the fields `DecodedTraces` needs are read; every other field is skipped by its wire type.
 * A field that is read must have its declared wire type. Strings must be valid UTF-8.
 */
import { Buffer } from 'node:buffer';
import {
  checkAttributeCount,
  checkIdLength,
  DecodedTracesBuilder,
  DecodePath,
  emptyKeyValueList,
  type IdField,
  jsonText,
  MAX_VALUE_DEPTH,
  millisFromNanos,
  type PlainValue,
  putAttribute,
  zeroId,
} from './decode-checks.ts';
import type { Attributes, DecodedSpan, DecodedTraces, TraceDecodeLimits } from './types.ts';

const VARINT = 0;
const I64 = 1;
const LEN = 2;
const I32 = 5;

/** A tag is `field << 3 | wireType`; these are the tags of the fields that are read. */
const tag = (field: number, wireType: number): number => (field << 3) | wireType;
const REQUEST_RESOURCE_SPANS = tag(1, LEN);
const RESOURCE_SPANS_RESOURCE = tag(1, LEN);
const RESOURCE_SPANS_SCOPE_SPANS = tag(2, LEN);
const RESOURCE_ATTRIBUTES = tag(1, LEN);
const SCOPE_SPANS_SPANS = tag(2, LEN);
const SPAN_TRACE_ID = tag(1, LEN);
const SPAN_SPAN_ID = tag(2, LEN);
const SPAN_PARENT_SPAN_ID = tag(4, LEN);
const SPAN_NAME = tag(5, LEN);
const SPAN_KIND = tag(6, VARINT);
const SPAN_START_TIME = tag(7, I64);
const SPAN_END_TIME = tag(8, I64);
const SPAN_ATTRIBUTES = tag(9, LEN);
const SPAN_STATUS = tag(15, LEN);
const STATUS_CODE = tag(3, VARINT);
const KEY_VALUE_KEY = tag(1, LEN);
const KEY_VALUE_VALUE = tag(2, LEN);
const ANY_STRING = tag(1, LEN);
const ANY_BOOL = tag(2, VARINT);
const ANY_INT = tag(3, VARINT);
const ANY_DOUBLE = tag(4, I64);
const ANY_ARRAY = tag(5, LEN);
const ANY_KVLIST = tag(6, LEN);
const ANY_BYTES = tag(7, LEN);
const LIST_VALUES = tag(1, LEN);

/**
 * The wire type of each field a message reads, indexed by field number (-1: not read), so that a
 * field read with the wrong wire type is named as such.
 */
const readTags = (...tags: number[]): Int8Array => {
  const wireTypes = new Int8Array(Math.max(...tags.map((t) => t >>> 3)) + 1).fill(-1);
  for (const t of tags) wireTypes[t >>> 3] = t & 7;
  return wireTypes;
};
const REQUEST_TAGS = readTags(REQUEST_RESOURCE_SPANS);
const RESOURCE_SPANS_TAGS = readTags(RESOURCE_SPANS_RESOURCE, RESOURCE_SPANS_SCOPE_SPANS);
const RESOURCE_TAGS = readTags(RESOURCE_ATTRIBUTES);
const SCOPE_SPANS_TAGS = readTags(SCOPE_SPANS_SPANS);
const SPAN_TAGS = readTags(
  SPAN_TRACE_ID,
  SPAN_SPAN_ID,
  SPAN_PARENT_SPAN_ID,
  SPAN_NAME,
  SPAN_KIND,
  SPAN_START_TIME,
  SPAN_END_TIME,
  SPAN_ATTRIBUTES,
  SPAN_STATUS,
);
const STATUS_TAGS = readTags(STATUS_CODE);
const KEY_VALUE_TAGS = readTags(KEY_VALUE_KEY, KEY_VALUE_VALUE);
const ANY_VALUE_TAGS = readTags(ANY_STRING, ANY_BOOL, ANY_INT, ANY_DOUBLE, ANY_ARRAY, ANY_KVLIST, ANY_BYTES);
const LIST_TAGS = readTags(LIST_VALUES);

/** `2^32` split as `4294 * 10^6 + 967296`, to turn fixed64 nanoseconds into exact milliseconds. */
const TWO_32_MILLIS = 4294;
const TWO_32_REST_NANOS = 967_296;

/** Strings up to this many bytes are looked up in the per-request cache. */
const CACHE_MAX_BYTES = 64;
const TEXT_CACHE_SLOTS = 2048;

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes the body of an OTLP/HTTP protobuf trace export request.
 *
 * @throws TraceDecodeError for a body that is not a well-formed request, ids of the wrong length
 *   or all zeros, or a bound of `limits` exceeded; its message names where, e.g.
 *   `resourceSpans[0].scopeSpans[1].spans[3]: truncated field 9`.
 * @example
 * const traces = decodeTracesProtobuf(body, { maxSpans: 10_000, maxAttributes: 128, maxAttributeLength: 4096 });
 */
export function decodeTracesProtobuf(bytes: Uint8Array, limits: TraceDecodeLimits): DecodedTraces {
  const reader = new WireReader(bytes, limits);
  reader.request();
  return reader.builder.finish();
}

/**
 * Recently decoded byte runs of one request and the strings made from them. Attribute keys, span
 * names and many values repeat across the spans of a batch; a hit costs a hash and a compare
 * instead of a decode. Slots point into the request's own bytes, so nothing is copied.
 */
class ByteStringCache {
  private readonly starts: Int32Array;
  private readonly lengths: Int32Array;
  private readonly values: string[];
  private readonly mask: number;

  constructor(slots: number) {
    this.starts = new Int32Array(slots).fill(-1);
    this.lengths = new Int32Array(slots);
    this.values = new Array<string>(slots).fill('');
    this.mask = slots - 1;
  }

  /** The slot for a byte run with this hash. */
  slot(hash: number): number {
    return (hash ^ (hash >>> 16)) & this.mask;
  }

  get(bytes: Uint8Array, slot: number, start: number, length: number): string | undefined {
    const cached = this.starts[slot]!;
    if (cached < 0 || this.lengths[slot] !== length) return undefined;
    for (let i = 0; i < length; i++) if (bytes[cached + i] !== bytes[start + i]) return undefined;
    return this.values[slot];
  }

  set(slot: number, start: number, length: number, value: string): void {
    this.starts[slot] = start;
    this.lengths[slot] = length;
    this.values[slot] = value;
  }
}

/**
 * A hash of a short byte run from its length and five of its bytes: cheap enough to beat decoding
 * on a hit. Runs that collide only cost a miss, as `ByteStringCache.get` compares every byte.
 */
function sampleHash(bytes: Uint8Array, start: number, end: number): number {
  const length = end - start;
  let hash = length;
  hash = (hash * 31 + bytes[start]!) | 0;
  hash = (hash * 31 + bytes[start + (length >> 2)]!) | 0;
  hash = (hash * 31 + bytes[start + (length >> 1)]!) | 0;
  hash = (hash * 31 + bytes[end - 1 - (length >> 2)]!) | 0;
  return (hash * 31 + bytes[end - 1]!) | 0;
}

const HEX_DIGITS = new Uint8Array([...'0123456789abcdef'].map((c) => c.charCodeAt(0)));

/**
 * Lowercase hex of the 8 (or 16) bytes at `start`. One `String.fromCharCode` call with every
 * digit makes a flat string about twice as fast as `Buffer#toString('hex')` does for ids this short.
 */
function hex8(bytes: Uint8Array, start: number): string {
  const h = HEX_DIGITS;
  const b = bytes;
  const s = start;
  return String.fromCharCode(
    h[b[s + 0]! >> 4]!,
    h[b[s + 0]! & 15]!,
    h[b[s + 1]! >> 4]!,
    h[b[s + 1]! & 15]!,
    h[b[s + 2]! >> 4]!,
    h[b[s + 2]! & 15]!,
    h[b[s + 3]! >> 4]!,
    h[b[s + 3]! & 15]!,
    h[b[s + 4]! >> 4]!,
    h[b[s + 4]! & 15]!,
    h[b[s + 5]! >> 4]!,
    h[b[s + 5]! & 15]!,
    h[b[s + 6]! >> 4]!,
    h[b[s + 6]! & 15]!,
    h[b[s + 7]! >> 4]!,
    h[b[s + 7]! & 15]!,
  );
}

function hex16(bytes: Uint8Array, start: number): string {
  const h = HEX_DIGITS;
  const b = bytes;
  const s = start;
  return String.fromCharCode(
    h[b[s + 0]! >> 4]!,
    h[b[s + 0]! & 15]!,
    h[b[s + 1]! >> 4]!,
    h[b[s + 1]! & 15]!,
    h[b[s + 2]! >> 4]!,
    h[b[s + 2]! & 15]!,
    h[b[s + 3]! >> 4]!,
    h[b[s + 3]! & 15]!,
    h[b[s + 4]! >> 4]!,
    h[b[s + 4]! & 15]!,
    h[b[s + 5]! >> 4]!,
    h[b[s + 5]! & 15]!,
    h[b[s + 6]! >> 4]!,
    h[b[s + 6]! & 15]!,
    h[b[s + 7]! >> 4]!,
    h[b[s + 7]! & 15]!,
    h[b[s + 8]! >> 4]!,
    h[b[s + 8]! & 15]!,
    h[b[s + 9]! >> 4]!,
    h[b[s + 9]! & 15]!,
    h[b[s + 10]! >> 4]!,
    h[b[s + 10]! & 15]!,
    h[b[s + 11]! >> 4]!,
    h[b[s + 11]! & 15]!,
    h[b[s + 12]! >> 4]!,
    h[b[s + 12]! & 15]!,
    h[b[s + 13]! >> 4]!,
    h[b[s + 13]! & 15]!,
    h[b[s + 14]! >> 4]!,
    h[b[s + 14]! & 15]!,
    h[b[s + 15]! >> 4]!,
    h[b[s + 15]! & 15]!,
  );
}

/** One pass over one request: position, the path for errors, and what has been read so far. */
class WireReader {
  readonly builder: DecodedTracesBuilder;
  private readonly bytes: Uint8Array;
  private readonly buffer: Buffer;
  private readonly view: DataView;
  private readonly limits: TraceDecodeLimits;
  private readonly path = new DecodePath();
  private readonly texts = new ByteStringCache(TEXT_CACHE_SLOTS);
  private pos = 0;
  /** The key and value of the last KeyValue read (undefined: the value was empty). */
  private key = '';
  private value: PlainValue | undefined;

  constructor(bytes: Uint8Array, limits: TraceDecodeLimits) {
    this.bytes = bytes;
    this.buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.limits = limits;
    this.builder = new DecodedTracesBuilder(limits);
  }

  request(): void {
    const end = this.bytes.length;
    let index = 0;
    while (this.pos < end) {
      const t = this.tag(end);
      if (t === REQUEST_RESOURCE_SPANS) {
        const stop = this.fieldEnd(t, end);
        this.path.enter('resourceSpans', index++);
        this.resourceSpans(stop);
        this.path.leave();
      } else {
        this.skip(t, end, REQUEST_TAGS);
      }
    }
  }

  private resourceSpans(end: number): void {
    const resource: Attributes = {};
    const spans: DecodedSpan[] = [];
    let attributeCount = 0;
    let scopeIndex = 0;
    while (this.pos < end) {
      const t = this.tag(end);
      if (t === RESOURCE_SPANS_SCOPE_SPANS) {
        const stop = this.fieldEnd(t, end);
        this.path.enter('scopeSpans', scopeIndex++);
        this.scopeSpans(stop, spans);
        this.path.leave();
      } else if (t === RESOURCE_SPANS_RESOURCE) {
        const stop = this.fieldEnd(t, end);
        this.path.enter('resource');
        attributeCount = this.resource(stop, resource, attributeCount);
        this.path.leave();
      } else {
        this.skip(t, end, RESOURCE_SPANS_TAGS);
      }
    }
    this.builder.addResource(resource, spans);
  }

  /** Reads a Resource into `attributes`; returns the attribute count (a resource may be sent in parts). */
  private resource(end: number, attributes: Attributes, count: number): number {
    let attributeCount = count;
    while (this.pos < end) {
      const t = this.tag(end);
      if (t === RESOURCE_ATTRIBUTES) {
        checkAttributeCount(++attributeCount, this.limits, this.path);
        this.attribute(t, end, attributes, attributeCount - 1);
      } else {
        this.skip(t, end, RESOURCE_TAGS);
      }
    }
    return attributeCount;
  }

  private scopeSpans(end: number, spans: DecodedSpan[]): void {
    let index = 0;
    while (this.pos < end) {
      const t = this.tag(end);
      if (t === SCOPE_SPANS_SPANS) {
        const stop = this.fieldEnd(t, end);
        this.path.enter('spans', index++);
        this.builder.countSpan(this.path);
        this.span(stop, spans);
        this.path.leave();
      } else {
        this.skip(t, end, SCOPE_SPANS_TAGS);
      }
    }
  }

  private span(end: number, spans: DecodedSpan[]): void {
    let traceStart = 0;
    let traceEnd = 0;
    let spanStart = 0;
    let spanEnd = 0;
    let parentStart = 0;
    let parentEnd = 0;
    let name = '';
    let kind = 0;
    let startTimeMs = 0;
    let endTimeMs = 0;
    let statusCode = 0;
    let attributeCount = 0;
    const attributes: Attributes = {};
    while (this.pos < end) {
      const t = this.tag(end);
      switch (t) {
        case SPAN_TRACE_ID:
          traceEnd = this.fieldEnd(t, end);
          traceStart = this.pos;
          this.pos = traceEnd;
          break;
        case SPAN_SPAN_ID:
          spanEnd = this.fieldEnd(t, end);
          spanStart = this.pos;
          this.pos = spanEnd;
          break;
        case SPAN_PARENT_SPAN_ID:
          parentEnd = this.fieldEnd(t, end);
          parentStart = this.pos;
          this.pos = parentEnd;
          break;
        case SPAN_NAME:
          name = this.string(t, end);
          break;
        case SPAN_KIND:
          kind = this.varint(end, 6);
          break;
        case SPAN_START_TIME:
          startTimeMs = this.fixed64Millis(end, 7);
          break;
        case SPAN_END_TIME:
          endTimeMs = this.fixed64Millis(end, 8);
          break;
        case SPAN_ATTRIBUTES:
          checkAttributeCount(++attributeCount, this.limits, this.path);
          this.attribute(t, end, attributes, attributeCount - 1);
          break;
        case SPAN_STATUS: {
          const stop = this.fieldEnd(t, end);
          this.path.enter('status');
          statusCode = this.status(stop, statusCode);
          this.path.leave();
          break;
        }
        default:
          this.skip(t, end, SPAN_TAGS);
      }
    }
    this.builder.addSpan(
      spans,
      this.path,
      this.id(traceStart, traceEnd, 'traceId'),
      this.id(spanStart, spanEnd, 'spanId'),
      this.id(parentStart, parentEnd, 'parentSpanId'),
      name,
      kind,
      startTimeMs,
      endTimeMs,
      statusCode,
      attributes,
    );
  }

  /** Reads a Status; a later Status merges into an earlier one, so an absent code keeps `code`. */
  private status(end: number, code: number): number {
    let statusCode = code;
    while (this.pos < end) {
      const t = this.tag(end);
      if (t === STATUS_CODE) statusCode = this.varint(end, 3);
      else this.skip(t, end, STATUS_TAGS);
    }
    return statusCode;
  }

  /** Reads one KeyValue of a span or resource into `attributes`; empty values are left out. */
  private attribute(t: number, end: number, attributes: Attributes, index: number): void {
    const stop = this.fieldEnd(t, end);
    this.path.enter('attributes', index);
    this.keyValue(stop, 0);
    this.path.leave();
    const value = this.value;
    if (value === undefined || value === null) return;
    putAttribute(
      attributes,
      this.key,
      typeof value === 'object' ? jsonText(value) : value,
      this.limits.maxAttributeLength,
    );
  }

  /** Reads a KeyValue into `this.key` and `this.value`. */
  private keyValue(end: number, depth: number): void {
    let key = '';
    let value: PlainValue | undefined;
    while (this.pos < end) {
      const t = this.tag(end);
      if (t === KEY_VALUE_KEY) {
        key = this.string(t, end);
      } else if (t === KEY_VALUE_VALUE) {
        const stop = this.fieldEnd(t, end);
        this.path.enter('value');
        value = this.anyValue(stop, depth);
        this.path.leave();
      } else {
        this.skip(t, end, KEY_VALUE_TAGS);
      }
    }
    this.key = key;
    this.value = value;
  }

  /** Reads an AnyValue; undefined when no value is set. Like any oneof, the last value set wins. */
  private anyValue(end: number, depth: number): PlainValue | undefined {
    let value: PlainValue | undefined;
    while (this.pos < end) {
      const t = this.tag(end);
      switch (t) {
        case ANY_STRING:
          value = this.string(t, end);
          break;
        case ANY_BOOL:
          value = this.varint(end, 2) !== 0;
          break;
        case ANY_INT:
          value = this.int64(end, 3);
          break;
        case ANY_DOUBLE:
          value = this.double(end, 4);
          break;
        case ANY_ARRAY:
          value = this.list(this.fieldEnd(t, end), depth + 1, 'arrayValue');
          break;
        case ANY_KVLIST:
          value = this.list(this.fieldEnd(t, end), depth + 1, 'kvlistValue');
          break;
        case ANY_BYTES: {
          const stop = this.fieldEnd(t, end);
          value = this.buffer.toString('base64', this.pos, stop);
          this.pos = stop;
          break;
        }
        default:
          this.skip(t, end, ANY_VALUE_TAGS);
      }
    }
    return value;
  }

  /** Reads an ArrayValue or a KeyValueList (both are `repeated … values = 1`) as plain values. */
  private list(end: number, depth: number, kind: 'arrayValue' | 'kvlistValue'): PlainValue {
    if (depth > MAX_VALUE_DEPTH) throw this.path.error(`values nested deeper than ${MAX_VALUE_DEPTH}`);
    this.path.enter(kind);
    const items: PlainValue[] = [];
    const entries = emptyKeyValueList();
    let index = 0;
    while (this.pos < end) {
      const t = this.tag(end);
      if (t !== LIST_VALUES) {
        this.skip(t, end, LIST_TAGS);
        continue;
      }
      const stop = this.fieldEnd(t, end);
      this.path.enter('values', index++);
      if (kind === 'arrayValue') {
        items.push(this.anyValue(stop, depth) ?? null);
      } else {
        this.keyValue(stop, depth);
        entries[this.key] = this.value ?? null;
      }
      this.path.leave();
    }
    this.path.leave();
    return kind === 'arrayValue' ? items : entries;
  }

  /** The lowercase hex of an id held in `bytes[start, end)`, checked. */
  private id(start: number, end: number, field: IdField): string {
    const length = end - start;
    checkIdLength(length, field, 'bytes', this.path);
    if (length === 0) return '';
    const bytes = this.bytes;
    let any = 0;
    for (let i = start; i < end; i++) any |= bytes[i]!;
    if (any === 0) return zeroId(field, this.path);
    return length === 8 ? hex8(bytes, start) : hex16(bytes, start);
  }

  /** Reads a length-delimited string field whose tag has been read. */
  private string(t: number, end: number): string {
    const stop = this.fieldEnd(t, end);
    const start = this.pos;
    this.pos = stop;
    const length = stop - start;
    if (length === 0) return '';
    if (length > CACHE_MAX_BYTES) return this.text(start, stop, t >>> 3);
    const slot = this.texts.slot(sampleHash(this.bytes, start, stop));
    let text = this.texts.get(this.bytes, slot, start, length);
    if (text === undefined) {
      text = this.text(start, stop, t >>> 3);
      this.texts.set(slot, start, length, text);
    }
    return text;
  }

  /** Decodes `bytes[start, end)` as UTF-8: ASCII natively, anything else checked strictly. */
  private text(start: number, end: number, field: number): string {
    const bytes = this.bytes;
    let high = 0;
    for (let i = start; i < end; i++) high |= bytes[i]!;
    if (high < 0x80) return this.buffer.toString('latin1', start, end);
    try {
      return UTF8.decode(bytes.subarray(start, end));
    } catch {
      throw this.path.error(`invalid UTF-8 in field ${field}`);
    }
  }

  /** Reads a tag, checking its field number. */
  private tag(end: number): number {
    const pos = this.pos;
    const first = this.bytes[pos]!;
    let t: number;
    if (first < 0x80) {
      this.pos = pos + 1;
      t = first;
    } else {
      t = this.varint(end, -1);
      if (t > 0xffffffff) throw this.path.error('invalid tag');
    }
    if (t < 8) throw this.path.error('invalid field number 0');
    return t;
  }

  /**
   * Reads a varint as a number (exact below 2^53, which covers every length, enum and count).
   * `field` names the field in errors; -1 means the varint is a tag.
   */
  private varint(end: number, field: number): number {
    const bytes = this.bytes;
    let pos = this.pos;
    if (pos < end && bytes[pos]! < 0x80) {
      this.pos = pos + 1;
      return bytes[pos]!;
    }
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) throw this.path.error(field < 0 ? 'truncated tag' : `truncated field ${field}`);
      const b = bytes[pos++]!;
      value += (b & 0x7f) * scale;
      if (b < 0x80) {
        if (i === 9 && b > 1) break;
        this.pos = pos;
        return value;
      }
      scale *= 128;
    }
    throw this.path.error(field < 0 ? 'invalid varint in tag' : `invalid varint in field ${field}`);
  }

  /** Reads an int64 varint (two's complement) as the nearest number. */
  private int64(end: number, field: number): number {
    const bytes = this.bytes;
    let pos = this.pos;
    let low = 0;
    let high = 0;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) throw this.path.error(`truncated field ${field}`);
      const b = bytes[pos++]!;
      const bits = b & 0x7f;
      if (i < 4) low |= bits << (7 * i);
      else if (i === 4) {
        low |= bits << 28;
        high = bits >>> 4;
      } else high |= bits << (7 * i - 32);
      if (b < 0x80) {
        if (i === 9 && b > 1) break;
        this.pos = pos;
        return (high | 0) * 4294967296 + (low >>> 0);
      }
    }
    throw this.path.error(`invalid varint in field ${field}`);
  }

  /** Reads a fixed64 Unix time in nanoseconds as fractional Unix milliseconds. */
  private fixed64Millis(end: number, field: number): number {
    const pos = this.pos;
    if (pos + 8 > end) throw this.path.error(`truncated field ${field}`);
    const low = this.view.getUint32(pos, true);
    const high = this.view.getUint32(pos + 4, true);
    this.pos = pos + 8;
    // Exact integer arithmetic below 2^53: `rest` < 4.2e15, and the quotient is corrected by one
    // when the division rounded across an integer.
    const rest = high * TWO_32_REST_NANOS + low;
    let millis = Math.floor(rest / 1e6);
    let remainder = rest - millis * 1e6;
    if (remainder < 0) {
      millis--;
      remainder += 1e6;
    } else if (remainder >= 1e6) {
      millis++;
      remainder -= 1e6;
    }
    return millisFromNanos(high * TWO_32_MILLIS + millis, remainder);
  }

  private double(end: number, field: number): number {
    const pos = this.pos;
    if (pos + 8 > end) throw this.path.error(`truncated field ${field}`);
    this.pos = pos + 8;
    return this.view.getFloat64(pos, true);
  }

  /** Checks that `t` is length-delimited, reads its length and returns where the field ends. */
  private fieldEnd(t: number, end: number): number {
    const field = t >>> 3;
    const length = this.varint(end, field);
    const stop = this.pos + length;
    if (stop > end) throw this.path.error(`truncated field ${field}`);
    return stop;
  }

  /**
   * Skips a field that is not read. A field that is read (listed in `tags`) but arrived with
   * another wire type is malformed.
   */
  private skip(t: number, end: number, wireTypes: Int8Array): void {
    const field = t >>> 3;
    const wireType = t & 7;
    const expected = field < wireTypes.length ? wireTypes[field]! : -1;
    if (expected >= 0)
      throw this.path.error(`field ${field} has wire type ${wireType}, expected ${expected}`);
    switch (wireType) {
      case VARINT:
        this.varint(end, field);
        return;
      case I64:
        this.advance(8, end, field);
        return;
      case LEN:
        this.pos = this.fieldEnd(t, end);
        return;
      case I32:
        this.advance(4, end, field);
        return;
      default:
        throw this.path.error(`field ${field} has unsupported wire type ${wireType}`);
    }
  }

  private advance(length: number, end: number, field: number): void {
    if (this.pos + length > end) throw this.path.error(`truncated field ${field}`);
    this.pos += length;
  }
}
