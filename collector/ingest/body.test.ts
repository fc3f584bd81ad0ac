import { createGzip, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BodyError, type BodyLimits, readBody } from './body.ts';

const KIB = 1024;
const MIB = 1024 * KIB;
const LIMITS: BodyLimits = { maxBytes: 64 * KIB, maxDecodedBytes: 256 * KIB };

/** How much of a streamed body the reader pulled. */
interface Pulled {
  bytes: number;
  cancelled: boolean;
}

/** `bytes` as a stream handing out `chunkSize` bytes per pull, counting what was pulled. */
function streamOf(bytes: Uint8Array, chunkSize: number, pulled: Pulled): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (offset >= bytes.length) {
          controller.close();
          return;
        }
        const chunk = bytes.slice(offset, offset + chunkSize);
        offset += chunk.length;
        pulled.bytes += chunk.length;
        controller.enqueue(chunk);
      },
      cancel() {
        pulled.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
}

interface BodyOptions {
  encoding?: string;
  /** Sends this Content-Length header; by default none is sent (a streamed upload). */
  contentLength?: number;
  chunkSize?: number;
}

function post(bytes: Uint8Array, options: BodyOptions = {}, pulled: Pulled = { bytes: 0, cancelled: false }) {
  const headers = new Headers();
  if (options.encoding !== undefined) headers.set('content-encoding', options.encoding);
  if (options.contentLength !== undefined) headers.set('content-length', String(options.contentLength));
  return new Request('http://collector.test/v1/traces', {
    method: 'POST',
    headers,
    body: streamOf(bytes, options.chunkSize ?? 16 * KIB, pulled),
    duplex: 'half',
  });
}

/** Deterministic bytes that do not compress away. */
function payload(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = 12345;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) | 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

/** `megabytes` MiB of zeros gzipped, made without ever holding the zeros whole. */
async function gzipBomb(megabytes: number): Promise<Uint8Array> {
  const gzip = createGzip({ level: 9 });
  const parts: Buffer[] = [];
  gzip.on('data', (part: Buffer) => parts.push(part));
  const done = new Promise((resolve) => gzip.on('end', resolve));
  const zeros = Buffer.alloc(MIB);
  for (let i = 0; i < megabytes; i++) {
    if (!gzip.write(zeros)) await new Promise((resolve) => gzip.once('drain', resolve));
  }
  gzip.end();
  await done;
  return Buffer.concat(parts);
}

async function bodyError(request: Request, limits: BodyLimits = LIMITS): Promise<BodyError> {
  const error = await readBody(request, limits).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BodyError);
  return error as BodyError;
}

