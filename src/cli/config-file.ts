import { isAbsolute, resolve } from 'node:path';
import type { Config } from '../config/index.ts';
import { ConfigError, loadConfig } from '../config/index.ts';
import type { CommandIo } from './command.ts';

export const DEFAULT_CONFIG_FILE = 'ecosystem.yaml';

/** The config file named on the command line, else `$ECOTONE_CONFIG`, else `./ecosystem.yaml`. */
export function configPath(named: string | undefined, io: CommandIo): string {
  return resolve(io.cwd, named ?? io.env.ECOTONE_CONFIG ?? DEFAULT_CONFIG_FILE);
}

/** Loads a config; on a problem prints every issue to stderr and returns undefined. */
export async function loadOrReport(file: string, io: CommandIo): Promise<Config | undefined> {
  try {
    return await loadConfig(file, { env: io.env });
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(`${error.message}\n`);
      return undefined;
    }
    throw error;
  }
}

/** A `--db` value as a path: relative to the working directory; `:memory:` stays in memory. */
export function dbPath(value: string, io: CommandIo): string {
  return value === ':memory:' || isAbsolute(value) ? value : resolve(io.cwd, value);
}
