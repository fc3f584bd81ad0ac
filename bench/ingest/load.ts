/**
 * The ingest bench's load generator: a few clients, each posting one pre-built body after another
 * over its own keep-alive connection, for a warm-up and then a measured window. Only 2xx answers
 * count; 429 and 503 are honoured with their Retry-After (at most 1 s), as an exporter would.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { cpus } from 'node:os';
import { percentile, readProc } from '../probes/processes.ts';

/** One request's body and the number of items (events, spans) it carries. */
export interface LoadItem {
  body: Buffer;
  units: number;
}

export interface LoadOptions<T extends LoadItem> {
  /** Full URL of the endpoint, e.g. `http://127.0.0.1:9480/v1/events`. */
  url: string;
  contentType: string;
  clients: number;
  warmupMs: number;
  windowMs: number;
  /** The next request to send. */
  next(): T;
  /**
   * Items acknowledged by one 2xx answer (default: all that were sent); throws when the answer
   * says something was not taken, which the bench reports as a failure.
   */
  acknowledged?(sent: number, answer: Buffer): number;
  /** Called for every request answered with 2xx (warm-up and drain included). */
  onAcked?(item: T): void;
  /** Process whose CPU is read from /proc at the start and end of the window (the service). */
  servicePid?: number;
}

export interface LoadResult {
  /** Measured window, s (wall clock). */
  windowSeconds: number;
  /** Items acknowledged by 2xx answers that arrived in the window (sent before it or in it). */
  windowUnits: number;
  unitsPerSecond: number;
  /** Latency of the window's 2xx requests, ms: send to full answer. */
  latencyMs: { p50: number; p99: number; max: number };
  windowRequests: number;
  /** Items acknowledged over the whole run: warm-up, window and the requests still in flight at its end. */
  ackedUnits: number;
  /** Non-2xx answers and transport errors over the whole run, by status (or error code). */
  rejected: Record<string, number>;
  /** First few rejection bodies, for the notes. */
  rejectionSamples: string[];
  /** Service CPU over the window as a share of one core (user + system, all threads). */
  serviceCpuShare?: number;
  /** This process's CPU over the window as a share of one core. */
  generatorCpuShare: number;
  /**
   * CPU used over the window by everything else on the machine (the whole machine's busy time from
   * /proc/stat, less the service and this process), as a share of one core: other load skews the figures.
   */
  otherCpuShare?: number;
}

/** Busy and total jiffies of all CPUs together, from the first line of /proc/stat. */
export function machineTicks(): { busy: number; total: number } | undefined {
  try {
    const fields =
      readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
    // user nice system idle iowait irq softirq steal (guest time is already in user and nice)
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
    const busy = user + nice + system + irq + softirq + steal;
    return { busy, total: busy + idle + iowait };
  } catch {
    return undefined;
  }
}

interface Answer {
  status: number;
  body: Buffer;
  retryAfterMs: number;
}

function post(agent: http.Agent, url: URL, contentType: string, body: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': contentType, 'content-length': body.length },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks),
            retryAfterMs: Math.min(1_000, Number(res.headers['retry-after'] ?? 1) * 1_000 || 1_000),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The machine's busy time between two samples, in cores (2 = both cores of two busy all along). */
export function machineShare(
  from: ReturnType<typeof machineTicks>,
  to: ReturnType<typeof machineTicks>,
): number | undefined {
  return from && to && to.total > from.total
    ? ((to.busy - from.busy) / (to.total - from.total)) * cpus().length
    : undefined;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs the clients for the warm-up and the window, waits for requests in flight, and measures. */
export async function runLoad<T extends LoadItem>(options: LoadOptions<T>): Promise<LoadResult> {
  const url = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.clients });
  const acknowledged = options.acknowledged ?? ((sent) => sent);
  const latencies: number[] = [];
  const rejected: Record<string, number> = {};
  const rejectionSamples: string[] = [];
  let phase: 'warmup' | 'window' | 'done' = 'warmup';
  let windowUnits = 0;
  let ackedUnits = 0;
  const reject = (key: string, sample: string) => {
    rejected[key] = (rejected[key] ?? 0) + 1;
    if (rejectionSamples.length < 3) rejectionSamples.push(`${key}: ${sample.slice(0, 300)}`);
  };

  async function client(): Promise<void> {
    while (phase !== 'done') {
      const item = options.next();
      const { body, units } = item;
      const started = performance.now();
      let answer: Answer;
      try {
        answer = await post(agent, url, options.contentType, body);
      } catch (error) {
        reject((error as NodeJS.ErrnoException).code ?? 'error', (error as Error).message);
        await sleep(100);
        continue;
      }
      const ms = performance.now() - started;
      if (answer.status >= 200 && answer.status < 300) {
        let taken: number;
        try {
          taken = acknowledged(units, answer.body);
        } catch (error) {
          reject(`${answer.status} partial`, (error as Error).message);
          continue;
        }
        ackedUnits += taken;
        options.onAcked?.(item);
        // Throughput is answers per second: a request counts in the window it was answered in.
        if (phase === 'window') {
          windowUnits += taken;
          latencies.push(ms);
        }
      } else {
        reject(String(answer.status), answer.body.toString('utf8'));
        if (answer.status === 429 || answer.status === 503) await sleep(answer.retryAfterMs);
      }
    }
  }

  const clients = Array.from({ length: options.clients }, client);
  await sleep(options.warmupMs);
  const proc0 = options.servicePid ? readProc(options.servicePid) : undefined;
  const cpu0 = process.cpuUsage();
  const ticks0 = machineTicks();
  const wall0 = performance.now();
  phase = 'window';
  await sleep(options.windowMs);
  phase = 'done';
  const windowSeconds = (performance.now() - wall0) / 1_000;
  const cpu = process.cpuUsage(cpu0);
  const ticks1 = machineTicks();
  const proc1 = options.servicePid ? readProc(options.servicePid) : undefined;
  await Promise.all(clients);
  agent.destroy();

  const sorted = Float64Array.from(latencies).sort();
  const generatorCpuShare = (cpu.user + cpu.system) / 1e6 / windowSeconds;
  const serviceCpuShare = proc0 && proc1 ? (proc1.cpuSeconds - proc0.cpuSeconds) / windowSeconds : undefined;
  const machineCpuShare = machineShare(ticks0, ticks1);
  return {
    windowSeconds,
    windowUnits,
    unitsPerSecond: windowUnits / windowSeconds,
    latencyMs: { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN },
    windowRequests: latencies.length,
    ackedUnits,
    rejected,
    rejectionSamples,
    ...(serviceCpuShare !== undefined && { serviceCpuShare }),
    generatorCpuShare,
    ...(machineCpuShare !== undefined &&
      serviceCpuShare !== undefined && {
        otherCpuShare: Math.max(0, machineCpuShare - serviceCpuShare - generatorCpuShare),
      }),
  };
}
