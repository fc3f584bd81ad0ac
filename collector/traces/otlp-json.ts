/**
 * Decoder for the JSON encoding of OTLP/HTTP trace export requests: the proto3 JSON mapping with
 * OTLP's changes (lowerCamelCase keys only, trace and span ids as hex, enums as integers). Unknown
 * keys are ignored, as the specification requires; `null` counts as absent, as in proto3 JSON.
 */
import { Buffer } from 'node:buffer';
import {
  checkAttributeCount,
  checkIdLength,
  DecodedTracesBuilder,
  DecodePath,
  emptyKeyValueList,
  ID_BYTES,
  type IdField,
  jsonText,
  MAX_VALUE_DEPTH,
  millisFromNanos,
  type PlainValue,
  putAttribute,
  zeroId,
} from './decode-checks.ts';
import type { Attributes, DecodedSpan, DecodedTraces, TraceDecodeLimits } from './types.ts';

type JsonObject = Record<string, unknown>;

const NONE: readonly unknown[] = [];
const HEX = /^[0-9a-fA-F]*$/;
const ZEROS = /^0*$/;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const UNSIGNED_INTEGER = /^\d+$/;
const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const MAX_FIXED64 = '18446744073709551615';
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const MAX_INT32 = 2 ** 31 - 1;
const ANY_VALUE_MEMBERS = [
  'stringValue',
  'boolValue',
  'intValue',
  'doubleValue',
  'arrayValue',
  'kvlistValue',
  'bytesValue',
] as const;
type AnyValueMember = (typeof ANY_VALUE_MEMBERS)[number];

/**
 * Decodes an OTLP/HTTP JSON trace export request that has already been parsed with `JSON.parse`.
 * A request without `resourceSpans` is valid and has no spans.
 *
 * @throws TraceDecodeError for a body that is not a request, a value of the wrong type, ids that
 *   are not hex of the right length or are all zeros, or a bound of `limits` exceeded; its message
 *   names where, e.g. `resourceSpans[0].scopeSpans[0].spans[2].traceId: expected 32 hex characters, found 30`.
 * @example
 * const traces = decodeTracesJson(JSON.parse(text), { maxSpans: 10_000, maxAttributes: 128, maxAttributeLength: 4096 });
 */
export function decodeTracesJson(body: unknown, limits: TraceDecodeLimits): DecodedTraces {
  const decoder = new JsonTraceDecoder(limits);
  decoder.request(body);
  return decoder.builder.finish();
}

class JsonTraceDecoder {
  readonly builder: DecodedTracesBuilder;
  private readonly limits: TraceDecodeLimits;
  private readonly path = new DecodePath();

  constructor(limits: TraceDecodeLimits) {
    this.limits = limits;
    this.builder = new DecodedTracesBuilder(limits);
  }

  request(body: unknown): void {
    const request = this.object(body);
    const list = this.list(request.resourceSpans, 'resourceSpans');
    for (let i = 0; i < list.length; i++) {
      this.path.enter('resourceSpans', i);
      this.resourceSpans(list[i]);
      this.path.leave();
    }
  }

  private resourceSpans(value: unknown): void {
    const resourceSpans = this.object(value);
    const resource: Attributes = {};
    if (resourceSpans.resource !== undefined && resourceSpans.resource !== null) {
      this.path.enter('resource');
      this.attributes(this.object(resourceSpans.resource).attributes, resource);
      this.path.leave();
    }
    const spans: DecodedSpan[] = [];
    const scopes = this.list(resourceSpans.scopeSpans, 'scopeSpans');
    for (let i = 0; i < scopes.length; i++) {
      this.path.enter('scopeSpans', i);
      const list = this.list(this.object(scopes[i]).spans, 'spans');
      for (let j = 0; j < list.length; j++) {
        this.path.enter('spans', j);
        this.builder.countSpan(this.path);
        this.span(list[j], spans);
        this.path.leave();
      }
      this.path.leave();
    }
    this.builder.addResource(resource, spans);
  }

  private span(value: unknown, spans: DecodedSpan[]): void {
    const span = this.object(value);
    const traceId = this.id(span.traceId, 'traceId');
    const spanId = this.id(span.spanId, 'spanId');
    const parentSpanId = this.id(span.parentSpanId, 'parentSpanId');
    const name = this.string(span.name, 'name');
    const kind = this.enumValue(span.kind, 'kind');
    const startTimeMs = this.timeMillis(span.startTimeUnixNano, 'startTimeUnixNano');
    const endTimeMs = this.timeMillis(span.endTimeUnixNano, 'endTimeUnixNano');
    const attributes: Attributes = {};
    this.attributes(span.attributes, attributes);
    let statusCode = 0;
    if (span.status !== undefined && span.status !== null) {
      this.path.enter('status');
      statusCode = this.enumValue(this.object(span.status).code, 'code');
      this.path.leave();
    }
    this.builder.addSpan(
      spans,
      this.path,
      traceId,
      spanId,
      parentSpanId,
      name,
      kind,
      startTimeMs,
      endTimeMs,
      statusCode,
      attributes,
    );
  }

