/**
 * KPI engine bench: loads a store file with N events over 30 days (default 10 million), 30 days
 * of probe rollups and the last two hours of traced calls for 2,000 integrations, then times
 * (a) one full recompute (every KPI job from an empty watermark), (b) one incremental run of each
 * family after one minute of new data at 10,000 events/s, each run folding its family's share
 * of the minute, (b′) the same after a second minute that arrives in 10-second slices with the
 * `kpi:fold` job after each slice but the last (the service's default schedule; the runs fold
 * the last slice, as a run that starts just before the fold job's tick does), and (c) a run
 * with nothing new. Prints a table (ms per job), the
 * fold job's time per slice, the every-minute jobs (usage, health) together, the slowest job,
 * the process RSS, and a fixed reference workload timed before and after (the machine's speed).
 *
 *   node bench/kpis/run.ts [--events 10000000] [--integrations 2000] [--file /tmp/kpi-bench.db]
 */
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { hash32 } from '../../db/hll.ts';
import { type CatalogSnapshot, openStore, ROLLUP_DURATION_BUCKETS_SECONDS } from '../../db/index.ts';
import { KPI_FAMILIES, type KpiTask, kpiJobs } from '../../jobs/kpi/index.ts';
import { kpiSettingsSchema } from '../../src/config/settings-schema.ts';
import { seededRandom } from '../../src/demo/random.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '10000000' },
    integrations: { type: 'string', default: '2000' },
    file: { type: 'string', default: '/tmp/ecotone-kpi-bench.db' },
  },
});
const EVENTS = Number(values.events);
const INTEGRATIONS = Number(values.integrations);
const FILE = values.file as string;
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = Math.floor(Date.now() / MIN) * MIN;
const PER_SECOND = 10_000;

/**
 * mulberry32, the demo's generator: full 2^32 period. (An LCG in plain doubles loses its low bits
 * to rounding and cycles after ~16,000 draws, which left 1,400 distinct users instead of 200,000.)
 */
const random = seededRandom(42);
const int = (n: number) => Math.floor(random() * n);
const mb = (bytes: number) => `${Math.round(bytes / 1_048_576)} MB`;
let maxRss = 0;
const rss = () => {
  const r = process.memoryUsage().rss;
  maxRss = Math.max(maxRss, r);
  return r;
};

for (const suffix of ['', '-wal', '-shm']) rmSync(FILE + suffix, { force: true });
/** The product's defaults of settings.kpis: the fold's batchSize, the worker's page cache. */
const KPI_DEFAULTS = kpiSettingsSchema.parse({});
// As the service's KPI worker opens it (settings.kpis.cacheSize).
const store = openStore({ path: FILE, synchronous: 'normal', cacheSize: KPI_DEFAULTS.cacheSize });

const ROLES = ['partner', 'supplier', 'customer'];
const snapshot: CatalogSnapshot = {
  participants: [
    { id: 'us', name: 'us', role: 'orchestrator', country: 'DE', stage: 'active', spec: {} },
    ...Array.from({ length: 200 }, (_, i) => ({
      id: `p${i}`,
      name: `p${i}`,
      role: ROLES[i % 3] as string,
      country: ['DE', 'FR', 'NL', 'US', 'GB', 'PL'][i % 6] as string,
      stage: 'active',
      spec: { lifecycle: { signed: '2025-01-01', firstValue: `2025-0${1 + (i % 9)}-15` } },
    })),
  ],
  systems: [
    { id: 'core', name: 'core', participantId: 'us', kind: 'application', spec: {} },
    ...Array.from({ length: 400 }, (_, i) => ({
      id: `s${i}`,
      name: `s${i}`,
      participantId: `p${i % 200}`,
      kind: 'partner-api',
      spec: {},
    })),
  ],
  integrations: Array.from({ length: INTEGRATIONS }, (_, i) => ({
    id: `i${i}`,
    name: `i${i}`,
    sourceSystemId: i % 2 === 0 ? 'core' : `s${i % 400}`,
    targetSystemId: i % 2 === 0 ? `s${i % 400}` : 'core',
    kind: 'api',
    tier: ['critical', 'high', 'medium', 'low'][i % 4] as string,
    channel: i % 10 === 0 ? `ch${i % 20}` : undefined,
    spec: {
      slo: { availability: 0.999, latency: 500, window: 30 * DAY },
      probe: { type: 'http' },
      match: [{ service: 'x' }],
      labels: i % 7 === 0 ? { connector: 'standard' } : {},
    },
  })),
  workflows: Array.from({ length: 50 }, (_, i) => ({
    id: `w${i}`,
    name: `w${i}`,
    spec: { steps: [`i${i * 4}`, `i${i * 4 + 1}`, `i${i * 4 + 2}`] },
  })),
  datasets: [],
  valueModel: {
    currency: 'EUR',
    costPerManualHandoff: 4,
    savingsPerStandardIntegration: 12_000,
    yearlyEcosystemCost: 5e6,
  },
};
await store.applyCatalog(snapshot, { source: 'bench', now: NOW - 31 * DAY });

