import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpProber } from './http.ts';
import { runProbe } from './run-probe.ts';
import {
  createCertificate,
  freePort,
  loopbackLookup,
  pemFolder,
  startDnsServer,
  startHttpServer,
  startHttpsServer,
  type TestCertificate,
  type TestServer,
} from './test-servers.ts';
import { expectEndedAtTimeout, httpSpec } from './test-specs.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const ROUTES: Record<string, Handler> = {
  '/ok': (_req, res) => res.end('hello'),
  '/echo': (req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => res.end(`${req.method} ${req.headers['x-probe']} ${body}`));
  },
  '/unavailable': (_req, res) => {
    res.statusCode = 503;
    res.end('down');
  },
  '/old': (_req, res) => {
    res.writeHead(302, { location: 'new?from=old' });
    res.end();
  },
  '/new': (req, res) => res.end(`new ${req.method} ${req.url}`),
  '/see-other': (_req, res) => {
    res.writeHead(303, { location: '/echo' });
    res.end();
  },
  '/loop': (_req, res) => {
    res.writeHead(301, { location: '/loop' });
    res.end();
  },
  '/never': () => {},
  '/trickle': (_req, res) => {
    res.writeHead(200);
    res.write('a');
    const timer = setInterval(() => res.write('a'), 50);
    res.on('close', () => clearInterval(timer));
  },
  '/reset': (_req, res) => {
    res.writeHead(200, { 'content-length': '100' });
    res.write('partial');
    setTimeout(() => res.socket?.resetAndDestroy(), 20);
  },
  '/big': (_req, res) => res.end('x'.repeat(2_000)),
  '/big-declared': (_req, res) => {
    res.writeHead(200, { 'content-length': '2000' });
    res.end('x'.repeat(2_000));
  },
};

const handler: Handler = (req, res) =>
  (ROUTES[new URL(req.url ?? '/', 'http://x').pathname] ?? ROUTES['/ok']!)(req, res);

let server: TestServer;
beforeAll(async () => {
  server = await startHttpServer(handler);
});
afterAll(() => server.close());

