/**
 * The service under test: `node src/cli/main.ts serve` in its own process (so the load generator
 * never shares its event loop) on the bench's config and a fresh SQLite file, its output in a log
 * file. Optionally under `--cpu-prof`.
 */
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { freePort, spawnTracked, stopChild, waitUntil } from '../probes/processes.ts';
import { type BenchCatalog, benchConfigYaml } from './catalog.ts';

const CLI = new URL('../../src/cli/main.ts', import.meta.url).pathname;

export interface BenchService {
  url: string;
  pid: number;
  dbPath: string;
  /** SIGTERM (graceful: pending commits finish), SIGKILL after 20 s. */
  stop(): Promise<void>;
}

export interface StartOptions {
  catalog: BenchCatalog;
  /** Folder for the config, the SQLite file and the log. */
  dir: string;
  /** A name for this run's files, e.g. `events-full`. */
  name: string;
  synchronous: 'full' | 'normal';
  /** Write a V8 CPU profile of the whole service process into this folder. */
  profileDir?: string;
}

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Starts the service and waits until `/readyz` answers 200. */
export async function startBenchService(options: StartOptions): Promise<BenchService> {
  const port = await freePort();
  const dbPath = join(options.dir, `${options.name}.db`);
  const configPath = join(options.dir, `${options.name}.yaml`);
  const logPath = join(options.dir, `${options.name}.log`);
  writeFileSync(
    configPath,
    benchConfigYaml(options.catalog, { port, dbPath, synchronous: options.synchronous }),
  );
  const nodeFlags = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [];
  const log = openSync(logPath, 'a');
  let child: ReturnType<typeof spawnTracked>;
  try {
    child = spawnTracked(process.execPath, [...nodeFlags, CLI, 'serve', '-c', configPath], {
      stdio: ['ignore', log, log],
    });
  } finally {
    closeSync(log);
  }
  const url = `http://127.0.0.1:${port}`;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const ready = await waitUntil(
    async () => {
      if (exited) throw new Error('exited');
      return (await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) })).ok;
    },
    { timeoutMs: 60_000, everyMs: 200 },
  );
  if (!ready) {
    await stopChild(child, 2_000);
    throw new Error(`the service did not become ready (log ${logPath}):\n${tail(logPath)}`);
  }
  return { url, pid: child.pid ?? 0, dbPath, stop: () => stopChild(child, 20_000) };
}

/** Counts in the stopped service's file, opened read-only: stored events and calls counted from spans. */
export function storedCounts(dbPath: string): { events: number; calls: number; edgeCalls: number } {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const one = (sql: string) => Number(db.prepare(sql).pluck().get() ?? 0);
    return {
      events: one('SELECT count(*) FROM events'),
      calls: one(
        'SELECT coalesce(sum(success + client_error + server_error + error), 0) FROM request_minutes',
      ),
      edgeCalls: one('SELECT coalesce(sum(calls), 0) FROM discovered_edges'),
    };
  } finally {
    db.close();
  }
}
