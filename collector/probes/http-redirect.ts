/** Most redirects one run follows before it fails. */
export const MAX_REDIRECTS = 10;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const BODY_HEADERS = new Set(['content-type', 'content-length', 'content-encoding', 'transfer-encoding']);
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);

/** One request of a run: the first, or one that follows a redirect. */
export interface HopRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string | undefined;
}

/** What to do after a response: stop there, follow it, or fail because it cannot be followed. */
export type RedirectStep =
  | { kind: 'final' }
  | { kind: 'follow'; request: HopRequest }
  | { kind: 'invalid'; reason: string };

/** Whether a response with this status and Location is a redirect to follow. */
export function isRedirect(status: number, location: string | undefined): location is string {
  return REDIRECT_STATUSES.has(status) && location !== undefined && location !== '';
}

/**
 * The request that follows a redirect, as browsers do: a relative Location resolves against the
 * current URL; 303 (and 301/302 after a POST) turns into a GET without a body; credentials are
 * not sent to another origin.
 */
export function nextHop(previous: HopRequest, status: number, location: string | undefined): RedirectStep {
  if (!isRedirect(status, location)) return { kind: 'final' };
  let url: URL;
  try {
    url = new URL(location, previous.url);
  } catch {
    return { kind: 'invalid', reason: `status ${status} with an invalid Location` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { kind: 'invalid', reason: `redirect to unsupported protocol ${url.protocol}` };
  }
  const toGet =
    previous.method !== 'HEAD' &&
    (status === 303 || ((status === 301 || status === 302) && previous.method === 'POST'));
  const sameOrigin = url.origin === previous.url.origin;
  const headers = Object.fromEntries(
    Object.entries(previous.headers).filter(([name]) => {
      const lower = name.toLowerCase();
      return !(toGet && BODY_HEADERS.has(lower)) && (sameOrigin || !CREDENTIAL_HEADERS.has(lower));
    }),
  );
  return {
    kind: 'follow',
    request: {
      url,
      method: toGet ? 'GET' : previous.method,
      headers,
      body: toGet ? undefined : previous.body,
    },
  };
}