describe('http prober over loopback', () => {
  it('succeeds with the status, the body and ordered phase timings', async () => {
    const result = await runProbe(httpSpec({ url: server.url('/ok') }));
    expect(result).toMatchObject({ success: true, statusCode: 200, body: 'hello' });
    const { dns, connect, firstByte, total } = result.phases!;
    expect([dns, connect, firstByte]).not.toContain(undefined);
    expect(dns!).toBeLessThanOrEqual(connect!);
    expect(connect!).toBeLessThanOrEqual(firstByte!);
    expect(firstByte!).toBeLessThanOrEqual(total);
    expect(total).toBeLessThanOrEqual(result.durationMs);
    expect(result.phases!.tls).toBeUndefined();
  });

  it('sends the method, headers and body', async () => {
    const spec = httpSpec({
      url: server.url('/echo'),
      method: 'POST',
      headers: { 'X-Probe': 'yes' },
      body: 'ping',
    });
    expect(await runProbe(spec)).toMatchObject({ success: true, body: 'POST yes ping' });
  });

  it('fails with connect_refused on a port nothing listens on', async () => {
    const result = await runProbe(httpSpec({ url: `http://localhost:${await freePort()}/` }));
    expect(result.failure).toMatchObject({ class: 'connect_refused' });
    expect(result.failure!.reason).toMatch(/^connection refused to 127\.0\.0\.1:\d+ \(ECONNREFUSED\)$/);
  });

  it('fails with connect_reset when the server resets mid-response', async () => {
    const result = await runProbe(httpSpec({ url: server.url('/reset') }));
    expect(result.failure).toMatchObject({ class: 'connect_reset' });
    expect(result.failure!.reason).toContain('ECONNRESET');
    expect(result.statusCode).toBe(200);
  });

  it('fails with timeout at the bound when the server never answers', async () => {
    const result = await runProbe(httpSpec({ url: server.url('/never'), timeout: 300 }));
    expect(result.failure).toEqual({
      class: 'timeout',
      reason: 'timeout after 300ms waiting for the response',
    });
    expectEndedAtTimeout(result, 300);
    expect(result.phases?.connect).toBeDefined();
  });

  it('fails with timeout when the body trickles past the bound', async () => {
    const result = await runProbe(httpSpec({ url: server.url('/trickle'), timeout: 300 }));
    expect(result.failure).toEqual({ class: 'timeout', reason: 'timeout after 300ms reading the response' });
    expectEndedAtTimeout(result, 300);
  });

  it('fails with body_too_large past maxBodyBytes, declared or not, and reads a body at the bound', async () => {
    for (const path of ['/big', '/big-declared']) {
      const result = await runProbe(httpSpec({ url: server.url(path), maxBodyBytes: 1_999 }));
      expect(result.failure).toEqual({ class: 'body_too_large', reason: 'body over 1999 bytes' });
      expect(result.statusCode).toBe(200);
      expect(result.body).toBeUndefined();
    }
    const head = await runProbe(
      httpSpec({ url: server.url('/big-declared'), method: 'HEAD', maxBodyBytes: 10 }),
    );
    expect(head).toMatchObject({ success: true, body: '' });
    const atBound = await runProbe(httpSpec({ url: server.url('/big'), maxBodyBytes: 2_000 }));
    expect(atBound).toMatchObject({ success: true });
    expect(atBound.body).toHaveLength(2_000);
  });

  it('fails with status on an unexpected status, and accepts it when listed', async () => {
    const result = await runProbe(httpSpec({ url: server.url('/unavailable') }));
    expect(result).toMatchObject({ success: false, statusCode: 503 });
    expect(result.failure).toEqual({ class: 'status', reason: 'status 503, expected 2xx' });
    const listed = await runProbe(
      httpSpec({ url: server.url('/unavailable'), expectStatus: ['200', '503'] }),
    );
    expect(listed).toMatchObject({ success: true, statusCode: 503 });
  });

  it('follows a relative redirect', async () => {
    const result = await runProbe(httpSpec({ url: server.url('/old') }));
    expect(result).toMatchObject({ success: true, statusCode: 200, body: 'new GET /new?from=old' });
  });

  it('turns a 303 after a POST into a GET without a body', async () => {
    const spec = httpSpec({
      url: server.url('/see-other'),
      method: 'POST',
      headers: { 'x-probe': 'kept' },
      body: 'x',
    });
    expect(await runProbe(spec)).toMatchObject({ success: true, body: 'GET kept ' });
  });

  it('does not follow a redirect when told not to', async () => {
    const result = await runProbe(httpSpec({ url: server.url('/old'), followRedirects: false }));
    expect(result.failure).toEqual({ class: 'status', reason: 'status 302, expected 2xx' });
    const expected = await runProbe(
      httpSpec({ url: server.url('/old'), followRedirects: false, expectStatus: ['3xx'] }),
    );
    expect(expected).toMatchObject({ success: true, statusCode: 302 });
  });

  it('fails after 10 redirects', async () => {
    const result = await runProbe(httpSpec({ url: server.url('/loop') }));
    expect(result.failure).toEqual({ class: 'other', reason: 'more than 10 redirects' });
    expect(result.statusCode).toBe(301);
  });

  it('never puts a header value in the reason', async () => {
    const result = await runProbe(
      httpSpec({ url: server.url('/ok'), headers: { authorization: 'secret\nvalue' } }),
    );
    expect(result.failure?.class).toBe('other');
    expect(result.failure?.reason).not.toContain('secret');
  });

  it('fails with dns when the name does not resolve', async () => {
    const dns = await startDnsServer({});
    try {
      const probers = { http: createHttpProber({ lookup: loopbackLookup(dns.server) }) };
      const result = await runProbe(httpSpec({ url: 'http://nowhere.invalid/' }), { probers });
      expect(result.failure).toEqual({
        class: 'dns',
        reason: 'cannot resolve nowhere.invalid: name not found (ENOTFOUND)',
      });
    } finally {
      await dns.close();
    }
  });
});

