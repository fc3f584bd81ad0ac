import type { ParseArgsConfig } from 'node:util';

/** Exit codes scripts can rely on. */
export const EXIT = {
  ok: 0,
  /** The command ran and found a problem: an invalid config, a failed apply, a service that could not start. */
  failure: 1,
  /** The command line itself was wrong. */
  usage: 2,
} as const;

export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
}

export interface Command {
  name: string;
  summary: string;
  /** Usage text shown by `--help`. */
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(args: { values: Record<string, unknown>; positionals: string[] }, io: CommandIo): Promise<number>;
}

/** Thrown for a wrong command line; printed with the command's usage, exit code 2. */
export class UsageError extends Error {}
