import type { Logger } from 'pino';
import type { ProbeResult, ProbeSpec } from './types.ts';

/** One integration's probe as the scheduler runs it. */
export interface ProbeTarget {
  integrationId: string;
  spec: ProbeSpec;
  /** Changes whenever the spec does; an unchanged version keeps the running schedule. */
  version: string;
}

/** A finished run, with when it was due and when it started (Unix ms). */
export interface ScheduledRun {
  target: ProbeTarget;
  result: ProbeResult;
  scheduledAt: number;
  startedAt: number;
}

export interface ProbeSchedulerOptions {
  /** The probes to run now: read at start and every `refreshMs`. */
  targets: () => Promise<ProbeTarget[]>;
  /** How often to look for catalog changes, in ms. */
  refreshMs: number;
  /** Most runs in flight at once; further due runs wait their turn. */
  concurrency: number;
  /** Runs one probe (`runProbe` with the target's conditions); must not throw. */
  run: (target: ProbeTarget, signal: AbortSignal) => Promise<ProbeResult>;
  onRun: (run: ScheduledRun) => void;
  logger: Logger;
  now?: () => number;
}

export interface ProbeScheduler {
  start(): Promise<void>;
  /** Stops scheduling, aborts runs in flight and waits for them up to `timeoutMs`. */
  stop(timeoutMs: number): Promise<void>;
  /** Reads the targets again now (after an apply). */
  refresh(): Promise<void>;
  /** Runs one integration's probe now, outside its schedule, and reports it like any run; undefined if it has none. */
  runNow(integrationId: string): Promise<ScheduledRun | undefined>;
  /** Integrations being probed. */
  size(): number;
}

interface Entry {
  target: ProbeTarget;
  offset: number;
  timer?: NodeJS.Timeout;
  inFlight: boolean;
}

/** A stable offset in [0, interval) from the id, so N probes with one interval spread over it. */
export function phaseOffset(id: string, interval: number): number {
  let hash = 2166136261;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 16777619);
  return (hash >>> 0) % interval;
}

/** The first time after `now` on the grid `offset + k * interval`. */
export function nextSlot(now: number, interval: number, offset: number): number {
  return now + interval - ((((now - offset) % interval) + interval) % interval);
}

/**
 * Runs every target at its interval. Each target has a fixed phase on its interval's grid
 * (derived from its id), so runs are spread evenly and never drift. A global bound limits runs in
 * flight; a target whose previous run is still going skips that slot. A slow or hung target only
 * holds its own slot and one unit of concurrency until its timeout, never the others' timers.
 */
export function createProbeScheduler(options: ProbeSchedulerOptions): ProbeScheduler {
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const waiting: (() => void)[] = [];
  const inFlight = new Set<Promise<void>>();
  let active = 0;
  let controller = new AbortController();
  let running = false;
  let refreshTimer: NodeJS.Timeout | undefined;

  async function acquire(): Promise<void> {
    if (active < options.concurrency) {
      active += 1;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  }

  function release(): void {
    const next = waiting.shift();
    if (next) next();
    else active -= 1;
  }

  /** One run, within the concurrency bound; `stop` waits for it (and for `onRun`) up to its bound. */
  function execute(entry: Entry, scheduledAt: number): Promise<ScheduledRun> {
    const run = (async () => {
      await acquire();
      try {
        const startedAt = now();
        const result = await options.run(entry.target, controller.signal);
        return { target: entry.target, result, scheduledAt, startedAt };
      } finally {
        release();
      }
    })();
    const reported = run.then((done) => {
      if (running) options.onRun(done);
      return done;
    });
    const forget = (): void => {
      inFlight.delete(settled);
    };
    const settled: Promise<void> = reported.then(forget, forget);
    inFlight.add(settled);
    return reported;
  }

  function schedule(entry: Entry, after: number): void {
    const at = nextSlot(after, entry.target.spec.interval, entry.offset);
    entry.timer = setTimeout(() => fire(entry, at), Math.max(0, at - now()));
    entry.timer.unref?.();
  }

  function fire(entry: Entry, scheduledAt: number): void {
    if (!running || entries.get(entry.target.integrationId) !== entry) return;
    schedule(entry, scheduledAt);
    if (entry.inFlight) {
      options.logger.debug(
        { integration: entry.target.integrationId },
        'probe slot skipped: previous run still going',
      );
      return;
    }
    entry.inFlight = true;
    execute(entry, scheduledAt)
      .catch((error) =>
        options.logger.error({ err: error, integration: entry.target.integrationId }, 'probe run failed'),
      )
      .finally(() => {
        entry.inFlight = false;
      });
  }

  async function refresh(): Promise<void> {
    let targets: ProbeTarget[];
    try {
      targets = await options.targets();
    } catch (error) {
      options.logger.error({ err: error }, 'could not read probe targets; keeping the current ones');
      return;
    }
    const seen = new Set<string>();
    for (const target of targets) {
      seen.add(target.integrationId);
      const current = entries.get(target.integrationId);
      if (current?.target.version === target.version) continue;
      if (current) clearTimeout(current.timer);
      const entry: Entry = {
        target,
        offset: phaseOffset(target.integrationId, target.spec.interval),
        inFlight: false,
      };
      entries.set(target.integrationId, entry);
      if (running) schedule(entry, now());
    }
    for (const [id, entry] of entries) {
      if (seen.has(id)) continue;
      clearTimeout(entry.timer);
      entries.delete(id);
    }
  }

  function scheduleRefresh(): void {
    refreshTimer = setTimeout(async () => {
      await refresh();
      if (running) scheduleRefresh();
    }, options.refreshMs);
    refreshTimer.unref?.();
  }

  return {
    async start() {
      if (running) return;
      running = true;
      controller = new AbortController();
      await refresh();
      for (const entry of entries.values()) if (!entry.timer) schedule(entry, now());
      scheduleRefresh();
      options.logger.info({ probes: entries.size, concurrency: options.concurrency }, 'prober started');
    },
    async stop(timeoutMs) {
      if (!running) return;
      running = false;
      clearTimeout(refreshTimer);
      for (const entry of entries.values()) clearTimeout(entry.timer);
      controller.abort(new Error('prober stopping'));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
        }),
      ]);
      clearTimeout(timer);
    },
    refresh,
    async runNow(integrationId) {
      const entry = entries.get(integrationId);
      if (!entry) return undefined;
      return execute(entry, now());
    },
    size: () => entries.size,
  };
}