describe('https prober over loopback', () => {
  let selfSigned: TestCertificate;
  let expired: TestCertificate;
  let otherName: TestCertificate;
  let servers: Record<'selfSigned' | 'expired' | 'otherName' | 'clientAuth', TestServer>;
  const pems = pemFolder();
  const ok: Handler = (_req, res) => res.end('secure');

  beforeAll(async () => {
    const past = new Date(Date.now() - 10 * 86_400_000);
    [selfSigned, expired, otherName] = await Promise.all([
      createCertificate({ client: true }),
      createCertificate({ notBefore: past, notAfter: new Date(past.getTime() + 86_400_000) }),
      createCertificate({ names: ['other.test'] }),
    ]);
    const [a, b, c, d] = await Promise.all([
      startHttpsServer(ok, selfSigned),
      startHttpsServer(ok, expired),
      startHttpsServer(ok, otherName),
      startHttpsServer(ok, {
        ...selfSigned,
        requestCert: true,
        rejectUnauthorized: true,
        ca: selfSigned.cert,
      }),
    ]);
    servers = { selfSigned: a!, expired: b!, otherName: c!, clientAuth: d! };
  });
  afterAll(async () => {
    await Promise.all(Object.values(servers).map((s) => s.close()));
    pems.remove();
  });

  it('fails with tls on a self-signed certificate when verifying', async () => {
    const result = await runProbe(httpSpec({ url: servers.selfSigned.url() }));
    expect(result.failure).toEqual({
      class: 'tls',
      reason: 'self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)',
    });
  });

  it('succeeds on a self-signed certificate without verifying, with tls timing and expiry', async () => {
    const result = await runProbe(httpSpec({ url: servers.selfSigned.url(), tls: { verify: false } }));
    expect(result).toMatchObject({ success: true, statusCode: 200, body: 'secure' });
    const { connect, tls, firstByte } = result.phases!;
    expect(connect!).toBeLessThanOrEqual(tls!);
    expect(tls!).toBeLessThanOrEqual(firstByte!);
    const expiresIn = result.tlsExpiresAt! - Date.now();
    expect(expiresIn).toBeGreaterThan(86_400_000 - 5 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(86_400_000);
  });

  it('succeeds when the certificate is trusted through tls.ca', async () => {
    const ca = pems.write('ca.pem', selfSigned.cert);
    const result = await runProbe(httpSpec({ url: servers.selfSigned.url(), tls: { verify: true, ca } }));
    expect(result).toMatchObject({ success: true, body: 'secure' });
  });

  it('fails with tls on an expired certificate, and still records its expiry without verifying', async () => {
    const ca = pems.write('expired-ca.pem', expired.cert);
    const result = await runProbe(httpSpec({ url: servers.expired.url(), tls: { verify: true, ca } }));
    expect(result.failure).toEqual({ class: 'tls', reason: 'certificate has expired (CERT_HAS_EXPIRED)' });
    const unverified = await runProbe(httpSpec({ url: servers.expired.url(), tls: { verify: false } }));
    expect(unverified.success).toBe(true);
    expect(unverified.tlsExpiresAt!).toBeLessThan(Date.now());
  });

  it('fails with tls when the certificate is for another name', async () => {
    const ca = pems.write('other-ca.pem', otherName.cert);
    const result = await runProbe(httpSpec({ url: servers.otherName.url(), tls: { verify: true, ca } }));
    expect(result.failure).toEqual({
      class: 'tls',
      reason: 'hostname does not match the certificate (ERR_TLS_CERT_ALTNAME_INVALID)',
    });
  });

  it('presents a client certificate from PEM files', async () => {
    const tls = {
      verify: true,
      ca: pems.write('client-ca.pem', selfSigned.cert),
      cert: pems.write('client.pem', selfSigned.clientCert!),
      key: pems.write('client.key', selfSigned.clientKey!),
    };
    expect(await runProbe(httpSpec({ url: servers.clientAuth.url(), tls }))).toMatchObject({ success: true });
    const without = await runProbe(
      httpSpec({ url: servers.clientAuth.url(), tls: { verify: true, ca: tls.ca } }),
    );
    expect(without.failure).toEqual({
      class: 'tls',
      reason: 'server requires a client certificate (ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED)',
    });
  });

  it('fails with tls when a PEM file cannot be read', async () => {
    const result = await runProbe(
      httpSpec({ url: servers.selfSigned.url(), tls: { verify: true, cert: '/nonexistent.pem' } }),
    );
    expect(result.failure).toEqual({ class: 'tls', reason: 'cannot read tls.cert (ENOENT)' });
  });
});