  /** Reads a list of KeyValue into `target`; empty values are left out. */
  private attributes(value: unknown, target: Attributes): void {
    const list = this.list(value, 'attributes');
    checkAttributeCount(list.length, this.limits, this.path);
    for (let i = 0; i < list.length; i++) {
      this.path.enter('attributes', i);
      const keyValue = this.object(list[i]);
      const key = this.string(keyValue.key, 'key');
      const attribute = this.anyValue(keyValue.value, 0);
      this.path.leave();
      if (attribute === undefined || attribute === null) continue;
      putAttribute(
        target,
        key,
        typeof attribute === 'object' ? jsonText(attribute) : attribute,
        this.limits.maxAttributeLength,
      );
    }
  }

  /** Reads the `value` of a KeyValue; undefined when absent or when no member is set. */
  private anyValue(value: unknown, depth: number): PlainValue | undefined {
    if (value === undefined || value === null) return undefined;
    this.path.enter('value');
    const result = this.anyValueMembers(this.object(value), depth);
    this.path.leave();
    return result;
  }

  /** The one member set in an AnyValue; proto3 JSON forbids setting two members of a oneof. */
  private anyValueMembers(any: JsonObject, depth: number): PlainValue | undefined {
    let found: AnyValueMember | undefined;
    let result: PlainValue | undefined;
    for (const member of ANY_VALUE_MEMBERS) {
      const value = any[member];
      if (value === undefined || value === null) continue;
      if (found !== undefined) throw this.path.error(`both ${found} and ${member} are set`);
      found = member;
      result = this.anyValueMember(member, value, depth);
    }
    return result;
  }

  private anyValueMember(member: AnyValueMember, value: unknown, depth: number): PlainValue {
    switch (member) {
      case 'stringValue':
        if (typeof value !== 'string') throw this.typeError(value, 'a string', member);
        return value;
      case 'boolValue':
        if (typeof value !== 'boolean') throw this.typeError(value, 'a boolean', member);
        return value;
      case 'intValue':
        return this.int64(value, member);
      case 'doubleValue':
        return this.double(value, member);
      case 'bytesValue':
        return this.base64(value, member);
      default:
        return this.nestedList(value, member, depth + 1);
    }
  }

  /** An ArrayValue or a KeyValueList (both `{ values: [...] }`) as plain values. */
  private nestedList(value: unknown, member: 'arrayValue' | 'kvlistValue', depth: number): PlainValue {
    if (depth > MAX_VALUE_DEPTH) throw this.path.error(`values nested deeper than ${MAX_VALUE_DEPTH}`);
    this.path.enter(member);
    const values = this.list(this.object(value).values, 'values');
    let result: PlainValue;
    if (member === 'arrayValue') {
      const items: PlainValue[] = [];
      for (let i = 0; i < values.length; i++) {
        this.path.enter('values', i);
        const item = values[i];
        items.push(
          item === undefined || item === null
            ? null
            : (this.anyValueMembers(this.object(item), depth) ?? null),
        );
        this.path.leave();
      }
      result = items;
    } else {
      const entries = emptyKeyValueList();
      for (let i = 0; i < values.length; i++) {
        this.path.enter('values', i);
        const keyValue = this.object(values[i]);
        entries[this.string(keyValue.key, 'key')] = this.anyValue(keyValue.value, depth) ?? null;
        this.path.leave();
      }
      result = entries;
    }
    this.path.leave();
    return result;
  }

  /** The lowercase hex of an id, checked; '' for an absent parent. */
  private id(value: unknown, field: IdField): string {
    if (value === undefined || value === null || value === '') {
      checkIdLength(0, field, 'hex characters', this.path);
      return '';
    }
    if (typeof value !== 'string') throw this.typeError(value, 'a hex string', field);
    const expected = ID_BYTES[field] * 2;
    if (value.length !== expected && isBase64Id(value, field)) {
      throw this.path.error(
        `expected ${expected} hex characters, found ${value.length} (base64? OTLP/JSON ids are hex)`,
        field,
      );
    }
    checkIdLength(value.length, field, 'hex characters', this.path);
    if (!HEX.test(value))
      throw this.path.error(`expected ${expected} hex characters, found "${value}"`, field);
    if (ZEROS.test(value)) return zeroId(field, this.path);
    return value.toLowerCase();
  }

