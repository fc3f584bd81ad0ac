/**
 * Helpers for the traffic tests: the example catalog as the trace pipeline reads it, planned
 * spans as the pipeline decodes them, and a loopback server that records what it receives.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { TraceCatalog } from '../../../collector/traces/processor.ts';
import { type DecodedSpan, SpanKind, StatusCode } from '../../../collector/traces/types.ts';
import { type Config, loadConfig } from '../../config/index.ts';
import type { PlannedKind, PlannedSpan } from './plan.ts';

export const EXAMPLE_FILE = fileURLToPath(new URL('../../../examples/ecosystem.yaml', import.meta.url));

/** The bundled example, with no environment (every probe target at its default). */
export function loadExample(): Promise<Config> {
  return loadConfig(EXAMPLE_FILE, { env: {} });
}

/** The example catalog as `createTraceProcessor` reads it. */
export function traceCatalogOf(config: Config): TraceCatalog {
  return {
    revision: 1,
    integrations: config.integrations.map((i) => ({ id: i.id, from: i.from, to: i.to, match: i.match })),
    systems: config.systems.map((s) => ({ id: s.id, services: s.services ?? [s.id] })),
    workflows: config.workflows.map((w) => ({ id: w.id, steps: w.steps, timeoutMs: w.timeout })),
  };
}

const KIND: Record<PlannedKind, DecodedSpan['kind']> = {
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
  internal: SpanKind.INTERNAL,
};

/** A planned span as the trace decoders would hand it over (ids made up, times from 0). */
export function decodedOf(planned: PlannedSpan, parentSpanId = ''): DecodedSpan {
  return {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    parentSpanId,
    name: planned.name,
    kind: KIND[planned.kind],
    startTimeMs: planned.startMs,
    endTimeMs: planned.startMs + planned.durationMs,
    statusCode: planned.error === undefined ? StatusCode.UNSET : StatusCode.ERROR,
    attributes: planned.attributes,
  };
}

/** One request the recorder received, its body read whole. */
export interface Recorded {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export type Responder = (request: Recorded, res: ServerResponse) => void;

/**
 * A loopback HTTP server that keeps every request and answers through `respond` (default: 200
 * with an empty JSON object).
 */
export async function startRecorder(respond?: Responder): Promise<{
  url: string;
  requests: Recorded[];
  setResponder(next: Responder): void;
  close(): Promise<void>;
}> {
  const requests: Recorded[] = [];
  let responder: Responder =
    respond ??
    ((_request, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: Recorded = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      requests.push(recorded);
      responder(recorded, res);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setResponder(next) {
      responder = next;
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
