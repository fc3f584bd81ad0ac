/**
 * Reading an ingest request body within bounds, for `/v1/traces` and `/v1/events`: the bytes on
 * the wire are counted as they stream in, and a compressed body is inflated as a stream and
 * counted again, so neither a large upload nor a small compression bomb is ever held whole.
 */
import { Buffer } from 'node:buffer';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createInflate } from 'node:zlib';

/** Bounds on a request body, in bytes. */
export interface BodyLimits {
  /** Most bytes accepted on the wire (before decompression). */
  maxBytes: number;
  /** Most bytes a compressed body may inflate to; also bounds an uncompressed body. */
  maxDecodedBytes: number;
}

/** A body that cannot be used: 400 (corrupt compression), 413 (too large), 415 (unsupported encoding). */
export class BodyError extends Error {
  override name = 'BodyError';
  readonly status: 400 | 413 | 415;

  constructor(status: 400 | 413 | 415, message: string) {
    super(message);
    this.status = status;
  }
}

type Coding = 'identity' | 'gzip' | 'deflate';

/**
 * Reads a request body, undoing its `Content-Encoding` (gzip, deflate or none). Fails with 413 as
 * soon as more than `maxBytes` arrive or the inflated body passes `maxDecodedBytes` (a declared
 * `Content-Length` over `maxBytes` fails before reading), with 415 for any other encoding, and with
 * 400 for a corrupt compressed stream. `deflate` is the zlib format (RFC 9110), as OTLP
 * collectors read it.
 *
 * @example
 * const bytes = await readBody(c.req.raw, { maxBytes: 4 * 1024 * 1024, maxDecodedBytes: 20 * 1024 * 1024 });
 */
export async function readBody(request: Request, limits: BodyLimits): Promise<Uint8Array> {
  const coding = contentCoding(request.headers.get('content-encoding'));
  // An uncompressed body is its own decoded form, so both bounds apply to it.
  const wireLimit =
    coding === 'identity' ? Math.min(limits.maxBytes, limits.maxDecodedBytes) : limits.maxBytes;
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > wireLimit) throw tooLarge(wireLimit);
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  if (coding === 'identity') return readAll(reader, wireLimit);

  const chunks: Buffer[] = [];
  let total = 0;
  try {
    await pipeline(
      wireStream(reader, wireLimit),
      coding === 'gzip' ? createGunzip() : createInflate(),
      async (inflated: AsyncIterable<Buffer>) => {
        for await (const chunk of inflated) {
          total += chunk.length;
          if (total > limits.maxDecodedBytes)
            throw tooLarge(limits.maxDecodedBytes, 'decompressed request body');
          chunks.push(chunk);
        }
      },
    );
  } catch (error) {
    if (isZlibError(error)) throw new BodyError(400, `request body is not valid ${coding}: ${error.message}`);
    throw error;
  }
  return Buffer.concat(chunks, total);
}

/** The one content coding of a `Content-Encoding` header; `identity` entries are ignored. */
function contentCoding(header: string | null): Coding {
  if (header === null) return 'identity';
  const codings = header
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  if (codings.length === 0) return 'identity';
  const [coding] = codings;
  if (codings.length === 1 && (coding === 'gzip' || coding === 'x-gzip')) return 'gzip';
  if (codings.length === 1 && coding === 'deflate') return 'deflate';
  throw new BodyError(
    415,
    `unsupported Content-Encoding "${header.trim()}": expected gzip, deflate or identity`,
  );
}

/** Reads an uncompressed body whole; stops the upload with 413 once more than `maxBytes` arrive. */
async function readAll(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  maxBytes: number,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  return Buffer.concat(chunks, total);
}

/**
 * The compressed body as a Node stream for zlib, pulled only as fast as it is inflated. It fails
 * with 413 once more than `maxBytes` arrive; destroying it (a bound passed, corrupt input) cancels
 * the upload at once, even while a read is waiting on the network.
 */
function wireStream(reader: ReadableStreamDefaultReader<Uint8Array>, maxBytes: number): Readable {
  let total = 0;
  return new Readable({
    read() {
      reader.read().then(
        ({ done, value }) => {
          if (done) {
            this.push(null);
            return;
          }
          total += value.length;
          if (total > maxBytes) this.destroy(tooLarge(maxBytes));
          else this.push(value);
        },
        (error: unknown) => this.destroy(error instanceof Error ? error : new Error(String(error))),
      );
    },
    destroy(error, callback) {
      reader.cancel().catch(() => {});
      callback(error);
    },
  });
}

function tooLarge(maxBytes: number, what = 'request body'): BodyError {
  return new BodyError(413, `${what} is larger than ${maxBytes} bytes`);
}

/** Errors raised by zlib for corrupt or truncated input carry a `Z_…` code. */
function isZlibError(error: unknown): error is Error & { code: string } {
  if (!(error instanceof Error) || !('code' in error)) return false;
  return typeof error.code === 'string' && error.code.startsWith('Z_');
}
