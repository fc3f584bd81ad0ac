/**
 * Render benchmark of the web UI: time to first meaningful paint of the ecosystem map in headless
 * Chromium, for a synthetic ecosystem (default 200 systems in 20 participants, 400 integrations;
 * no prober, so every integration is `unknown`: a status glyph on every edge, the most to draw). The map counts as painted when every system and
 * integration is drawn (`#map[data-ready]`, the `ecotone:map-painted` performance mark).
 * Cold runs start with an empty layout cache (ELK lays out); warm runs reuse the layout kept in
 * localStorage, as a reload does. It only reports.
 *
 * Run: `node bench/ui/run.ts [--systems 200] [--integrations 400] [--runs 5] [--screenshot FILE.png]`. Needs chromium
 * (`/usr/bin/chromium`, or `ECOTONE_CHROMIUM`).
 */
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { startHttpServer } from '../../src/server/index.ts';
import { configFrom, silentLogger, startTestApp, tempDir } from '../../test/helpers.ts';

const { values } = parseArgs({
  options: {
    systems: { type: 'string', default: '200' },
    integrations: { type: 'string', default: '400' },
    participants: { type: 'string', default: '20' },
    runs: { type: 'string', default: '5' },
    screenshot: { type: 'string' },
  },
});
const systems = Number(values.systems);
const integrations = Number(values.integrations);
const participants = Number(values.participants);
const runs = Number(values.runs);
const executablePath = process.env.ECOTONE_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  console.error(`no chromium at ${executablePath}: apt-get install chromium, or set ECOTONE_CHROMIUM`);
  process.exit(2);
}

/** A seeded generator, so every run draws the same ecosystem. */
function random(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 16_807) % 2_147_483_647;
    return s % n;
  };
}

/** Mostly local edges (within the next few systems), a quarter across the ecosystem. */
function syntheticCatalog(): string {
  const r = random(42);
  const lines = ['participants:'];
  for (let p = 0; p < participants; p++)
    lines.push(
      `  - { id: p${p}, name: "Participant ${p}", role: ${p === 0 ? 'orchestrator' : 'partner'}, country: DE }`,
    );
  lines.push('systems:');
  for (let s = 0; s < systems; s++)
    lines.push(
      `  - { id: s${s}, name: "System ${s}", participant: p${Math.floor((s * participants) / systems)} }`,
    );
  lines.push('integrations:');
  const seen = new Set<string>();
  while (seen.size < integrations) {
    const a = r(systems);
    let b = r(4) === 0 ? r(systems) : (a + 1 + r(25)) % systems;
    if (b === a) b = (a + 1) % systems;
    if (seen.has(`${a}>${b}`)) continue;
    seen.add(`${a}>${b}`);
    const tier = ['critical', 'high', 'medium', 'low'][r(4)];
    lines.push(
      `  - { id: i${seen.size}, name: "Integration ${seen.size}", from: s${a}, to: s${b}, tier: ${tier} }`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const tmp = await tempDir();
const config = configFrom(syntheticCatalog(), tmp.dir);
const t = await startTestApp(config);
const server = await startHttpServer({
  fetch: t.app.fetch,
  host: '127.0.0.1',
  port: 0,
  requestTimeout: 30_000,
  logger: silentLogger,
});
const browser = await chromium.launch({
  executablePath,
  args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
});

interface Sample {
  paintMs: number;
  layoutMs: number;
  fcpMs: number;
}

async function measure(
  cold: boolean,
  context: Awaited<ReturnType<typeof browser.newContext>>,
): Promise<Sample> {
  const page = await context.newPage();
  if (cold) {
    await page.goto(`${server.url}/status`);
    await page.evaluate(() => localStorage.clear());
  }
  await page.goto(server.url);
  await page.waitForSelector('#map[data-ready="true"]', { timeout: 120_000 });
  // Runs in the page (a string, since this file is type-checked without the DOM library).
  const sample = (await page.evaluate(`(() => {
    const mark = performance.getEntriesByName('ecotone:map-painted')[0];
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    return {
      paintMs: mark ? mark.startTime : NaN,
      layoutMs: Number(document.getElementById('map').dataset.layoutMs),
      fcpMs: fcp ? fcp.startTime : NaN,
      drawn: document.querySelectorAll('#map .node').length,
      edges: document.querySelectorAll('#map .edge').length,
    };
  })()`)) as Sample & { drawn: number; edges: number };
  if (sample.drawn !== systems || sample.edges !== integrations)
    throw new Error(`drew ${sample.drawn} systems and ${sample.edges} edges`);
  await page.close();
  return sample;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const cpu = cpus();
console.log(`machine: ${cpu[0]?.model ?? 'unknown cpu'}, ${cpu.length} cores, Node ${process.version}`);
console.log(
  `chromium ${browser.version()} headless; ${systems} systems in ${participants} participants, ${integrations} integrations; ${runs} runs each\n`,
);
try {
  const rows: string[][] = [
    ['cache', 'first contentful paint ms', 'map painted ms (median)', 'min', 'max', 'layout+draw ms'],
  ];
  for (const cold of [true, false]) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await measure(true, context); // warm-up: JIT, and for warm runs the layout cache
    const samples: Sample[] = [];
    for (let i = 0; i < runs; i++) samples.push(await measure(cold, context));
    const paints = samples.map((s) => s.paintMs);
    rows.push([
      cold ? 'cold (ELK layout)' : 'warm (cached layout)',
      median(samples.map((s) => s.fcpMs)).toFixed(0),
      median(paints).toFixed(0),
      Math.min(...paints).toFixed(0),
      Math.max(...paints).toFixed(0),
      median(samples.map((s) => s.layoutMs)).toFixed(0),
    ]);
    await context.close();
  }
  if (values.screenshot) {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(server.url);
    await page.waitForSelector('#map[data-ready="true"]', { timeout: 120_000 });
    await page.screenshot({ path: values.screenshot });
    await page.close();
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  for (const row of rows) console.log(row.map((c, i) => c.padStart(widths[i] ?? 0)).join('  '));
} finally {
  await browser.close();
  await server.close(1_000);
  await t.close();
  await tmp.remove();
}
