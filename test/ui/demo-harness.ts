import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.ts';
import { startDemoDatasets } from '../../src/demo/datasets/index.ts';
import { inOutage, startSimulator } from '../../src/demo/index.ts';
import { startTraffic } from '../../src/demo/traffic/index.ts';
import { type RunningService, startService } from '../../src/service.ts';
import { EXAMPLE_CONFIG, silentLogger, tempDir } from '../helpers.ts';

const CYCLE_MS = 15 * 60_000;

export interface UiDemo {
  url: string;
  service: RunningService;
  /** Moves the simulator's clock into the outage window of the 3PL's SFTP drop and applies it. */
  startOutage(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The demo in this process, as `ecotone demo` runs it, but with every simulated partner on a free
 * port (so it never clashes with another demo) and the simulator's clock under the test's
 * control: it starts 7 minutes into a 15-minute cycle, away from the scheduled outage.
 */
export async function startUiDemo(options: { traffic?: boolean; refreshMs?: number } = {}): Promise<UiDemo> {
  const tmp = await tempDir();
  const real = Date.now();
  let offset = CYCLE_MS - (real % CYCLE_MS) + 7 * 60_000;
  const now = () => Date.now() + offset;
  const simulator = await startSimulator({
    ports: { http: 0, https: 0, eventBus: 0, sftp: 0, dns: 0 },
    now,
    seed: 42,
  });
  const datasets = await startDemoDatasets({ dir: join(tmp.dir, 'demo'), port: 0 });
  const config = await loadConfig(EXAMPLE_CONFIG, { env: { ...simulator.env, ...datasets.env } });
  config.settings.server.port = 0;
  config.settings.storage.path = join(tmp.dir, 'ecotone.db');
  config.settings.auth.enabled = false;
  config.settings.ui.refreshInterval = options.refreshMs ?? 1_000;
  config.settings.log.level = 'silent';
  const service = await startService(config, silentLogger);
  const traffic =
    options.traffic === false ? undefined : await startTraffic({ baseUrl: service.url, seed: 7 });
  return {
    url: service.url,
    service,
    async startOutage() {
      const t = Date.now();
      offset = CYCLE_MS - ((t + offset) % CYCLE_MS) + 30_000 + offset;
      if (!inOutage(now())) throw new Error('the simulator clock is not in an outage window');
      await simulator.refresh();
    },
    async stop() {
      await traffic?.stop();
      await service.stop();
      await datasets.stop();
      await simulator.stop();
      await tmp.remove();
    },
  };
}
