import { fileURLToPath } from 'node:url';
import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../command.ts';
import { dbPath, loadOrReport } from '../config-file.ts';
import { serveUntilSignal } from '../run-service.ts';

/** The bundled example the demo runs. */
/** Where the demo's drifting datasets are written: the example's dataset sources point here. */
const DEMO_DATA_DIR = fileURLToPath(new URL('../../../data/demo', import.meta.url));

export const EXAMPLE_FILE = fileURLToPath(new URL('../../../examples/ecosystem.yaml', import.meta.url));

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Run the service on the bundled example with simulated partners',
  usage: `Usage: ecotone demo [-p PORT] [--db PATH]

Starts simulated partners on loopback (HTTP 9481, HTTPS 9482, TCP 9092 and 2222, DNS 9553/udp)
and the service on examples/ecosystem.yaml, probing them. Within minutes every status shows:
healthy, degraded (a slow partner), down (an outage every quarter hour), and the failure classes
(refused connections, failed conditions, an expiring certificate). Stops on SIGTERM or SIGINT.

Options:
  -p, --port PORT   listen port of the service (default: settings.server.port, 9480)
      --db PATH     SQLite file (default: data/ecotone.db)
  -h, --help        show this help`,
  options: { port: { type: 'string', short: 'p' }, db: { type: 'string' } },
  async run({ values, positionals }, io) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const port = values.port === undefined ? undefined : Number(values.port);
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65_535))
      throw new UsageError(`--port: expected a port number 0-65535, found "${values.port}"`);
    const config = await loadOrReport(EXAMPLE_FILE, io);
    if (!config) return EXIT.failure;
    if (port !== undefined) config.settings.server.port = port;
    // The demo runs on loopback with simulated partners: no tokens to hand out.
    config.settings.auth.enabled = false;
    // Minutes of simulated traffic should move every KPI: run each family every minute (the
    // fold job keeps its schedule).
    for (const task of Object.keys(
      config.settings.kpis.schedules,
    ) as (keyof typeof config.settings.kpis.schedules)[])
      if (task !== 'fold') config.settings.kpis.schedules[task] = '* * * * *';
    if (values.db !== undefined) config.settings.storage.path = dbPath(values.db as string, io);
    const [{ startSimulator }, { startDemoDatasets }, { startTraffic }] = await Promise.all([
      import('../../demo/index.ts'),
      import('../../demo/datasets/index.ts'),
      import('../../demo/traffic/index.ts'),
    ]);
    return serveUntilSignal(config, io, {
      companion: {
        start: async () => {
          const simulator = await startSimulator();
          const datasets = await startDemoDatasets({ dir: DEMO_DATA_DIR }).catch(async (error) => {
            await simulator.stop();
            throw error;
          });
          return {
            stop: async () => {
              await datasets.stop();
              await simulator.stop();
            },
          };
        },
      },
      attached: ({ url, logger }) =>
        startTraffic({ baseUrl: url, logger: logger.child({ component: 'demo-traffic' }) }),
      extra: { demo: 'simulated partners, datasets and traffic on 127.0.0.1' },
    });
  },
};
