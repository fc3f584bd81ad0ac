import { readFile, stat } from 'node:fs/promises';
import { createSecureContext, getCACertificates, type SecureContext } from 'node:tls';

/** PEM file paths of an HTTP probe's TLS settings. */
export interface TlsFiles {
  cert?: string | undefined;
  key?: string | undefined;
  ca?: string | undefined;
}

/** Loads TLS contexts from PEM files once, and again only when a file changes on disk. */
export interface TlsContextCache {
  /** The context for these files, or undefined when none is set (Node's defaults apply). */
  get(files: TlsFiles): Promise<SecureContext | undefined>;
}

/** A TLS file could not be read or parsed; the message is safe to show (field and code only). */
export class TlsFilesError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'TlsFilesError';
  }
}

interface CachedFile {
  mtimeMs: number;
  size: number;
  text: string;
}

interface CachedContext {
  texts: (string | undefined)[];
  context: SecureContext;
}

/** Options of {@link createTlsContextCache}. */
export interface TlsContextCacheOptions {
  /** Most files and contexts kept; the least recently loaded goes first (default 256). */
  maxEntries?: number;
}

const FIELDS = ['cert', 'key', 'ca'] as const;

const errorCode = (error: unknown): string =>
  (error as { code?: unknown } | null)?.code?.toString() ?? (error as Error | null)?.name ?? 'error';

function remember<V>(map: Map<string, V>, key: string, value: V, maxEntries: number): V {
  map.delete(key);
  map.set(key, value);
  if (map.size > maxEntries) map.delete(map.keys().next().value!);
  return value;
}

/**
 * Creates a cache of client certificates, keys and extra CAs. An extra CA is added to Node's
 * default trust store, not put in its place. Each run checks the files' mtime and size (one
 * `stat` each), so a rotated certificate is picked up on the next run.
 * @example
 * const contexts = createTlsContextCache();
 * const secureContext = await contexts.get({ cert: '/etc/ecotone/client.pem', key: '/etc/ecotone/client.key' });
 */
export function createTlsContextCache(options: TlsContextCacheOptions = {}): TlsContextCache {
  const maxEntries = options.maxEntries ?? 256;
  const files = new Map<string, CachedFile>();
  const contexts = new Map<string, CachedContext>();

  async function read(path: string): Promise<string> {
    const info = await stat(path);
    const hit = files.get(path);
    if (hit && hit.mtimeMs === info.mtimeMs && hit.size === info.size) return hit.text;
    const text = await readFile(path, 'utf8');
    return remember(files, path, { mtimeMs: info.mtimeMs, size: info.size, text }, maxEntries).text;
  }

  return {
    async get(paths) {
      if (!paths.cert && !paths.key && !paths.ca) return undefined;
      const texts = await Promise.all(
        FIELDS.map(async (field) => {
          const path = paths[field];
          if (!path) return undefined;
          try {
            return await read(path);
          } catch (error) {
            throw new TlsFilesError(`cannot read tls.${field} (${errorCode(error)})`, error);
          }
        }),
      );
      const id = JSON.stringify(FIELDS.map((field) => paths[field] ?? null));
      const hit = contexts.get(id);
      if (hit?.texts.every((text, i) => text === texts[i])) return hit.context;
      const [cert, key, ca] = texts;
      let context: SecureContext;
      try {
        context = createSecureContext({
          cert,
          key,
          ca: ca === undefined ? undefined : [...getCACertificates('default'), ca],
        });
      } catch (error) {
        throw new TlsFilesError(`cannot load tls files (${errorCode(error)})`, error);
      }
      return remember(contexts, id, { texts, context }, maxEntries).context;
    },
  };
}
