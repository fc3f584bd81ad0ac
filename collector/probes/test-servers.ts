/**
 * Real loopback servers and certificates for the probe tests: HTTP(S), TCP and a tiny UDP DNS
 * server. Everything listens on 127.0.0.1 on a port the OS picks; nothing touches the network.
 */

import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { type AddressInfo, createServer, type LookupFunction, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

/** A server started for one test file, and how to reach and stop it. */
export interface TestServer {
  port: number;
  /** `http(s)://localhost:port` + path (a name, so the `dns` phase happens). */
  url(path?: string): string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

function started(server: Server, scheme: string): Promise<TestServer> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        port,
        url: (path = '/') => `${scheme}://localhost:${port}${path}`,
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** Starts an HTTP server on loopback. */
export function startHttpServer(handler: http.RequestListener): Promise<TestServer> {
  return started(http.createServer(handler), 'http');
}

/** Starts an HTTPS server on loopback with the given certificate (and client-certificate options). */
export function startHttpsServer(
  handler: http.RequestListener,
  options: https.ServerOptions,
): Promise<TestServer> {
  return started(https.createServer(options, handler), 'https');
}

/** Starts a TCP server on loopback; `url()` is `tcp://localhost:port`. */
export function startTcpServer(onConnection: (socket: Socket) => void): Promise<TestServer> {
  return started(createServer(onConnection), 'tcp');
}

/** A port nothing listens on: listened on, then closed. */
export async function freePort(): Promise<number> {
  const server = await startTcpServer(() => {});
  await server.close();
  return server.port;
}

/** A certificate and its key, in PEM. */
export interface TestCertificate {
  cert: string;
  key: string;
  /** A client certificate and key signed by this certificate's key, when asked for. */
  clientCert?: string | undefined;
  clientKey?: string | undefined;
}

/** Options of {@link createCertificate}. */
export interface TestCertificateOptions {
  /** Names the certificate is for (default ['localhost']; 127.0.0.1 is always added). */
  names?: string[];
  /** Validity start (default: now minus one minute). */
  notBefore?: Date;
  /** Validity end (default: notBefore plus one day). */
  notAfter?: Date;
  /** Also issue a client certificate signed by this one (default false). */
  client?: boolean;
}

/** Generates a self-signed EC certificate that can also sign (so it can be trusted as a CA). */
export async function createCertificate(options: TestCertificateOptions = {}): Promise<TestCertificate> {
  const names = options.names ?? ['localhost'];
  const notBeforeDate = options.notBefore ?? new Date(Date.now() - 60_000);
  const notAfterDate = options.notAfter ?? new Date(notBeforeDate.getTime() + 86_400_000);
  const pems = await generate([{ name: 'commonName', value: names[0] }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
      {
        name: 'subjectAltName',
        altNames: [...names.map((value) => ({ type: 2 as const, value })), { type: 7, ip: HOST }],
      },
    ],
    ...(options.client && {
      clientCertificate: { cn: 'ecotone-probe', keyType: 'ec' as const, algorithm: 'sha256' },
    }),
  });
  return { cert: pems.cert, key: pems.private, clientCert: pems.clientcert, clientKey: pems.clientprivate };
}

/** A temporary folder for PEM files; `remove()` deletes it. */
export function pemFolder(): { write(name: string, text: string): string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'ecotone-probes-'));
  return {
    write(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A loopback DNS server and its address as a probe's `server` takes it. */
export interface TestDnsServer {
  port: number;
  /** `127.0.0.1:port`. */
  server: string;
  close(): Promise<void>;
}

const TYPE_A = 1;
const RCODE_NXDOMAIN = 3;

interface Question {
  id: number;
  name: string;
  type: number;
  bytes: Buffer;
}

function parseQuestion(message: Buffer): Question | undefined {
  if (message.length < 12) return undefined;
  const labels: string[] = [];
  let offset = 12;
  while (offset < message.length && message[offset] !== 0) {
    const length = message[offset]!;
    labels.push(message.toString('ascii', offset + 1, offset + 1 + length));
    offset += 1 + length;
  }
  const end = offset + 5;
  if (end > message.length) return undefined;
  return {
    id: message.readUInt16BE(0),
    name: labels.join('.').toLowerCase(),
    type: message.readUInt16BE(offset + 1),
    bytes: message.subarray(12, end),
  };
}

function reply(question: Question, records: Record<string, string[]>): Buffer {
  const addresses = records[question.name];
  const answers = question.type === TYPE_A ? (addresses ?? []) : [];
  const header = Buffer.alloc(12);
  header.writeUInt16BE(question.id, 0);
  header.writeUInt16BE(0x8180 | (addresses === undefined ? RCODE_NXDOMAIN : 0), 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  const answerRecords = answers.map((address) => {
    const record = Buffer.alloc(16);
    record.writeUInt16BE(0xc00c, 0);
    record.writeUInt16BE(TYPE_A, 2);
    record.writeUInt16BE(1, 4);
    record.writeUInt32BE(60, 6);
    record.writeUInt16BE(4, 10);
    address.split('.').forEach((octet, i) => {
      record[12 + i] = Number(octet);
    });
    return record;
  });
  return Buffer.concat([header, question.bytes, ...answerRecords]);
}

/**
 * Starts a minimal UDP DNS server on loopback: A records for the names in `records` (lower case),
 * an empty answer (NODATA) for their other types, NXDOMAIN for any other name. With `silent` it
 * never answers.
 */
export function startDnsServer(
  records: Record<string, string[]>,
  options: { silent?: boolean } = {},
): Promise<TestDnsServer> {
  const socket = createSocket('udp4');
  socket.on('message', (message, peer) => {
    const question = parseQuestion(message);
    if (question && !options.silent) socket.send(reply(question, records), peer.port, peer.address);
  });
  return new Promise((resolve) => {
    socket.bind(0, HOST, () => {
      const { port } = socket.address();
      resolve({
        port,
        server: `${HOST}:${port}`,
        close: () => new Promise((done) => socket.close(() => done())),
      });
    });
  });
}

/** A `lookup` for sockets that asks the loopback DNS server at `server` for A records. */
export function loopbackLookup(server: string): LookupFunction {
  return (hostname, options, callback) => {
    const resolver = new Resolver();
    resolver.setServers([server]);
    resolver.resolve4(hostname, (error, addresses) => {
      if (error) callback(error, '', 4);
      else if (options.all)
        callback(
          null,
          addresses.map((address) => ({ address, family: 4 })),
        );
      else callback(null, addresses[0] ?? '', 4);
    });
  };
}
