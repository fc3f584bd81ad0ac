import { type ChildProcess, execFileSync, type SpawnOptions, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';

/** Children and temp dirs of the probe bench; stopped and removed on exit, Ctrl-C and errors. */
const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let hooked = false;
let interrupted = false;

const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

function cleanUpNow(): void {
  for (const child of children) if (running(child)) child.kill('SIGKILL');
  for (const dir of tempDirs) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    } catch {
      // Best effort on the way out.
    }
  }
}

async function interrupt(signal: NodeJS.Signals): Promise<void> {
  if (interrupted) {
    cleanUpNow();
    process.exit(130);
  }
  interrupted = true;
  console.error(`\nprobe bench: ${signal}, stopping ${children.size} child process(es)`);
  // SIGTERM first, so a child bench removes its own temp dir and Prometheus closes its TSDB.
  const exits = [...children].filter(running).map((child) => {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    return exited;
  });
  await Promise.race([Promise.all(exits), sleep(5_000)]);
  cleanUpNow();
  process.exit(130);
}

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.once('exit', cleanUpNow);
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
}

/** Removes `dir` if the process exits or is interrupted before the returned function is called. */
export function removeOnExit(dir: string): () => void {
  hookExit();
  tempDirs.add(dir);
  return () => tempDirs.delete(dir);
}

/** Spawns a child that is killed if this process exits, is interrupted or fails before stopping it. */
export function spawnTracked(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  hookExit();
  const child = spawn(command, args, options);
  children.add(child);
  child.once('exit', () => children.delete(child));
  child.once('error', () => children.delete(child));
  return child;
}

/** Sends SIGTERM, waits up to `timeoutMs` for the child to exit, then SIGKILL. */
export async function stopChild(child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), timeoutMs);
  });
  if (await Promise.race([exited.then(() => false), timedOut])) {
    child.kill('SIGKILL');
    await exited;
  }
  clearTimeout(timer);
}

/** A TCP port on 127.0.0.1 that was free a moment ago (the kernel's pick). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` every `everyMs` until it returns true or `timeoutMs` passes; returns whether it did. */
export async function waitUntil(
  check: () => Promise<boolean>,
  options: { timeoutMs: number; everyMs: number },
): Promise<boolean> {
  const deadline = performance.now() + options.timeoutMs;
  const attempts = Math.ceil(options.timeoutMs / options.everyMs) + 1;
  for (let i = 0; i < attempts && performance.now() < deadline; i++) {
    if (await check().catch(() => false)) return true;
    await sleep(options.everyMs);
  }
  return false;
}

let clockTicks: number | undefined;

/** Kernel clock ticks per second, the unit of utime/stime in /proc/<pid>/stat (usually 100). */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** A process's CPU time so far (user + system, all threads) and resident set, from /proc. */
export interface ProcSample {
  cpuSeconds: number;
  rssBytes: number;
}

/** Reads /proc/<pid>/stat (utime, stime: fields 14 and 15) and /proc/<pid>/status (VmRSS). */
export function readProc(pid: number): ProcSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Field 2 (the command) is in parentheses and may hold spaces: count fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rssKiB = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return { cpuSeconds: ticks / ticksPerSecond(), rssBytes: Number(rssKiB ?? 0) * 1024 };
}

/** Whether a command is on PATH (or an executable path). */
export function hasCommand(command: string): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v "$0"', command], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Nearest-rank percentile of an ascending array; NaN when empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
  );
}
