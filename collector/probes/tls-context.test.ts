import { utimesSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCertificate, pemFolder, type TestCertificate } from './test-servers.ts';
import { createTlsContextCache, TlsFilesError } from './tls-context.ts';

const pems = pemFolder();
let first: TestCertificate;
let second: TestCertificate;

beforeAll(async () => {
  [first, second] = await Promise.all([createCertificate(), createCertificate()]);
});
afterAll(() => pems.remove());

describe('createTlsContextCache', () => {
  it('returns no context when no file is set', async () => {
    expect(await createTlsContextCache().get({})).toBeUndefined();
  });

  it('loads files once and reloads them when they change on disk', async () => {
    const cache = createTlsContextCache();
    const files = { cert: pems.write('c.pem', first.cert), key: pems.write('c.key', first.key) };
    const loaded = await cache.get(files);
    expect(loaded).toBeDefined();
    expect(await cache.get(files)).toBe(loaded);
    pems.write('c.pem', second.cert);
    pems.write('c.key', second.key);
    utimesSync(files.cert, new Date(), new Date(Date.now() + 5_000));
    utimesSync(files.key, new Date(), new Date(Date.now() + 5_000));
    expect(await cache.get(files)).not.toBe(loaded);
  });

  it('keeps at most maxEntries contexts', async () => {
    const cache = createTlsContextCache({ maxEntries: 1 });
    const a = { ca: pems.write('a.pem', first.cert) };
    const b = { ca: pems.write('b.pem', second.cert) };
    const loaded = await cache.get(a);
    await cache.get(b);
    expect(await cache.get(a)).not.toBe(loaded);
  });

  it.each([
    [{ key: '/nonexistent/client.key' }, 'cannot read tls.key (ENOENT)'],
    [{ ca: '/' }, 'cannot read tls.ca (EISDIR)'],
  ])('fails with the field and code when a file cannot be read (%o)', async (files, message) => {
    const failure = createTlsContextCache().get(files);
    await expect(failure).rejects.toBeInstanceOf(TlsFilesError);
    await expect(failure).rejects.toThrow(message);
  });

  it('fails without the file content when a file is not PEM', async () => {
    const failure = createTlsContextCache().get({
      cert: pems.write('bad.pem', 'secret-123'),
      key: pems.write('bad.key', 'x'),
    });
    await expect(failure).rejects.toThrow(/^cannot load tls files \(ERR_OSSL_[A-Z_]+\)$/);
  });
});
