import { type ChildProcess, spawn } from 'node:child_process';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.ts';
import { startDemoDatasets } from '../../src/demo/datasets/index.ts';
import { inOutage, startSimulator } from '../../src/demo/index.ts';
import { startTraffic } from '../../src/demo/traffic/index.ts';
import { startService } from '../../src/service.ts';
import { EXAMPLE_CONFIG, ROOT, silentLogger, tempDir } from '../helpers.ts';

const CYCLE_MS = 15 * 60_000;

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface DemoStack {
  /** Ecotone's base URL. */
  url: string;
  /** Prometheus's base URL. */
  prometheus: string;
  /** Moves the simulator's clock into the outage window of tpl-stock-files (the 3PL's SFTP drop). */
  startOutage(): Promise<void>;
  /** Prometheus's output so far, for failure messages. */
  prometheusLog(): string;
  /** Runs every scheduled job whose name starts with `prefix` now, one after another. */
  runJobs(prefix: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The demo as `ecotone demo` wires it (simulated partners, drifting datasets, traffic, the
 * service on the example catalog), in this process, with every simulated partner on a free port so
 * it never clashes with another demo's fixed ports, and the simulator's clock under the test's
 * control (away from the scheduled outage until {@link DemoStack.startOutage}). Beside it, a real
 * Prometheus on a free loopback port scraping it every `scrapeInterval` with the generated rules.
 */
export async function startDemoStack(options: { scrapeInterval: string }): Promise<DemoStack> {
  const tmp = await tempDir();
  const stops: (() => Promise<unknown>)[] = [() => tmp.remove()];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => {});
  };
  try {
    let offset = CYCLE_MS - (Date.now() % CYCLE_MS) + 7 * 60_000;
    const now = () => Date.now() + offset;
    const simulator = await startSimulator({
      ports: { http: 0, https: 0, eventBus: 0, sftp: 0, dns: 0 },
      now,
      seed: 42,
    });
    stops.push(() => simulator.stop());
    const datasets = await startDemoDatasets({ dir: join(tmp.dir, 'demo'), port: 0 });
    stops.push(() => datasets.stop());
    const config = await loadConfig(EXAMPLE_CONFIG, { env: { ...simulator.env, ...datasets.env } });
    config.settings.server.port = 0;
    config.settings.storage.path = join(tmp.dir, 'ecotone.db');
    config.settings.auth.enabled = false;
    config.settings.log.level = 'silent';
    const service = await startService(config, silentLogger);
    stops.push(() => service.stop());
    const traffic = await startTraffic({ baseUrl: service.url, seed: 7 });
    stops.push(() => traffic.stop());

    const port = await freePort();
    const dir = join(tmp.dir, 'prometheus');
    await mkdir(join(dir, 'rules'), { recursive: true });
    await copyFile(
      join(ROOT, 'dashboards', 'generated', 'rules', 'ecotone.rules.yml'),
      join(dir, 'rules', 'ecotone.rules.yml'),
    );
    await writeFile(
      join(dir, 'prometheus.yml'),
      [
        'global:',
        `  scrape_interval: ${options.scrapeInterval}`,
        `  evaluation_interval: ${options.scrapeInterval}`,
        'rule_files:',
        `  - ${join(dir, 'rules', '*.yml')}`,
        'scrape_configs:',
        '  - job_name: ecotone',
        '    static_configs:',
        `      - targets: ["${new URL(service.url).host}"]`,
        '',
      ].join('\n'),
    );
    let log = '';
    const child: ChildProcess = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.on('data', (c: Buffer) => (log += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (log += c.toString()));
    stops.push(async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    });
    const prometheus = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`prometheus exited:\n${log}`);
      const ready = await fetch(`${prometheus}/-/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) break;
      if (i > 100) throw new Error(`prometheus not ready after 20s:\n${log}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return {
      url: service.url,
      prometheus,
      prometheusLog: () => log,
      async runJobs(prefix) {
        for (const name of service.scheduler.jobNames())
          if (name.startsWith(prefix)) await service.scheduler.runNow(name);
      },
      async startOutage() {
        offset = CYCLE_MS - ((Date.now() + offset) % CYCLE_MS) + 5_000 + offset;
        if (!inOutage(now())) throw new Error('the simulator clock is not in an outage window');
        await simulator.refresh();
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