const db = (await import('better-sqlite3')).default(FILE);
db.pragma('synchronous = OFF');
const insertEvent = db.prepare(
  `INSERT INTO events (id, type, time, received_at, participant_id, integration_id, channel, customer_id, user_id, amount, currency, hash, data)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'h', ?)`,
);
/** The envelope and typed columns of an event; those left out are null. */
interface EventColumns {
  participant?: string;
  integration?: string;
  channel?: string | null;
  customer?: string;
  user?: string;
  amount?: number;
  currency?: string;
}
const insert = (id: string, type: string, time: number, received: number, c: EventColumns, data = '{}') =>
  insertEvent.run(
    id,
    type,
    time,
    received,
    c.participant ?? null,
    c.integration ?? null,
    c.channel ?? null,
    c.customer ?? null,
    c.user ?? null,
    c.amount ?? null,
    c.currency ?? null,
    data,
  );
const TEXTS = ['great and fast', 'slow and broken', 'works well', 'confusing docs'];
let eventId = 0;
function addEvents(count: number, from: number, to: number) {
  const step = (to - from) / count;
  db.transaction(() => {
    for (let k = 0; k < count; k++) {
      const time = Math.floor(from + k * step);
      const received = time + int(30_000);
      const r = random();
      const integration = `i${int(INTEGRATIONS)}`;
      const participant = `p${int(200)}`;
      const id = `ev${eventId++}`;
      // Random draws in a fixed order (object properties evaluate in source order): one dataset.
      if (r < 0.5) insert(id, 'user.active', time, received, { user: `u${int(200_000)}` });
      else if (r < 0.8)
        insert(id, 'transaction', time, received, {
          participant,
          integration,
          channel: random() < 0.5 ? `ch${int(20)}` : null,
          customer: `c${int(500_000)}`,
          amount: 10 + int(500),
          currency: random() < 0.95 ? 'EUR' : 'USD',
        });
      else if (r < 0.9)
        insert(
          id,
          'handoff.automated',
          time,
          received,
          { integration },
          JSON.stringify({ count: 1 + int(5) }),
        );
      else if (r < 0.95) insert(id, 'docs.view', time, received, {}, '{"page":"/docs"}');
      else if (r < 0.98) insert(id, 'developer.activity', time, received, {}, '{"activity":"sdk"}');
      else if (r < 0.99)
        insert(
          id,
          random() < 0.5 ? 'ticket.opened' : 'ticket.closed',
          time,
          received,
          { integration },
          JSON.stringify({ ticket: `t${int(50_000)}` }),
        );
      else
        insert(
          id,
          'feedback',
          time,
          received,
          { participant },
          JSON.stringify({ score: int(11), text: TEXTS[int(4)] }),
        );
    }
  })();
}

