import { createTask, type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { JobRun } from '../db/index.ts';

export interface JobContext {
  /** Aborted when the scheduler stops; long jobs check it between batches. */
  signal: AbortSignal;
  /** When the run started (Unix ms). */
  now: number;
  logger: Logger;
}

/** A named unit of scheduled work. It may throw: the scheduler records the failure and carries on. */
export interface Job {
  name: string;
  /** Cron expression, validated when the config is loaded. */
  schedule: string;
  run(context: JobContext): Promise<void>;
}

export interface SchedulerOptions {
  logger: Logger;
  /** Called after every run with its outcome; errors it throws are logged, never propagated. */
  onRun?: (run: JobRun) => void | Promise<void>;
  /** Time source (default `Date.now`). */
  now?: () => number;
}

export interface Scheduler {
  add(job: Job): void;
  start(): void;
  /** Stops the timers, aborts running jobs and waits for them up to `timeoutMs`. */
  stop(timeoutMs: number): Promise<void>;
  isRunning(): boolean;
  /** Runs a job now (as a tick would); resolves with the run, or `undefined` if it was already running. */
  runNow(name: string): Promise<JobRun | undefined>;
  jobNames(): string[];
}

interface Entry {
  job: Job;
  task?: ScheduledTask;
  inFlight?: Promise<JobRun>;
}

/**
 * A small runner over node-cron: one task per job, never two runs of a job at once (a tick that
 * finds the previous run still going is skipped and logged), every run timed and reported.
 *
 * @example
 * const scheduler = createScheduler({ logger, onRun: (run) => metrics.record(run) });
 * scheduler.add(retentionJob({ store, settings }));
 * scheduler.start();
 */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const { logger } = options;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  let controller = new AbortController();
  let running = false;

  async function execute(entry: Entry): Promise<JobRun> {
    const { job } = entry;
    const startedAt = now();
    const started = performance.now();
    const log = logger.child({ job: job.name });
    let run: JobRun;
    try {
      await job.run({ signal: controller.signal, now: startedAt, logger: log });
      run = { job: job.name, startedAt, durationMs: performance.now() - started, outcome: 'success' };
      log.debug({ durationMs: Math.round(run.durationMs) }, 'job finished');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      run = {
        job: job.name,
        startedAt,
        durationMs: performance.now() - started,
        outcome: 'failure',
        error: message,
      };
      log.error({ err: error, durationMs: Math.round(run.durationMs) }, 'job failed');
    }
    try {
      await options.onRun?.(run);
    } catch (error) {
      log.warn({ err: error }, 'could not record job run');
    }
    return run;
  }

  function trigger(entry: Entry): Promise<JobRun> | undefined {
    if (entry.inFlight) {
      logger.warn({ job: entry.job.name }, 'job skipped: previous run still going');
      return undefined;
    }
    const inFlight = execute(entry).finally(() => {
      entry.inFlight = undefined;
    });
    entry.inFlight = inFlight;
    return inFlight;
  }

  return {
    add(job) {
      if (entries.has(job.name)) throw new Error(`job "${job.name}" is already scheduled`);
      const entry: Entry = { job };
      entries.set(job.name, entry);
      if (running) entry.task = startTask(entry);
    },
    start() {
      if (running) return;
      running = true;
      controller = new AbortController();
      for (const entry of entries.values()) entry.task = startTask(entry);
      logger.info(
        { jobs: [...entries.values()].map((e) => `${e.job.name} (${e.job.schedule})`) },
        'scheduler started',
      );
    },
    async stop(timeoutMs) {
      if (!running) return;
      running = false;
      for (const entry of entries.values()) {
        await entry.task?.destroy();
        entry.task = undefined;
      }
      controller.abort(new Error('scheduler stopping'));
      const inFlight = [...entries.values()].flatMap((e) => (e.inFlight ? [e.inFlight] : []));
      if (inFlight.length === 0) return;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const outcome = await Promise.race([Promise.allSettled(inFlight), timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout')
        logger.warn({ jobs: inFlight.length, timeoutMs }, 'jobs still running at shutdown');
    },
    isRunning: () => running,
    async runNow(name) {
      const entry = entries.get(name);
      if (!entry) throw new Error(`no job named "${name}"`);
      return trigger(entry);
    },
    jobNames: () => [...entries.keys()],
  };

  function startTask(entry: Entry): ScheduledTask {
    const task = createTask(
      entry.job.schedule,
      () => {
        void trigger(entry);
      },
      { name: entry.job.name },
    );
    void task.start();
    return task;
  }
}
