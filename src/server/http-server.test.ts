import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../test/helpers.ts';
import { startHttpServer } from './http-server.ts';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe('http server', () => {
  it('lets an in-flight request finish when closing, then stops accepting', async () => {
    const entered = gate();
    const release = gate();
    const server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      requestTimeout: 10_000,
      logger: silentLogger,
      fetch: async () => {
        entered.open();
        await release.opened;
        return new Response('done');
      },
    });
    const response = fetch(server.url);
    await entered.opened;
    const closed = server.close(5_000);
    release.open();
    const res = await response;
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('done');
    await closed;
    await expect(fetch(server.url)).rejects.toThrow();
  });

  it('drops connections still open when the shutdown bound passes', async () => {
    const server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      requestTimeout: 10_000,
      logger: silentLogger,
      fetch: () => new Promise<Response>(() => {}),
    });
    const hung = fetch(server.url).then(
      () => 'answered',
      () => 'dropped',
    );
    await new Promise((r) => setTimeout(r, 50));
    await server.close(100);
    expect(await hung).toBe('dropped');
  });

  it('rejects with a clear message when the port is taken', async () => {
    const first = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      requestTimeout: 1_000,
      logger: silentLogger,
      fetch: () => new Response(''),
    });
    await expect(
      startHttpServer({
        host: '127.0.0.1',
        port: first.port,
        requestTimeout: 1_000,
        logger: silentLogger,
        fetch: () => new Response(''),
      }),
    ).rejects.toThrow(`cannot listen: port ${first.port} on 127.0.0.1 is already in use`);
    await first.close(100);
  });
});
