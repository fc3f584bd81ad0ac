/**
 * Plain clients for the simulator's tests: one DNS query over UDP, one TCP connection, one TLS
 * handshake. Each settles within `timeoutMs` and closes what it opened.
 */
import { createSocket } from 'node:dgram';
import { connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

const HEADER_BYTES = 12;

/** Sends one query for `name` (type A unless given) and reads the response code and A answers. */
export function queryDns(
  server: { host: string; port: number },
  name: string,
  type = 1,
  timeoutMs = 2_000,
): Promise<{ rcode: number; addresses: string[] }> {
  const id = Math.floor(Math.random() * 0xffff);
  return new Promise((resolve, reject) => {
    const udp = createSocket(server.host.includes(':') ? 'udp6' : 'udp4');
    const timer = setTimeout(() => finish(new Error(`no DNS answer within ${timeoutMs}ms`)), timeoutMs);
    function finish(error?: Error, result?: { rcode: number; addresses: string[] }) {
      clearTimeout(timer);
      udp.close();
      if (error) reject(error);
      else resolve(result as { rcode: number; addresses: string[] });
    }
    udp.on('message', (packet) => {
      if (packet.readUInt16BE(0) === id) finish(undefined, readResponse(packet));
    });
    udp.send(buildQuery(id, name, type), server.port, server.host);
  });
}

/** Connects over TCP and collects what the peer sends for `readMs`; rejects with the connect error. */
export function connectTcp(
  host: string,
  port: number,
  readMs = 100,
): Promise<{ received: string; closedByPeer: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host, port });
    let received = '';
    let closedByPeer = false;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
    });
    socket.on('end', () => {
      closedByPeer = true;
    });
    socket.on('error', reject);
    socket.once('connect', () =>
      setTimeout(() => {
        socket.destroy();
        resolve({ received, closedByPeer });
      }, readMs),
    );
  });
}

/** Completes a TLS handshake without verifying and returns the peer's leaf certificate's expiry (Unix ms). */
export function certificateExpiry(host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host, port, rejectUnauthorized: false }, () => {
      const expiresAt = Date.parse(socket.getPeerCertificate().valid_to);
      socket.destroy();
      resolve(expiresAt);
    });
    socket.once('error', reject);
  });
}

function buildQuery(id: number, name: string, type: number): Buffer {
  const labels = name.split('.').filter(Boolean);
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x0100, 2);
  header.writeUInt16BE(1, 4);
  return Buffer.concat([
    header,
    ...labels.map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label, 'latin1')])),
    Buffer.from([0, type >> 8, type & 0xff, 0, 1]),
  ]);
}

function readResponse(packet: Buffer): { rcode: number; addresses: string[] } {
  let offset = HEADER_BYTES;
  while ((packet[offset] ?? 0) !== 0) offset += 1 + (packet[offset] as number);
  offset += 5;
  const addresses: string[] = [];
  for (let i = 0; i < packet.readUInt16BE(6); i++) {
    const length = packet.readUInt16BE(offset + 10);
    if (packet.readUInt16BE(offset + 2) === 1)
      addresses.push([...packet.subarray(offset + 12, offset + 16)].join('.'));
    offset += 12 + length;
  }
  return { rcode: packet.readUInt16BE(2) & 0x0f, addresses };
}
