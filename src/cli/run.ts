import { parseArgs } from 'node:util';
import { VERSION } from '../version.ts';
import { type Command, type CommandIo, EXIT, UsageError } from './command.ts';
import { applyCommand } from './commands/apply.ts';
import { checkCommand } from './commands/check.ts';
import { demoCommand } from './commands/demo.ts';
import { exportCommand } from './commands/export.ts';
import { probeCommand } from './commands/probe.ts';
import { schemaCommand } from './commands/schema.ts';
import { serveCommand } from './commands/serve.ts';
import { tokenCommand } from './commands/token.ts';
import { validateCommand } from './commands/validate.ts';

const COMMANDS: Command[] = [
  serveCommand,
  demoCommand,
  validateCommand,
  applyCommand,
  probeCommand,
  checkCommand,
  tokenCommand,
  schemaCommand,
  exportCommand,
];

const HELP = `ecotone ${VERSION}: ecosystem health metrics and observability

Usage: ecotone COMMAND [OPTIONS]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Run "ecotone COMMAND --help" for a command's options.
Exit codes: 0 success, 1 the command failed (e.g. invalid config), 2 wrong usage.`;

/** Runs the CLI with `argv` (without node and the script) and returns the exit code. */
export async function run(argv: string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    io.stdout(`${HELP}\n`);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '-v' || name === '--version' || name === 'version') {
    io.stdout(`${VERSION}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr(`ecotone: unknown command "${name}"\n\n${HELP}\n`);
    return EXIT.usage;
  }
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      io.stdout(`${command.usage}\n`);
      return EXIT.ok;
    }
    return await command.run({ values, positionals }, io);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      io.stderr(`ecotone ${command.name}: ${(error as Error).message}\n\n${command.usage}\n`);
      return EXIT.usage;
    }
    io.stderr(`ecotone ${command.name}: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT.failure;
  }
}
