import { describe, expect, it } from 'vitest';
import { deferred, silentLogger } from '../../test/helpers.ts';
import { startHttpServer } from './http-server.ts';

/** A server on a free loopback port (or `port`) answering with `fetch`. */
function listen(fetch: (request: Request) => Response | Promise<Response>, port = 0) {
  return startHttpServer({ host: '127.0.0.1', port, requestTimeout: 10_000, logger: silentLogger, fetch });
}

describe('http server', () => {
  it('lets an in-flight request finish when closing, then stops accepting', async () => {
    const entered = deferred();
    const release = deferred();
    const server = await listen(async () => {
      entered.resolve();
      await release.promise;
      return new Response('done');
    });
    const response = fetch(server.url);
    await entered.promise;
    const closed = server.close(5_000);
    release.resolve();
    const res = await response;
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('done');
    await closed;
    await expect(fetch(server.url)).rejects.toThrow();
  });

  it('drops connections still open when the shutdown bound passes', async () => {
    const entered = deferred();
    const server = await listen(() => {
      entered.resolve();
      return new Promise<Response>(() => {});
    });
    const hung = fetch(server.url).then(
      () => 'answered',
      () => 'dropped',
    );
    await entered.promise;
    await server.close(100);
    expect(await hung).toBe('dropped');
  });

  it('rejects with a clear message when the port is taken', async () => {
    const first = await listen(() => new Response(''));
    await expect(listen(() => new Response(''), first.port)).rejects.toThrow(
      `cannot listen: port ${first.port} on 127.0.0.1 is already in use`,
    );
    await first.close(100);
  });
});
