/**
 * The probe bench's loopback target: answers every path with `200 {"status":"ok"}` and counts the
 * requests by User-Agent, so a bench can check how many probes really reached it. `GET /__stats`
 * returns the counts (and is not counted). It runs in its own process so that its CPU is never
 * counted as the prober's.
 *
 * Run: `node bench/probes/target-server.ts --port 0` (prints `{"port":N}` once listening).
 */
import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { spawnTracked, stopChild } from './processes.ts';

const BODY = Buffer.from('{"status":"ok"}');
const STATS_PATH = '/__stats';

/** Requests the target answered since it started, by User-Agent. */
export interface TargetStats {
  requests: number;
  byAgent: Record<string, number>;
}

/** A target server running in a child process. */
export interface TargetServer {
  port: number;
  pid: number;
  stop(): Promise<void>;
}

function serve(port: number): void {
  const stats: TargetStats = { requests: 0, byAgent: {} };
  const server = http.createServer((req, res) => {
    if (req.url === STATS_PATH) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
      return;
    }
    stats.requests += 1;
    const agent = req.headers['user-agent'] ?? '';
    stats.byAgent[agent] = (stats.byAgent[agent] ?? 0) + 1;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': BODY.length }).end(BODY);
  });
  server.listen({ port, host: '127.0.0.1', backlog: 4096 }, () => {
    const address = server.address();
    process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address?.port })}\n`);
  });
  const stop = () => process.exit(0);
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // Exit with the parent: a bench that died must not leave its target behind.
  process.stdin.resume();
  process.stdin.once('end', () => process.exit(0));
}

/** Starts the target in a child process on `port` (0: any free one) and waits until it listens. */
export async function spawnTargetServer(port = 0): Promise<TargetServer> {
  const child: ChildProcess = spawnTracked(
    process.execPath,
    [new URL(import.meta.url).pathname, '--port', String(port)],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! });
  let timer: NodeJS.Timeout | undefined;
  try {
    const listening = await Promise.race([
      new Promise<number>((resolve, reject) => {
        lines.once('line', (line) => resolve(Number((JSON.parse(line) as { port: number }).port)));
        child.once('exit', (code) => reject(new Error(`target server exited with ${code}`)));
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('target server did not start within 10 s')), 10_000);
      }),
    ]);
    return { port: listening, pid: child.pid ?? 0, stop: () => stopChild(child, 5_000) };
  } catch (error) {
    await stopChild(child, 1_000);
    throw error;
  } finally {
    clearTimeout(timer);
    lines.close();
  }
}

/** Reads the target's request counts (one small loopback request; not counted). */
export function readTargetStats(port: number): Promise<TargetStats> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path: STATS_PATH, agent: false, timeout: 5_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as TargetStats);
          } catch (error) {
            reject(error);
          }
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('target stats timed out')));
    req.on('error', reject);
  });
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '0' } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error('usage: node bench/probes/target-server.ts [--port 0]');
    process.exit(2);
  }
  serve(port);
}
