import { connect, type LookupFunction } from 'node:net';
import { startPhaseClock, watchSocketPhases } from './phase-clock.ts';
import { failed, ProbeError, type ProbeMeasurements, succeeded } from './result.ts';
import type { Prober, TcpProbeSpec } from './types.ts';

/** Options of {@link createTcpProber}. */
export interface TcpProberOptions {
  /** Resolves host names (default: Node's `dns.lookup`, the system resolver). */
  lookup?: LookupFunction;
}

/**
 * Creates the TCP prober: connects, writes `send` if set, then, if `expect` is set, reads until
 * the peer has sent that text (within `maxBodyBytes`) or closes. A missing text is a `condition`
 * failure. Phases: `dns`, `connect`, and `firstByte` when the peer sends something.
 * @example
 * const prober = createTcpProber();
 * const result = await prober({ ...spec, send: 'PING\r\n', expect: '+PONG' }, { signal });
 */
export function createTcpProber(options: TcpProberOptions = {}): Prober<TcpProbeSpec> {
  return (spec, ctx) =>
    new Promise((resolve, reject) => {
      const clock = startPhaseClock();
      let connected = false;
      const measured = (): ProbeMeasurements => ({ phases: clock.read(), connected });
      const socket = connect({
        host: spec.host,
        port: spec.port,
        signal: ctx.signal,
        ...(options.lookup && { lookup: options.lookup }),
      });
      const finish = (outcome: ProbeMeasurements | string) => {
        resolve(typeof outcome === 'string' ? failed('condition', outcome, measured()) : succeeded(outcome));
        socket.destroy();
      };
      watchSocketPhases(socket, clock);
      socket.on('error', (error) => reject(new ProbeError(error, measured())));
      socket.once('connect', () => {
        connected = true;
        const { expect } = spec;
        if (expect === undefined) {
          socket.end(spec.send ?? '', () => finish(measured()));
          return;
        }
        if (spec.send !== undefined) socket.write(spec.send);
        const chunks: Buffer[] = [];
        let size = 0;
        socket.on('data', (chunk: Buffer) => {
          clock.mark('firstByte');
          chunks.push(chunk);
          size += chunk.length;
          const received = Buffer.concat(chunks).subarray(0, spec.maxBodyBytes);
          if (received.includes(expect)) finish(measured());
          else if (size >= spec.maxBodyBytes)
            finish(`expected text not in the first ${spec.maxBodyBytes} bytes`);
        });
        socket.on('end', () => finish('peer closed before sending the expected text'));
      });
    });
}

/** The TCP prober with Node's resolver. */
export const tcpProber: Prober<TcpProbeSpec> = createTcpProber();
