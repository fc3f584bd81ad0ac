import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../command.ts';
import { configPath, loadOrReport } from '../config-file.ts';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'Check an ecosystem.yaml and report every problem',
  usage: `Usage: ecotone validate [FILE]

Checks FILE (default: $ECOTONE_CONFIG or ./ecosystem.yaml): YAML syntax, every key and type,
durations and cron expressions, duplicate ids and references between entries. Each problem is
printed as FILE:LINE:COLUMN: PATH: MESSAGE. Exit code 0 when valid, 1 when not.

Options:
  -f, --file FILE   the file to check (same as the positional FILE)
  -h, --help        show this help`,
  options: { file: { type: 'string', short: 'f' } },
  async run({ values, positionals }, io) {
    if (positionals.length > 1) throw new UsageError(`expected one file, got ${positionals.length}`);
    const file = configPath((values.file as string | undefined) ?? positionals[0], io);
    const config = await loadOrReport(file, io);
    if (!config) return EXIT.failure;
    io.stdout(
      `${file}: valid (${config.participants.length} participants, ${config.systems.length} systems, ` +
        `${config.integrations.length} integrations, ${config.workflows.length} workflows, ${config.datasets.length} datasets)\n`,
    );
    return EXIT.ok;
  },
};
