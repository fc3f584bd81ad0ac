/**
 * The two messages an OTLP/HTTP trace receiver answers with, in protobuf and JSON:
 * `ExportTraceServiceResponse` (field 1: `partial_success` { 1: rejected_spans int64,
 * 2: error_message string }) and, for errors, `google.rpc.Status` (1: code int32, 2: message).
 */

function varint(value: number, out: number[]): void {
  let v = value;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

function field(number: number, wireType: number, out: number[]): void {
  varint(number * 8 + wireType, out);
}

function bytesField(number: number, bytes: Uint8Array | number[], out: number[]): void {
  field(number, 2, out);
  varint(bytes.length, out);
  for (const b of bytes) out.push(b);
}

/** `ExportTraceServiceResponse`, empty unless some spans were rejected. */
export function exportResponseProtobuf(
  rejectedSpans: number,
  message: string | undefined,
): Uint8Array<ArrayBuffer> {
  if (rejectedSpans === 0) return new Uint8Array(0);
  const partial: number[] = [];
  field(1, 0, partial);
  varint(rejectedSpans, partial);
  if (message) bytesField(2, new TextEncoder().encode(message), partial);
  const out: number[] = [];
  bytesField(1, partial, out);
  return Uint8Array.from(out);
}

export function exportResponseJson(rejectedSpans: number, message: string | undefined): unknown {
  if (rejectedSpans === 0) return {};
  return { partialSuccess: { rejectedSpans: String(rejectedSpans), errorMessage: message ?? '' } };
}

/** gRPC status codes used in error bodies, by HTTP status. */
const GRPC_CODES: Record<number, number> = {
  400: 3, // INVALID_ARGUMENT
  401: 16, // UNAUTHENTICATED
  403: 7, // PERMISSION_DENIED
  413: 3,
  415: 3,
  429: 8, // RESOURCE_EXHAUSTED
  503: 14, // UNAVAILABLE
};

export function statusProtobuf(httpStatus: number, message: string): Uint8Array<ArrayBuffer> {
  const out: number[] = [];
  field(1, 0, out);
  varint(GRPC_CODES[httpStatus] ?? 2, out);
  bytesField(2, new TextEncoder().encode(message), out);
  return Uint8Array.from(out);
}

export function statusJson(httpStatus: number, message: string): unknown {
  return { code: GRPC_CODES[httpStatus] ?? 2, message };
}
