import { watchAvailability } from './availability.ts';
import { addressOf, type EndpointAddress, envOf } from './endpoint.ts';
import { EXAMPLE_ENDPOINTS, EXAMPLE_LISTENERS, type ExampleListener } from './example-partners.ts';
import { type BuiltEndpoint, LISTENER_STARTERS } from './listeners.ts';
import { type ResolvedOptions, resolveOptions, type SimulatorOptions } from './options.ts';
import { seededRandom } from './random.ts';
import type { Listener } from './servers/listener.ts';

/** One running simulated endpoint: where it is, what it does and which integration it serves. */
export interface SimulatedEndpoint extends EndpointAddress {
  id: string;
  /** Id of the example's integration whose probe lands here. */
  integration: string;
  listener: ExampleListener;
  /** Behaviour name, e.g. "flapping". */
  behaviour: string;
  /** What the behaviour does, in one line. */
  summary: string;
  /** The example's environment variables that point its probe here. */
  env: Record<string, string>;
}

/** The running simulator. */
export interface Simulator {
  endpoints: readonly SimulatedEndpoint[];
  /**
   * Every environment variable the example reads for its probe targets, pointed at this simulator:
   * pass it to the config loader when the simulator runs on other ports than the defaults.
   */
  env: Readonly<Record<string, string>>;
  /** Applies the clock now (starts or ends outages) instead of waiting for the next check. */
  refresh(): Promise<void>;
  /** Closes every listener and connection; safe to call twice. */
  stop(): Promise<void>;
}

interface RunningListener {
  name: ExampleListener;
  listener: Listener;
  endpoints: BuiltEndpoint[];
}

/**
 * Starts stand-ins for the partners that `examples/ecosystem.yaml` probes, on loopback, so the demo
 * shows every status and failure class offline. Endpoints come from `EXAMPLE_ENDPOINTS`; each
 * listener in `EXAMPLE_LISTENERS` is started with the endpoints on it. If any listener cannot
 * start, those already started are closed and the error names the port.
 *
 * @example
 * const simulator = await startSimulator({ logger });
 * const config = await loadConfig('examples/ecosystem.yaml', { env: { ...process.env, ...simulator.env } });
 * // …
 * await simulator.stop();
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const { host, ports, now, seed, checkEveryMs, logger } = resolveOptions(options);
  const seeds = seededRandom(seed);
  const built = await Promise.all(
    EXAMPLE_ENDPOINTS.map(async (definition) => {
      const random = seededRandom(Math.floor(seeds() * 2 ** 32));
      return { definition, behaviour: await definition.behaviour({ random, now }) };
    }),
  );

  const running = await startListeners(built, { host, ports, now, logger });

  const availability = watchAvailability({
    listeners: running.map(({ name, listener, endpoints }) => ({
      name,
      listener,
      behaviours: endpoints.map((e) => e.behaviour),
    })),
    now,
    checkEveryMs,
    logger,
  });
  await availability.refresh();

  const portOf = new Map(running.map(({ name, listener }) => [name as string, listener.port]));
  const endpoints = built.map(({ definition, behaviour }): SimulatedEndpoint => {
    const protocol = EXAMPLE_LISTENERS[definition.listener].protocol;
    const address = addressOf(definition, protocol, host, portOf.get(definition.listener) as number);
    return {
      id: definition.id,
      integration: definition.integration,
      listener: definition.listener,
      behaviour: behaviour.name,
      summary: behaviour.summary,
      ...address,
      env: envOf(definition, address),
    };
  });
  logger.info({ seed, ports: Object.fromEntries(portOf) }, 'demo simulator started');

  let stopping: Promise<void> | undefined;
  return {
    endpoints,
    env: Object.assign({}, ...endpoints.map((endpoint) => endpoint.env)),
    refresh: () => availability.refresh(),
    stop() {
      stopping ??= availability.stop().then(async () => {
        await Promise.all(running.map(({ listener }) => listener.close()));
        logger.info('demo simulator stopped');
      });
      return stopping;
    },
  };
}

async function startListeners(
  built: readonly BuiltEndpoint[],
  context: Pick<ResolvedOptions, 'host' | 'ports' | 'now' | 'logger'>,
): Promise<RunningListener[]> {
  const { host } = context;
  const running: RunningListener[] = [];
  try {
    for (const name of Object.keys(EXAMPLE_LISTENERS) as ExampleListener[]) {
      const endpoints = built.filter((endpoint) => endpoint.definition.listener === name);
      if (endpoints.length === 0) continue;
      const port = context.ports[name];
      const start = LISTENER_STARTERS[EXAMPLE_LISTENERS[name].protocol];
      const listener = await start(endpoints, { ...context, name, port }).catch(
        (error: NodeJS.ErrnoException) => {
          const reason = error.code === 'EADDRINUSE' ? 'the port is in use' : error.message;
          throw new Error(`demo simulator: cannot listen on ${host}:${port} (${name}): ${reason}`, {
            cause: error,
          });
        },
      );
      running.push({ name, listener, endpoints });
    }
  } catch (error) {
    await Promise.all(running.map(({ listener }) => listener.close()));
    throw error;
  }
  return running;
}
