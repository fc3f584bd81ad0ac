import { parentPort } from 'node:worker_threads';
import type { EventFormat, ParseEventBatchOptions } from '../../collector/events/index.ts';
import { parseEventBody } from './event-parser.ts';

/** One request to parse: the body's bytes were transferred, not copied. */
export interface ParseRequest {
  id: number;
  body: ArrayBuffer;
  format: EventFormat;
  options: ParseEventBatchOptions;
}

// Loaded and ready: the pool waits for this before the service takes requests.
parentPort?.postMessage({ ready: true });

parentPort?.on('message', (request: ParseRequest) => {
  try {
    const result = parseEventBody(new Uint8Array(request.body), request.format, request.options);
    parentPort?.postMessage({ id: request.id, result });
  } catch (error) {
    parentPort?.postMessage({ id: request.id, error: (error as Error).message });
  }
});
