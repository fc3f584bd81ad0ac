import type { RollupResolution, Store } from '../db/index.ts';
import type { Job } from './scheduler.ts';

/** An availability window and the rollup resolution it is summed from. */
export interface AvailabilityWindow {
  /** Label value, e.g. `1h`. */
  name: string;
  ms: number;
  resolution: RollupResolution;
}

/** 1h from minute rollups, 24h from hour rollups, 30d from day rollups. */
export const AVAILABILITY_WINDOWS: AvailabilityWindow[] = [
  { name: '1h', ms: 3_600_000, resolution: 'minute' },
  { name: '24h', ms: 86_400_000, resolution: 'hour' },
  { name: '30d', ms: 2_592_000_000, resolution: 'day' },
];

/** Availability per integration and window name. */
export type AvailabilityTable = Map<string, Record<string, number>>;

export interface AvailabilityJobOptions {
  store: Store;
  schedule: string;
  windows?: AvailabilityWindow[];
  /** Receives the new table after each run. */
  publish: (table: AvailabilityTable) => void;
}

/**
 * Sums the probe rollups over each window into runs and successes per integration, so scrapes
 * and the API read a ready table instead of scanning rollups. A window counts the buckets that
 * start inside it, so the 24h and 30d figures move in hour and day steps.
 */
export function availabilityJob(options: AvailabilityJobOptions): Job {
  const windows = options.windows ?? AVAILABILITY_WINDOWS;
  return {
    name: 'availability',
    schedule: options.schedule,
    async run({ now }) {
      const table: AvailabilityTable = new Map();
      for (const window of windows) {
        const rows = await options.store.availability({
          resolution: window.resolution,
          from: now - window.ms,
          to: now + 1,
        });
        for (const row of rows) {
          if (row.runs === 0) continue;
          const entry = table.get(row.integrationId) ?? {};
          entry[window.name] = row.successes / row.runs;
          table.set(row.integrationId, entry);
        }
      }
      options.publish(table);
    },
  };
}
