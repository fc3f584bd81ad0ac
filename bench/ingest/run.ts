/**
 * The ingest bench: sustained events/s (`POST /v1/events`, plain JSON batches of 1,000
 * `transaction` events) and spans/s (`POST /v1/traces`, OTLP protobuf batches of 512 spans) of
 * the real service, run as `ecotone serve` in its own process on the example catalog and a fresh
 * SQLite file, beside the raw limit of the same machine: plain better-sqlite3 doing only the
 * writes the product must do for the same data, one transaction per batch. Each synchronous level
 * (full, the default, and normal) gets its own service and files. Prints one table and checks that
 * what was acknowledged is what is stored. It only reports: slow results never fail it.
 *
 * Run: `node bench/ingest/run.ts` (about 2 minutes), or
 * `node bench/ingest/run.ts --seconds 15 --warmup 3 --clients 4 --sync full,normal --profile`.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { removeOnExit, sleep } from '../probes/processes.ts';
import { loadBenchCatalog } from './catalog.ts';
import { createEventBatches } from './event-batches.ts';
import { type LoadResult, machineShare, machineTicks, runLoad } from './load.ts';
import { formatProfile, summarizeProfile } from './profile.ts';
import { type RawResult, rawEventInserts, rawSpanUpserts } from './raw-sqlite.ts';
import { type BenchService, startBenchService, storedCounts } from './service.ts';
import { createSpanBatches, rejectedSpans, type SpanBatch } from './span-batches.ts';

const EVENT_BATCH = 1_000;
const SPAN_BATCH = 512;
const GOALS = { events: 100_000, spans: 50_000 } as const;
type Workload = keyof typeof GOALS;
type Sync = 'full' | 'normal';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '3' },
    clients: { type: 'string', default: '4' },
    sync: { type: 'string', default: 'full,normal' },
    workloads: { type: 'string', default: 'events,spans' },
    'raw-seconds': { type: 'string', default: '3' },
    profile: { type: 'boolean', default: false },
    dir: { type: 'string', default: tmpdir() },
  },
});
const seconds = Number(values.seconds);
const warmup = Number(values.warmup);
const clients = Number(values.clients);
const rawSeconds = Number(values['raw-seconds']);
const syncs = values.sync.split(',').map((s) => s.trim()) as Sync[];
const workloads = values.workloads.split(',').map((s) => s.trim()) as Workload[];
if (
  !(seconds > 0 && seconds <= 3_600) ||
  !(warmup >= 0 && warmup <= 600) ||
  !(Number.isInteger(clients) && clients >= 1 && clients <= 256) ||
  !(rawSeconds > 0 && rawSeconds <= 600) ||
  syncs.length === 0 ||
  syncs.some((s) => s !== 'full' && s !== 'normal') ||
  workloads.length === 0 ||
  workloads.some((w) => !(w in GOALS))
) {
  console.error(
    'usage: node bench/ingest/run.ts [--seconds 15] [--warmup 3] [--clients 4] [--sync full,normal]\n' +
      '                              [--workloads events,spans] [--raw-seconds 3] [--profile] [--dir TMPDIR]',
  );
  process.exit(2);
}

const count = (value: number) => Math.round(value).toLocaleString('en-US');
const fixed = (value: number | undefined, digits = 1) =>
  value !== undefined && Number.isFinite(value) ? value.toFixed(digits) : '-';
const progress = (text: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${text}`);

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
        .join('  '),
    )
    .join('\n');
}

/** The filesystem type holding `dir`, from /proc/mounts (longest matching mount point). */
function filesystemOf(dir: string): string {
  try {
    const mounts = readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .map((line) => line.split(' '))
      .filter((f) => f.length > 2 && (dir === f[1] || dir.startsWith(f[1] === '/' ? '/' : `${f[1]}/`)));
    return mounts.sort((a, b) => (b[1]?.length ?? 0) - (a[1]?.length ?? 0))[0]?.[2] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

interface Row {
  workload: Workload;
  sync: Sync;
  load?: LoadResult;
  raw?: RawResult;
  /** CPU used by other processes while the raw limit ran, as a share of one core. */
  rawOtherCpuShare?: number;
  /** What the store holds against what was acknowledged. */
  check?: string;
  error?: string;
  profile?: string;
}

const dir = mkdtempSync(join(values.dir, 'ecotone-ingest-bench-'));
const forgetDir = removeOnExit(dir);
const profileRoot = values.profile ? mkdtempSync(join(values.dir, 'ecotone-ingest-profile-')) : undefined;

const catalog = loadBenchCatalog();
progress('building the request pools (events: 8 templates of 1,000; spans: 32 batches of 512)');
const events = createEventBatches(catalog, { batchSize: EVENT_BATCH });
const spans = await createSpanBatches(catalog, { batchSize: SPAN_BATCH });
const perRun = warmup + seconds + 4;
progress(
  `about ${Math.round(syncs.length * (workloads.length * (perRun + rawSeconds)))} s: ` +
    `${syncs.length} synchronous level(s) × ${workloads.length} workload(s) × (${warmup} s warm-up + ${seconds} s + start/stop, raw ${rawSeconds} s)`,
);

/** Runs `run` against a fresh service, then stops it (pending commits finish, the profile is written). */
async function withService<T>(
  workload: Workload,
  sync: Sync,
  run: (service: BenchService) => Promise<T>,
): Promise<{ result: T; service: BenchService }> {
  const profileDir = profileRoot ? join(profileRoot, `${workload}-${sync}`) : undefined;
  const service = await startBenchService({
    catalog,
    dir,
    name: `${workload}-${sync}`,
    synchronous: sync,
    ...(profileDir && { profileDir }),
  });
  try {
    return { result: await run(service), service };
  } finally {
    await service.stop();
  }
}

/** Runs a raw limit and notes how much CPU other processes took meanwhile. */
function rawRun(row: Row, run: () => RawResult): void {
  const cpu0 = process.cpuUsage();
  const ticks0 = machineTicks();
  const wall0 = performance.now();
  row.raw = run();
  const cpu = process.cpuUsage(cpu0);
  const seconds = (performance.now() - wall0) / 1_000;
  const machine = machineShare(ticks0, machineTicks());
  if (machine !== undefined)
    row.rawOtherCpuShare = Math.max(0, machine - (cpu.user + cpu.system) / 1e6 / seconds);
}

function profileOf(workload: Workload, sync: Sync): string | undefined {
  if (!profileRoot) return undefined;
  const folder = join(profileRoot, `${workload}-${sync}`);
  try {
    const file = readdirSync(folder).find((f) => f.endsWith('.cpuprofile'));
    return file ? join(folder, file) : undefined;
  } catch {
    return undefined;
  }
}

async function benchEvents(sync: Sync): Promise<Row> {
  const row: Row = { workload: 'events', sync };
  progress(`raw SQLite: event inserts, synchronous=${sync} (${rawSeconds} s)`);
  const templates = events.rowTemplates();
  rawRun(row, () =>
    rawEventInserts({
      path: join(dir, `raw-events-${sync}.db`),
      synchronous: sync,
      templates,
      ids: (n) => events.ids(n),
      seconds: rawSeconds,
    }),
  );
  progress(`Ecotone: POST /v1/events, synchronous=${sync}, ${clients} clients (${warmup} s + ${seconds} s)`);
  const { result, service } = await withService('events', sync, (service) =>
    runLoad({
      url: `${service.url}/v1/events`,
      contentType: 'application/json',
      clients,
      warmupMs: warmup * 1_000,
      windowMs: seconds * 1_000,
      servicePid: service.pid,
      next: () => events.next(),
      acknowledged: (sent, answer) => {
        const { inserted, duplicates } = JSON.parse(answer.toString('utf8')) as {
          inserted: number;
          duplicates: number;
        };
        if (inserted + duplicates !== sent)
          throw new Error(`sent ${sent}, answer ${answer.toString('utf8')}`);
        return inserted;
      },
    }),
  );
  row.load = result;
  const stored = storedCounts(service.dbPath);
  row.check =
    stored.events === result.ackedUnits
      ? `stored events = acknowledged (${count(stored.events)})`
      : `MISMATCH: ${count(stored.events)} events stored, ${count(result.ackedUnits)} acknowledged`;
  row.profile = profileOf('events', sync);
  return row;
}

async function benchSpans(sync: Sync): Promise<Row> {
  const row: Row = { workload: 'spans', sync };
  progress(`raw SQLite: per-batch upserts, synchronous=${sync} (${rawSeconds} s)`);
  rawRun(row, () =>
    rawSpanUpserts({
      path: join(dir, `raw-spans-${sync}.db`),
      synchronous: sync,
      spansPerBatch: SPAN_BATCH,
      writes: spans.writesPerBatch,
      seconds: rawSeconds,
    }),
  );
  progress(
    `Ecotone: POST /v1/traces (protobuf), synchronous=${sync}, ${clients} clients (${warmup} s + ${seconds} s)`,
  );
  let expectedCalls = 0;
  let expectedEdgeCalls = 0;
  const { result, service } = await withService('spans', sync, (service) =>
    runLoad<SpanBatch>({
      url: `${service.url}/v1/traces`,
      contentType: 'application/x-protobuf',
      clients,
      warmupMs: warmup * 1_000,
      windowMs: seconds * 1_000,
      servicePid: service.pid,
      next: () => spans.next(),
      acknowledged: (sent, answer) => {
        const { rejected, message } = rejectedSpans(answer);
        if (rejected > 0) throw new Error(`${rejected} of ${sent} spans rejected: ${message}`);
        return sent;
      },
      onAcked: (batch) => {
        expectedCalls += batch.calls;
        expectedEdgeCalls += batch.edgeCalls;
      },
    }),
  );
  row.load = result;
  const stored = storedCounts(service.dbPath);
  const calls =
    stored.calls === expectedCalls
      ? `calls counted = calls acknowledged (${count(stored.calls)})`
      : `MISMATCH: ${count(stored.calls)} calls counted, ${count(expectedCalls)} in acknowledged spans`;
  const edges =
    stored.edgeCalls === expectedEdgeCalls
      ? `edge calls = ${count(stored.edgeCalls)}`
      : `edge calls MISMATCH: ${count(stored.edgeCalls)} stored, ${count(expectedEdgeCalls)} sent`;
  row.check = `${calls}; ${edges}`;
  row.profile = profileOf('spans', sync);
  return row;
}

const rows: Row[] = [];
try {
  for (const sync of syncs) {
    for (const workload of workloads) {
      try {
        rows.push(await (workload === 'events' ? benchEvents(sync) : benchSpans(sync)));
      } catch (error) {
        console.error(`${workload}, synchronous=${sync}: ${(error as Error).message}`);
        rows.push({ workload, sync, error: (error as Error).message.split('\n')[0] ?? 'failed' });
      }
      await sleep(1_000);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  forgetDir();
}

const cpu = cpus();
const probe = new Database(':memory:');
const sqliteVersion = String(probe.prepare('SELECT sqlite_version()').pluck().get());
probe.close();
const unit = (w: Workload) => (w === 'events' ? 'events' : 'spans');

console.log(
  `\nmachine: ${cpu[0]?.model ?? 'unknown cpu'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ` +
    `Node ${process.version}, SQLite ${sqliteVersion}, files on ${filesystemOf(values.dir)} (${values.dir})`,
);
console.log(
  `workload: ${clients} clients with keep-alive, ${warmup} s warm-up then a ${seconds} s window; service: ecotone serve ` +
    `on examples/ecosystem.yaml (auth and probes off, log warn) in its own process; raw: ${rawSeconds} s in the bench process`,
);
console.log(
  `events: plain JSON, ${count(EVENT_BATCH)} transaction events a request (${fixed(events.bytesPerEvent, 0)} bytes/event), unique ids`,
);
console.log(
  `spans: OTLP protobuf, ${SPAN_BATCH} spans a request (${fixed(spans.bytesPerBatch / SPAN_BATCH, 0)} bytes/span): ${spans.describe}; ` +
    `${fixed(spans.callsPerBatch, 0)} integration calls a batch`,
);
console.log(
  `raw: events = INSERT of the same rows into the events table (same columns and indexes), one transaction per ${count(EVENT_BATCH)}; ` +
    `spans = per ${SPAN_BATCH}-span batch, ${fixed(spans.writesPerBatch.requestMinutes, 0)} request-minute + ` +
    `${fixed(spans.writesPerBatch.workflowMinutes, 0)} workflow-minute + ${fixed(spans.writesPerBatch.edges, 0)} edge upserts in one transaction\n`,
);

console.log(
  table(
    ['workload', 'Ecotone /s', 'p50 ms', 'p99 ms', 'raw SQLite /s', 'ratio', 'goal', 'met?'],
    rows.map((r) => {
      const label = `${unit(r.workload)}, synchronous=${r.sync}`;
      const goal = GOALS[r.workload];
      if (!r.load)
        return [label, 'failed', '', '', r.raw ? count(r.raw.unitsPerSecond) : '-', '', count(goal), 'no'];
      const rate = r.load.unitsPerSecond;
      return [
        label,
        count(rate),
        fixed(r.load.latencyMs.p50),
        fixed(r.load.latencyMs.p99),
        r.raw ? count(r.raw.unitsPerSecond) : '-',
        r.raw ? fixed(rate / r.raw.unitsPerSecond, 2) : '-',
        count(goal),
        rate >= goal ? 'yes' : 'no',
      ];
    }),
  ),
);
console.log('');
for (const r of rows) {
  const label = `${unit(r.workload)}, ${r.sync}`;
  if (r.error) {
    console.log(`  ${label}: failed: ${r.error}`);
    continue;
  }
  const l = r.load;
  if (!l) continue;
  const rejected = Object.entries(l.rejected)
    .map(([status, n]) => `${count(n)}× ${status}`)
    .join(', ');
  console.log(
    `  ${label}: ${count(l.windowRequests)} requests in ${fixed(l.windowSeconds)} s (max ${fixed(l.latencyMs.max)} ms); ` +
      `CPU (% of a core): service ${fixed((l.serviceCpuShare ?? Number.NaN) * 100, 0)}, load generator ${fixed(l.generatorCpuShare * 100, 0)}, ` +
      `other processes ${fixed((l.otherCpuShare ?? Number.NaN) * 100, 0)}; ` +
      `raw transaction p50 ${fixed(r.raw?.latencyMs.p50, 2)} ms, p99 ${fixed(r.raw?.latencyMs.p99, 2)} ms ` +
      `(other processes ${fixed((r.rawOtherCpuShare ?? Number.NaN) * 100, 0)}% of a core); ` +
      `${r.check}; ${rejected ? `not accepted: ${rejected}` : 'every request accepted'}`,
  );
  for (const sample of l.rejectionSamples) console.log(`    ${sample}`);
}

const missed = rows.filter((r) => !r.load || r.load.unitsPerSecond < GOALS[r.workload]);
if (profileRoot) {
  for (const r of rows) {
    if (!r.profile) continue;
    console.log(`\nCPU profile of the service, ${unit(r.workload)}, synchronous=${r.sync} (${r.profile}):`);
    console.log(formatProfile(summarizeProfile(r.profile, 15)));
  }
} else if (missed.length > 0) {
  console.log(
    '\nA goal was missed: `node bench/ingest/run.ts --profile` prints where the service spends its time.',
  );
}
