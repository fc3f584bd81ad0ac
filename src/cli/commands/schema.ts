import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { configJsonSchema } from '../../config/index.ts';
import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../command.ts';

export const schemaCommand: Command = {
  name: 'schema',
  summary: 'Print the JSON Schema of ecosystem.yaml (for editor autocompletion)',
  usage: `Usage: ecotone schema [--out FILE]

Prints the JSON Schema (draft 2020-12) of ecosystem.yaml. Point your editor at it, e.g. with
"# yaml-language-server: $schema=./ecotone.schema.json" as the first line of the file.

Options:
  -o, --out FILE   write to FILE instead of stdout
  -h, --help       show this help`,
  options: { out: { type: 'string', short: 'o' } },
  async run({ values, positionals }, io) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const text = `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
    const out = values.out as string | undefined;
    if (out === undefined) io.stdout(text);
    else {
      const path = resolve(io.cwd, out);
      await writeFile(path, text);
      io.stderr(`wrote ${path}\n`);
    }
    return EXIT.ok;
  },
};
