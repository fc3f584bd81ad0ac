import { resolve } from 'node:path';
import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../command.ts';
import { configPath, loadOrReport } from '../config-file.ts';

export const exportCommand: Command = {
  name: 'export',
  summary: 'Write the Grafana dashboards or the Prometheus rules generated from the catalog',
  usage: `Usage: ecotone export dashboards --out DIR
       ecotone export rules --out DIR [-c FILE] [--runbook-base URL] [--scrape-job NAME]

dashboards   writes one Grafana dashboard JSON file per dashboard into DIR
rules        writes DIR/ecotone.rules.yml: SLI recording rules, SLO objectives and multi-window
             multi-burn-rate alerts per integration, down, latency, TLS, data-quality and
             self alerts, with severities by tier (see docs/dashboards.md)

The committed copies are in dashboards/generated/ (rules from examples/ecosystem.yaml).

Options:
  -o, --out DIR           output folder (created if missing)
  -c, --config FILE       catalog for the rules (default: $ECOTONE_CONFIG, then ./ecosystem.yaml)
      --runbook-base URL  base of each alert's runbook_url (default: docs/runbooks)
      --scrape-job NAME   Prometheus job that scrapes Ecotone, for EcotoneScrapeAbsent (default: ecotone)
  -h, --help              show this help`,
  options: {
    out: { type: 'string', short: 'o' },
    config: { type: 'string', short: 'c' },
    'runbook-base': { type: 'string' },
    'scrape-job': { type: 'string' },
  },
  async run({ values, positionals }, io) {
    const [what, ...rest] = positionals;
    if (what !== 'dashboards' && what !== 'rules')
      throw new UsageError(
        what === undefined ? 'expected "dashboards" or "rules"' : `unknown export "${what}"`,
      );
    if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
    if (values.out === undefined) throw new UsageError('--out DIR is required');
    const out = resolve(io.cwd, values.out as string);
    const { exportDashboards, exportRules } = await import('../../export/index.ts');
    if (what === 'dashboards') {
      if (values.config !== undefined) throw new UsageError('--config applies to "export rules" only');
      for (const path of await exportDashboards(out)) io.stderr(`wrote ${path}\n`);
      return EXIT.ok;
    }
    const config = await loadOrReport(configPath(values.config as string | undefined, io), io);
    if (!config) return EXIT.failure;
    const path = await exportRules(config, out, {
      ...(values['runbook-base'] !== undefined ? { runbookBaseUrl: values['runbook-base'] as string } : {}),
      ...(values['scrape-job'] !== undefined ? { scrapeJob: values['scrape-job'] as string } : {}),
    });
    io.stderr(`wrote ${path}\n`);
    return EXIT.ok;
  },
};
