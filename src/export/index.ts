import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildRules, dashboardFiles, type RulesOptions, rulesYaml } from '../../dashboards/index.ts';
import type { Config } from '../config/index.ts';

/** Where the committed generated artefacts live: `dashboards/generated/{dashboards,rules}`. */
export const GENERATED_DIR = fileURLToPath(new URL('../../dashboards/generated', import.meta.url));

/** The file `ecotone export rules` writes in its output folder. */
export const RULES_FILE = 'ecotone.rules.yml';

/**
 * Writes every Grafana dashboard as JSON into `dir` (created if missing) and returns the paths.
 *
 * @example
 * await exportDashboards('dashboards/generated/dashboards');
 */
export async function exportDashboards(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [file, json] of Object.entries(dashboardFiles())) {
    const path = join(dir, file);
    await writeFile(path, json);
    written.push(path);
  }
  return written;
}

/** The rule file's text for `config`; `cwd` makes the source file's name in the header relative. */
export function rulesText(config: Config, options: RulesOptions = {}, cwd = process.cwd()): string {
  return rulesYaml(buildRules(config, options), relative(cwd, config.file) || config.file);
}

/**
 * Writes the Prometheus recording and alerting rules generated from `config`'s catalog into
 * `dir/ecotone.rules.yml` (folder created if missing) and returns the path.
 */
export async function exportRules(config: Config, dir: string, options: RulesOptions = {}): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, RULES_FILE);
  await writeFile(path, rulesText(config, options));
  return path;
}
