import { isIPv4 } from 'node:net';
import { type Logger, pino } from 'pino';
import { EXAMPLE_LISTENERS, type ExampleListener } from './example-partners.ts';

/** A port per listener of the example: http, https, eventBus, sftp, dns. */
export type SimulatorPorts = Record<ExampleListener, number>;

/** The ports the example's probes default to: 9481, 9482, 9092, 2222 and 9553 (UDP). */
export const DEFAULT_PORTS: Readonly<SimulatorPorts> = Object.freeze(
  Object.fromEntries(Object.entries(EXAMPLE_LISTENERS).map(([name, l]) => [name, l.port])) as SimulatorPorts,
);

export interface SimulatorOptions {
  /** Loopback address to bind (default 127.0.0.1); any other address is refused. */
  host?: string;
  /** Port per listener, merged over {@link DEFAULT_PORTS}; 0 picks a free port. */
  ports?: Partial<SimulatorPorts>;
  /** Clock, Unix ms (default `Date.now`): places the outage windows and the certificate's dates. */
  now?: () => number;
  /** Seed of every random choice (default: a new one each start); the same seed replays the same answers. */
  seed?: number;
  /** How often outage windows are checked against the clock, ms (default 1000). */
  checkEveryMs?: number;
  /** Where the simulator logs outages (info) and each request (debug) (default: silent). */
  logger?: Logger;
}

/** Options with every default filled in. */
export type ResolvedOptions = Required<SimulatorOptions> & { ports: SimulatorPorts };

/** Fills the defaults and checks the host and ports; throws a RangeError naming the bad option. */
export function resolveOptions(options: SimulatorOptions): ResolvedOptions {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host))
    throw new RangeError(
      `demo simulator: host must be a loopback address such as 127.0.0.1 or ::1, found "${host}"`,
    );
  const ports = { ...DEFAULT_PORTS, ...options.ports };
  for (const [name, port] of Object.entries(ports)) {
    if (!(name in EXAMPLE_LISTENERS))
      throw new RangeError(
        `demo simulator: unknown port "${name}" (known: ${Object.keys(DEFAULT_PORTS).join(', ')})`,
      );
    if (!Number.isInteger(port) || port < 0 || port > 65_535)
      throw new RangeError(`demo simulator: ports.${name} must be a port number 0-65535, found ${port}`);
  }
  return {
    host,
    ports,
    now: options.now ?? Date.now,
    seed: options.seed ?? Math.floor(Math.random() * 2 ** 32),
    checkEveryMs: options.checkEveryMs ?? 1_000,
    logger: options.logger ?? pino({ level: 'silent' }),
  };
}

function isLoopback(host: string): boolean {
  return (isIPv4(host) && host.startsWith('127.')) || host === '::1';
}
