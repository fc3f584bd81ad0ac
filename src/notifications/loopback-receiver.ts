import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/**
 * How the receiver answers its `n`th request (0-based): a status code (or a promise of one, to
 * hold the request open until it settles), or `hang` to never answer.
 */
export type Answer = (n: number, request: ReceivedRequest) => number | Promise<number> | 'hang';

/**
 * A real HTTP server on 127.0.0.1 (free port) that records every request, for tests only.
 * `accepted` holds the requests answered with a 2xx.
 */
export async function startReceiver(answer: Answer = () => 200) {
  const requests: ReceivedRequest[] = [];
  const accepted: ReceivedRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer(async (req, res) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => {
      inFlight -= 1;
    });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = {
      path: req.url ?? '',
      headers: req.headers,
      body: JSON.parse(Buffer.concat(chunks).toString()),
    };
    const answered = answer(requests.length, request);
    requests.push(request);
    if (answered === 'hang') return;
    const status = await answered;
    if (status >= 200 && status < 300) accepted.push(request);
    res.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    accepted,
    maxInFlight: () => maxInFlight,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