describe('readBody', () => {
  const text = new TextEncoder().encode('{"resourceSpans":[]}'.repeat(100));

  it.each([
    { encoding: undefined, bytes: text },
    { encoding: 'identity', bytes: text },
    { encoding: 'gzip', bytes: gzipSync(text) },
    { encoding: 'GZIP', bytes: gzipSync(text) },
    { encoding: 'x-gzip', bytes: gzipSync(text) },
    { encoding: 'gzip, identity', bytes: gzipSync(text) },
    { encoding: 'deflate', bytes: deflateSync(text) },
  ])('reads a body with Content-Encoding $encoding', async ({ encoding, bytes }) => {
    const body = await readBody(post(bytes, { encoding, chunkSize: 100 }), LIMITS);
    expect(Buffer.from(body).equals(Buffer.from(text))).toBe(true);
  });

  it('reads a body of exactly maxBytes, and one that inflates to exactly maxDecodedBytes', async () => {
    const exact = payload(LIMITS.maxBytes);
    const read = await readBody(post(exact, { contentLength: exact.length }), LIMITS);
    expect(read.length).toBe(LIMITS.maxBytes);
    const inflated = await readBody(
      post(gzipSync(new Uint8Array(LIMITS.maxDecodedBytes)), { encoding: 'gzip' }),
      LIMITS,
    );
    expect(inflated.length).toBe(LIMITS.maxDecodedBytes);
  });

  it('reads a request without a body as empty', async () => {
    const body = await readBody(new Request('http://collector.test/v1/traces', { method: 'POST' }), LIMITS);
    expect(body.length).toBe(0);
  });

  const cases: { name: string; request: () => Request; status: number; message: string }[] = [
    {
      name: 'a Content-Length over maxBytes',
      request: () => post(payload(LIMITS.maxBytes + 1), { contentLength: LIMITS.maxBytes + 1 }),
      status: 413,
      message: 'request body is larger than 65536 bytes',
    },
    {
      name: 'a streamed body over maxBytes, without Content-Length',
      request: () => post(payload(LIMITS.maxBytes + 1)),
      status: 413,
      message: 'request body is larger than 65536 bytes',
    },
    {
      name: 'a body over maxBytes behind a small Content-Length',
      request: () => post(payload(4 * LIMITS.maxBytes), { contentLength: 10 }),
      status: 413,
      message: 'request body is larger than 65536 bytes',
    },
    {
      name: 'a gzip body over maxBytes on the wire',
      request: () => post(gzipSync(payload(LIMITS.maxBytes * 2)), { encoding: 'gzip' }),
      status: 413,
      message: 'request body is larger than 65536 bytes',
    },
    {
      name: 'a gzip body inflating past maxDecodedBytes',
      request: () => post(gzipSync(new Uint8Array(LIMITS.maxDecodedBytes + 1)), { encoding: 'gzip' }),
      status: 413,
      message: 'decompressed request body is larger than 262144 bytes',
    },
    {
      name: 'a deflate body inflating past maxDecodedBytes',
      request: () => post(deflateSync(new Uint8Array(LIMITS.maxDecodedBytes + 1)), { encoding: 'deflate' }),
      status: 413,
      message: 'decompressed request body is larger than 262144 bytes',
    },
    {
      name: 'an unknown encoding',
      request: () => post(text, { encoding: 'br' }),
      status: 415,
      message: 'unsupported Content-Encoding "br": expected gzip, deflate or identity',
    },
    {
      name: 'two encodings stacked',
      request: () => post(gzipSync(gzipSync(text)), { encoding: 'gzip, gzip' }),
      status: 415,
      message: 'unsupported Content-Encoding "gzip, gzip": expected gzip, deflate or identity',
    },
    {
      name: 'a corrupt gzip stream',
      request: () => post(text, { encoding: 'gzip' }),
      status: 400,
      message: 'request body is not valid gzip: incorrect header check',
    },
    {
      name: 'a truncated gzip stream',
      request: () => post(gzipSync(payload(4 * KIB)).subarray(0, 2 * KIB), { encoding: 'gzip' }),
      status: 400,
      message: 'request body is not valid gzip: unexpected end of file',
    },
    {
      name: 'raw deflate (no zlib header) sent as deflate',
      request: () => post(deflateRawSync(text), { encoding: 'deflate' }),
      status: 400,
      message: 'request body is not valid deflate: incorrect header check',
    },
  ];

  it.each(cases)('fails on $name', async ({ request, status, message }) => {
    const error = await bodyError(request());
    expect({ status: error.status, message: error.message }).toEqual({ status, message });
  });

  it('fails on a declared Content-Length without reading the body', async () => {
    const pulled = { bytes: 0, cancelled: false };
    await bodyError(post(payload(LIMITS.maxBytes + 1), { contentLength: LIMITS.maxBytes + 1 }, pulled));
    expect(pulled.bytes).toBe(0);
  });

  it('stops reading an oversized upload as soon as it passes maxBytes', async () => {
    const pulled = { bytes: 0, cancelled: false };
    await bodyError(post(payload(100 * LIMITS.maxBytes), { chunkSize: KIB }, pulled));
    expect(pulled.bytes).toBe(LIMITS.maxBytes + KIB);
    expect(pulled.cancelled).toBe(true);
  });

  it('stops a gzip bomb (50 MiB of zeros) with 413 after maxDecodedBytes, never inflating it whole', async () => {
    const bomb = await gzipBomb(50);
    const limits = { maxBytes: 10 * MIB, maxDecodedBytes: MIB };
    const before = process.memoryUsage().arrayBuffers;
    const error = await bodyError(post(bomb, { encoding: 'gzip', chunkSize: KIB }), limits);
    const grown = process.memoryUsage().arrayBuffers - before;

    expect(error.status).toBe(413);
    expect(error.message).toBe('decompressed request body is larger than 1048576 bytes');
    expect(grown).toBeLessThan(8 * MIB);
  });

  it('stops reading a bomb once it is too large (20 gzip members of 50 MiB of zeros)', async () => {
    const member = await gzipBomb(50);
    const bomb = Buffer.concat(Array.from({ length: 20 }, () => member));
    const pulled = { bytes: 0, cancelled: false };
    const limits = { maxBytes: 10 * MIB, maxDecodedBytes: MIB };
    const error = await bodyError(post(bomb, { encoding: 'gzip', chunkSize: KIB }, pulled), limits);

    expect(error.status).toBe(413);
    // Inflating 1 MiB takes about 1 KiB of it; the rest of what was read sat in stream buffers.
    expect(pulled.bytes).toBeLessThan(bomb.length / 4);
    expect(pulled.cancelled).toBe(true);
  });
});
