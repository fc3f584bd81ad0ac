import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { Logger } from 'pino';
import type { Behaviour } from '../behaviours/types.ts';
import { buildResponse, type DnsQuery, parseQuery, RCODE, RECORD_TYPE } from './dns-message.ts';
import type { Listener } from './listener.ts';

/** A name the resolver knows, the addresses it answers and how it behaves. */
export interface DnsRecord {
  addresses: readonly string[];
  behaviour: Behaviour;
}

export interface DnsListenerOptions {
  host: string;
  /** UDP port to bind; 0 picks a free one. */
  port: number;
  /** Known names, lower case without the trailing dot; any other name is NXDOMAIN. */
  records: ReadonlyMap<string, DnsRecord>;
  /** Clock (Unix ms) passed to each behaviour. */
  now: () => number;
  logger: Logger;
}

const CLASS_IN = 1;
const CLASS_ANY = 255;

/** Largest query read, bytes (a plain UDP DNS message); longer datagrams are dropped. */
const MAX_QUERY_BYTES = 512;

/**
 * A UDP resolver for a handful of names: A records for known names, an empty answer for their
 * other record types, NXDOMAIN for unknown names, REFUSED for classes other than IN. A known name's behaviour delays the answer, turns
 * a 5xx into SERVFAIL and a reset into silence (the client times out).
 */
export async function startDnsListener(options: DnsListenerOptions): Promise<Listener> {
  const { records, now, logger } = options;
  const pending = new Set<NodeJS.Timeout>();
  let socket: Socket | undefined;
  let closed = false;

  function answer(
    query: DnsQuery,
  ): { rcode: number; addresses?: readonly string[]; delayMs: number } | undefined {
    if (query.opcode !== 0) return { rcode: RCODE.notImplemented, delayMs: 0 };
    if (query.class !== CLASS_IN && query.class !== CLASS_ANY) return { rcode: RCODE.refused, delayMs: 0 };
    const record = records.get(query.name);
    if (!record) return { rcode: RCODE.nameError, delayMs: 0 };
    const decided = record.behaviour.answer(now());
    if (decided.kind === 'reset') return undefined;
    if (decided.status >= 500) return { rcode: RCODE.serverFailure, delayMs: decided.delayMs };
    const wantsA = query.type === RECORD_TYPE.A || query.type === RECORD_TYPE.ANY;
    return { rcode: RCODE.noError, addresses: wantsA ? record.addresses : [], delayMs: decided.delayMs };
  }

  function bind(port: number): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const udp = createSocket(isIPv6(options.host) ? 'udp6' : 'udp4');
      const failed = (error: Error) => {
        udp.close();
        reject(error);
      };
      udp.once('error', failed);
      udp.on('message', (packet, peer) => {
        const query = packet.length <= MAX_QUERY_BYTES ? parseQuery(packet) : undefined;
        const reply = query && answer(query);
        logger.debug({ name: query?.name, rcode: reply?.rcode }, 'simulated dns query');
        if (!query || !reply) return;
        const timer = setTimeout(() => {
          pending.delete(timer);
          udp.send(buildResponse(query, reply.rcode, reply.addresses), peer.port, peer.address, () => {});
        }, reply.delayMs);
        pending.add(timer);
      });
      udp.bind({ address: options.host, port, exclusive: true }, () => {
        udp.off('error', failed);
        udp.on('error', (error) => logger.warn({ err: error }, 'simulated dns socket error'));
        resolve(udp);
      });
    });
  }

  async function pause(): Promise<void> {
    for (const timer of pending) clearTimeout(timer);
    pending.clear();
    const current = socket;
    socket = undefined;
    if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
  }

  socket = await bind(options.port);
  const port = socket.address().port;
  return {
    port,
    isListening: () => socket !== undefined,
    pause,
    async resume() {
      if (!closed && !socket) socket = await bind(port);
    },
    async close() {
      closed = true;
      await pause();
    },
  };
}
