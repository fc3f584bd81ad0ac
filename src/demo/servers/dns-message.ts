/**
 * Just enough of the DNS wire format (RFC 1035) to answer one-question queries with A records.
 */

/** Response codes used by the simulator. */
export const RCODE = {
  noError: 0,
  formatError: 1,
  serverFailure: 2,
  nameError: 3,
  notImplemented: 4,
  refused: 5,
} as const;

/** Record types the simulator knows by number. */
export const RECORD_TYPE = { A: 1, AAAA: 28, ANY: 255 } as const;

const CLASS_IN = 1;
const HEADER_BYTES = 12;
const MAX_NAME_BYTES = 255;

/** The parts of a query a response needs. */
export interface DnsQuery {
  id: number;
  opcode: number;
  recursionDesired: boolean;
  /** Lower case, without the trailing dot. */
  name: string;
  type: number;
  class: number;
  /** The question section as received, echoed in the response. */
  question: Buffer;
}

/** Reads a standard query with exactly one question; `undefined` when the packet is not one. */
export function parseQuery(packet: Buffer): DnsQuery | undefined {
  if (packet.length < HEADER_BYTES) return undefined;
  const flags = packet.readUInt16BE(2);
  if (flags & 0x8000 || packet.readUInt16BE(4) !== 1) return undefined;
  const labels: string[] = [];
  let offset = HEADER_BYTES;
  for (;;) {
    const length = packet[offset];
    if (length === undefined || length > 63) return undefined;
    offset += 1;
    if (length === 0) break;
    if (offset + length > packet.length || offset - HEADER_BYTES + length > MAX_NAME_BYTES) return undefined;
    labels.push(packet.toString('latin1', offset, offset + length));
    offset += length;
  }
  if (offset + 4 > packet.length) return undefined;
  return {
    id: packet.readUInt16BE(0),
    opcode: (flags >> 11) & 0x0f,
    recursionDesired: (flags & 0x0100) !== 0,
    name: labels.join('.').toLowerCase(),
    type: packet.readUInt16BE(offset),
    class: packet.readUInt16BE(offset + 2),
    question: packet.subarray(HEADER_BYTES, offset + 4),
  };
}

/** An authoritative response to `query` with `rcode` and one A record per IPv4 address. */
export function buildResponse(
  query: DnsQuery,
  rcode: number,
  addresses: readonly string[] = [],
  ttlSeconds = 30,
): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt16BE(query.id, 0);
  header.writeUInt16BE(
    0x8000 | (query.opcode << 11) | 0x0400 | (query.recursionDesired ? 0x0100 : 0) | rcode,
    2,
  );
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(addresses.length, 6);
  const answers = addresses.map((address) => {
    const record = Buffer.alloc(12);
    record.writeUInt16BE(0xc000 | HEADER_BYTES, 0);
    record.writeUInt16BE(RECORD_TYPE.A, 2);
    record.writeUInt16BE(CLASS_IN, 4);
    record.writeUInt32BE(ttlSeconds, 6);
    record.writeUInt16BE(4, 10);
    return Buffer.concat([record, Buffer.from(address.split('.').map(Number))]);
  });
  return Buffer.concat([header, query.question, ...answers]);
}
