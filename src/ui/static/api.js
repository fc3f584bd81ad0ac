/**
 * The browser's client of `/api/v1`. With auth on, a read (or admin) token is asked for once and
 * kept in sessionStorage: it lives as long as the tab and is sent as a bearer token, never as a
 * cookie, so no other page can make the browser use it.
 */

const TOKEN_KEY = 'ecotone.token';
const listeners = new Set();

export const getToken = () => sessionStorage.getItem(TOKEN_KEY);

export function setToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** Calls `listener(detail)` whenever the API answers 401 (no token or a revoked one). */
export function onAuthRequired(listener) {
  listeners.add(listener);
}

/** An API answer that is not 2xx or 304, with the problem document's detail. */
export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

/**
 * Requests `path` under `/api/v1`. With `etag`, sends `If-None-Match` and resolves
 * `{ status: 304 }` when nothing changed. Resolves `{ status, data, etag }`; throws ApiError for
 * other answers, except the `allow` statuses (e.g. 404 for an endpoint this server lacks).
 *
 * @example
 * const { data } = await api('/status');
 */
export async function api(path, { method = 'GET', body, etag, allow = [] } = {}) {
  const headers = { accept: 'application/json' };
  const token = getToken();
  if (token) headers.authorization = `Bearer ${token}`;
  if (etag) headers['if-none-match'] = etag;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`/api/v1${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
  });
  if (res.status === 304) return { status: 304, etag };
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (res.ok || allow.includes(res.status))
    return { status: res.status, data, etag: res.headers.get('etag') };
  const detail = data?.detail ?? `${method} ${path}: HTTP ${res.status}`;
  if (res.status === 401) for (const listener of listeners) listener(detail);
  throw new ApiError(res.status, detail);
}
