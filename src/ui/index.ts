import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { mapPage, type PageOptions, statusPage } from './pages.ts';

export type { PageOptions } from './pages.ts';

export interface UiOptions {
  /** How often the pages poll the API, ms (settings.ui.refreshInterval). */
  refreshMs: number;
  version: string;
}

const STATIC_DIR = fileURLToPath(new URL('./static/', import.meta.url));
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

interface Asset {
  body: Buffer;
  gzip: Buffer | undefined;
  type: string;
  etag: string;
}

function asset(body: Buffer, type: string): Asset {
  return {
    body,
    gzip: undefined,
    type,
    etag: `"${createHash('sha1').update(body).digest('base64url')}"`,
  };
}

/**
 * The files the browser may fetch, read once: the browser modules and the stylesheet from
 * `static/`, and ELK's bundle from node_modules. Nothing else on disk is reachable by URL.
 */
function loadAssets(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const name of readdirSync(STATIC_DIR)) {
    const type = TYPES[extname(name)];
    if (type) assets.set(`/ui/static/${name}`, asset(readFileSync(join(STATIC_DIR, name)), type));
  }
  const elk = createRequire(import.meta.url).resolve('elkjs/lib/elk.bundled.js');
  assets.set('/ui/vendor/elk.bundled.js', asset(readFileSync(elk), TYPES['.js'] as string));
  return assets;
}

/** Whether the client would rather have HTML than JSON (a browser navigating to the page). */
export function wantsHtml(c: Context): boolean {
  const accept = c.req.header('accept') ?? '';
  return accept.includes('text/html');
}

/**
 * Serves the web UI: the map at `/` (to clients that accept HTML; others keep the JSON index),
 * the status page at `/status`, and the static files under `/ui/`. The pages are shells: all data
 * comes from `/api/v1`, with the caller's token, so the UI sees exactly what the API shows.
 *
 * @example
 * const ui = registerUi(app, { refreshMs: 5000, version });
 * app.get('/', (c) => (wantsHtml(c) ? ui.map(c) : c.json(index)));
 */
export function registerUi(app: OpenAPIHono, options: UiOptions) {
  const assets = loadAssets();
  const pageOptions: PageOptions = { refreshMs: options.refreshMs, version: options.version };
  const htmlHeaders = {
    'cache-control': 'no-cache',
    'content-security-policy':
      "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
  };

  app.get('/ui/*', (c) => {
    const found = assets.get(c.req.path);
    if (!found) return c.notFound();
    const headers: Record<string, string> = {
      'content-type': found.type,
      etag: found.etag,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      vary: 'accept-encoding',
    };
    if (c.req.header('if-none-match') === found.etag) return c.body(null, 304, headers);
    if (/\bgzip\b/.test(c.req.header('accept-encoding') ?? '') && found.body.length > 1024) {
      found.gzip ??= gzipSync(found.body);
      return c.body(new Uint8Array(found.gzip), 200, { ...headers, 'content-encoding': 'gzip' });
    }
    return c.body(new Uint8Array(found.body), 200, headers);
  });
  app.get('/status', (c) => c.html(statusPage(pageOptions), 200, htmlHeaders));

  return {
    /** Answers with the map page. */
    map: (c: Context) => c.html(mapPage(pageOptions), 200, htmlHeaders),
  };
}