  /** A Unix time in nanoseconds (fixed64: a decimal string or an integer) as fractional milliseconds. */
  private timeMillis(value: unknown, field: string): number {
    if (value === undefined || value === null) return 0;
    let digits: string;
    if (typeof value === 'number') {
      if (!Number.isInteger(value) || value < 0 || value >= 2 ** 64) {
        throw this.path.error(`expected an unsigned 64-bit integer, found ${value}`, field);
      }
      if (value <= Number.MAX_SAFE_INTEGER) {
        const remainder = value % 1e6;
        return millisFromNanos((value - remainder) / 1e6, remainder);
      }
      digits = BigInt(value).toString();
    } else if (typeof value === 'string') {
      if (
        !UNSIGNED_INTEGER.test(value) ||
        value.length > MAX_FIXED64.length ||
        (value.length === MAX_FIXED64.length && value > MAX_FIXED64)
      ) {
        throw this.path.error(`expected an unsigned 64-bit integer, found "${short(value)}"`, field);
      }
      digits = value;
    } else {
      throw this.typeError(value, 'a decimal string', field);
    }
    const split = digits.length - 6;
    if (split <= 0) return millisFromNanos(0, Number(digits));
    return millisFromNanos(Number(digits.slice(0, split)), Number(digits.slice(split)));
  }

  private int64(value: unknown, field: string): number {
    if (typeof value === 'number') {
      if (Number.isInteger(value) && value >= -(2 ** 63) && value < 2 ** 63) return value;
      throw this.path.error(`expected a 64-bit integer, found ${value}`, field);
    }
    if (typeof value !== 'string') throw this.typeError(value, 'an integer', field);
    if (INTEGER.test(value)) {
      if (value.length < 19) return Number(value);
      const exact = BigInt(value);
      if (exact >= INT64_MIN && exact <= INT64_MAX) return Number(value);
    }
    throw this.path.error(`expected a 64-bit integer, found "${short(value)}"`, field);
  }

  private double(value: unknown, field: string): number {
    if (typeof value === 'number') return value;
    if (typeof value !== 'string') throw this.typeError(value, 'a number', field);
    if (value === 'NaN') return Number.NaN;
    if (value === 'Infinity') return Number.POSITIVE_INFINITY;
    if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
    if (DECIMAL.test(value)) return Number(value);
    throw this.path.error(`expected a number, found "${short(value)}"`, field);
  }

  /** Bytes are base64 (standard or URL-safe, padding optional) and are kept as standard base64. */
  private base64(value: unknown, field: string): string {
    if (typeof value !== 'string') throw this.typeError(value, 'a base64 string', field);
    if (!BASE64.test(value) || value.length % 4 === 1) {
      throw this.path.error(`expected a base64 string, found "${short(value)}"`, field);
    }
    return Buffer.from(value, 'base64').toString('base64');
  }

  /** An enum: an integer (OTLP/JSON does not allow enum names); absent is 0. */
  private enumValue(value: unknown, field: string): number {
    if (value === undefined || value === null) return 0;
    if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= MAX_INT32) return value;
    if (typeof value === 'number') throw this.path.error(`expected an integer, found ${value}`, field);
    throw this.typeError(value, 'an integer', field);
  }

  private string(value: unknown, field: string): string {
    if (value === undefined || value === null) return '';
    if (typeof value !== 'string') throw this.typeError(value, 'a string', field);
    return value;
  }

  /** The object at the current path. */
  private object(value: unknown): JsonObject {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as JsonObject;
    throw this.typeError(value, 'an object');
  }

  /** The array at key `field` of the current object; absent is empty. */
  private list(value: unknown, field: string): readonly unknown[] {
    if (value === undefined || value === null) return NONE;
    if (Array.isArray(value)) return value;
    throw this.typeError(value, 'an array', field);
  }

  private typeError(value: unknown, expected: string, field?: string) {
    return this.path.error(`expected ${expected}, found ${typeName(value)}`, field);
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** True for an id sent as base64 (the plain proto3 JSON mapping) instead of hex. */
function isBase64Id(value: string, field: IdField): boolean {
  return (
    BASE64.test(value) && value.length % 4 !== 1 && Buffer.from(value, 'base64').length === ID_BYTES[field]
  );
}

/** Input echoed in an error message is cut to keep messages short. */
function short(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}