const emptyBuckets = JSON.stringify(
  new Array(ROLLUP_DURATION_BUCKETS_SECONDS.length + 1).fill(0).map((_, i) => (i === 4 ? 100 : 0)),
);
const insertRollup = db.prepare(
  `INSERT INTO probe_rollups VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0, 0, 0, 0, ?, ?)`,
);
const insertMinute = db.prepare(
  `INSERT INTO request_minutes VALUES (?, ?, ?, 0, ?, 0, 1.5, ?) ON CONFLICT DO NOTHING`,
);
function addRollups(resolution: string, from: number, to: number, size: number, runs: number) {
  db.transaction(() => {
    for (let b = from; b < to; b += size)
      for (let i = 0; i < INTEGRATIONS; i++) {
        const failures = random() < 0.02 ? 1 : 0;
        insertRollup.run(resolution, `i${i}`, b, runs, runs - failures, failures, runs * 50, emptyBuckets);
      }
  })();
}
function addMinutes(from: number, to: number) {
  db.transaction(() => {
    for (let m = from; m < to; m += MIN)
      for (let i = 0; i < INTEGRATIONS; i++)
        insertMinute.run(`i${i}`, m, 100, random() < 0.05 ? 1 : 0, emptyBuckets);
  })();
}

let started = performance.now();
const CHUNK = 500_000;
for (let done = 0; done < EVENTS; done += CHUNK) {
  const n = Math.min(CHUNK, EVENTS - done);
  const from = NOW - 30 * DAY + (done / EVENTS) * 30 * DAY;
  addEvents(n, from, from + (n / EVENTS) * 30 * DAY);
}
const dayStart = Math.floor((NOW - 30 * DAY) / DAY) * DAY;
addRollups('day', dayStart, NOW, DAY, 2880);
addRollups('hour', Math.floor((NOW - 30 * DAY) / HOUR) * HOUR, NOW, HOUR, 120);
addRollups('minute', NOW - 2 * HOUR, NOW, MIN, 2);
addMinutes(NOW - 2 * HOUR, NOW);
const loadSeconds = (performance.now() - started) / 1000;
console.log(
  `loaded ${EVENTS.toLocaleString('en')} events, probe rollups (30d day + hour, 2h minute) and 2h of request minutes for ${INTEGRATIONS} integrations in ${loadSeconds.toFixed(1)} s; RSS ${mb(rss())}`,
);

const schedules = Object.fromEntries([...KPI_FAMILIES, 'fold'].map((f) => [f, '0 0 1 1 *'])) as Record<
  KpiTask,
  string
>;
const jobs = kpiJobs({
  store,
  schedules,
  lateness: 10 * MIN,
  batchSize: KPI_DEFAULTS.batchSize,
  snapshotInterval: 0,
  health: {
    weights: { availability: 0.35, latency: 0.2, status: 0.25, quality: 0.1, activity: 0.1 },
    tierWeights: { critical: 4, high: 3, medium: 2, low: 1 },
    satisfactionWeight: 0.2,
  },
  publish: () => {},
});
const logger = pino({ level: 'silent' });
const foldJob = jobs.find((job) => job.name === 'kpi:fold');
if (!foldJob) throw new Error('no kpi:fold job');
const families = jobs.filter((job) => job !== foldJob);
async function runAll(now: number): Promise<{ total: number; perJob: Record<string, number> }> {
  const perJob: Record<string, number> = {};
  const t0 = performance.now();
  for (const job of families) {
    const t = performance.now();
    await job.run({ now, signal: new AbortController().signal, logger });
    perJob[job.name] = performance.now() - t;
  }
  return { total: performance.now() - t0, perJob };
}

/**
 * A fixed CPU workload, hashing a million ids (the best of three), timed before and after the
 * runs. A shared machine can be 1.5–2× slower at one moment than at another: compare runs by the
 * ratios to (a), or scale them by this.
 */
