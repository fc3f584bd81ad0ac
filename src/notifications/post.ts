import { VERSION } from '../version.ts';

/** The outcome of one delivery attempt; failure is data, never an exception. */
export type PostOutcome =
  | { ok: true; status: number }
  | {
      ok: false;
      /** Short and safe to store and log: never the URL, the headers or the body. */
      error: string;
      /** The attempt was cut short by `signal` (shutdown), not by the receiver. */
      aborted: boolean;
    };

export interface PostOptions {
  url: string;
  body: unknown;
  /** Extra request headers (a channel's); they win over the defaults. */
  headers: Record<string, string>;
  /** Milliseconds for the whole attempt, connect to response headers. */
  timeoutMs: number;
  /** Aborts the attempt (shutdown). */
  signal: AbortSignal;
  fetch: typeof globalThis.fetch;
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') return `timeout after ${timeoutMs}ms`;
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  if (cause && typeof cause.code === 'string') return `network error (${cause.code})`;
  return 'network error';
}

/**
 * POSTs `body` as JSON once. A 2xx answer is success; a redirect is not followed (a webhook
 * that moved is a configuration error, and following it would resend the payload elsewhere).
 */
export async function postJson(options: PostOptions): Promise<PostOutcome> {
  const signal = AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]);
  try {
    const response = await options.fetch(options.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': `ecotone/${VERSION}`,
        ...options.headers,
      },
      body: JSON.stringify(options.body),
      redirect: 'manual',
      signal,
    });
    await response.body?.cancel().catch(() => {});
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
    return { ok: false, error: `HTTP ${response.status}`, aborted: false };
  } catch (error) {
    if (options.signal.aborted) return { ok: false, error: 'aborted at shutdown', aborted: true };
    return { ok: false, error: describeFailure(error, options.timeoutMs), aborted: false };
  }
}