function referenceMs(): number {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++) {
    const t = performance.now();
    let x = 0;
    for (let i = 0; i < 1_000_000; i++) x ^= hash32(`u${i}`);
    if (x === 0.5) console.log(x); // keeps the loop from being optimised away
    best = Math.min(best, performance.now() - t);
  }
  return best;
}
const referenceBefore = referenceMs();

const rows: string[][] = [];
/** The full recompute's time, the base of the ratios. */
let fullMs: number | undefined;
const record = (name: string, result: { total: number; perJob: Record<string, number> }, read: string) => {
  fullMs ??= result.total;
  rows.push([
    name,
    `${(result.total / 1000).toFixed(3)} s`,
    `${((100 * result.total) / fullMs).toFixed(1)}%`,
    read,
    mb(rss()),
    ...Object.values(result.perJob).map((ms) => `${Math.round(ms)}`),
  ]);
};

started = performance.now();
const full = await runAll(NOW);
record('(a) full recompute', full, `${EVENTS.toLocaleString('en')} events`);

addEvents(60 * PER_SECOND, NOW, NOW + MIN);
addRollups('minute', NOW, NOW + MIN, MIN, 2);
addMinutes(NOW, NOW + MIN);
const incremental = await runAll(NOW + MIN + 30_000);
record('(b) incremental, 1 min at 10k/s', incremental, `${(60 * PER_SECOND).toLocaleString('en')} events`);

// (b′) The next minute in 10-second slices, the fold job after each, as the service runs it;
// the last slice is left to the runs (a run that starts just before the fold job's tick).
const SLICE = 10_000;
const sliceMs: number[] = [];
for (let at = NOW + MIN; at < NOW + 2 * MIN; at += SLICE) {
  addEvents((SLICE / 1000) * PER_SECOND, at, at + SLICE);
  if (at + SLICE >= NOW + 2 * MIN) break;
  const t = performance.now();
  await foldJob.run({ now: at + SLICE, signal: new AbortController().signal, logger });
  sliceMs.push(performance.now() - t);
}
addRollups('minute', NOW + MIN, NOW + 2 * MIN, MIN, 2);
addMinutes(NOW + MIN, NOW + 2 * MIN);
const withFoldJob = await runAll(NOW + 2 * MIN + 30_000);
record(
  '(b′) incremental, 1 min at 10k/s, kpi:fold every 10 s',
  withFoldJob,
  `${((SLICE / 1000) * PER_SECOND).toLocaleString('en')} events (the last slice)`,
);
const idle = await runAll(NOW + 3 * MIN);
record('(c) nothing new', idle, '0 events');

console.log(
  `\n| run | time | of (a) | events read | RSS after | ${families.map((j) => `${j.name} ms`).join(' | ')} |`,
);
console.log(`|---|---|---|---|---|${families.map(() => '---').join('|')}|`);
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
const everyMinute = (r: { perJob: Record<string, number> }) =>
  (r.perJob['kpi:usage'] ?? 0) + (r.perJob['kpi:health'] ?? 0);
const slowest = (r: { perJob: Record<string, number> }) =>
  Object.entries(r.perJob).sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
const sliceSum = sliceMs.reduce((a, b) => a + b, 0);
console.log(
  `\n(b′) kpi:fold per 10 s slice (100,000 events, all four folds), ${sliceMs.length} slices: mean ${Math.round(sliceSum / sliceMs.length)} ms, max ${Math.round(Math.max(...sliceMs))} ms`,
);
for (const [name, result] of [
  ['(b)', incremental],
  ['(b′)', withFoldJob],
  ['(c)', idle],
] as const) {
  const [job, ms] = slowest(result);
  console.log(
    `${name} every-minute jobs (usage + health): ${Math.round(everyMinute(result))} ms; slowest job: ${job} ${Math.round(ms)} ms; all five: ${Math.round(result.total)} ms`,
  );
}
console.log(`\nmax RSS ${mb(maxRss)}`);
console.log(
  `reference workload (1,000,000 hashes): ${Math.round(referenceBefore)} ms before the runs, ${Math.round(referenceMs())} ms after`,
);
db.close();
await store.close();
