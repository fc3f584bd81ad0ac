import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { BURN_RATE_ALERTS, buildRules, burnRateFactor, TIER_POLICY } from '../../dashboards/index.ts';
import { rulesText } from '../../src/export/index.ts';
import { CLI, EXAMPLE_CONFIG, exampleConfig, ROOT, tempDir } from '../helpers.ts';

const GENERATED = join(ROOT, 'dashboards', 'generated', 'rules', 'ecotone.rules.yml');
const UNIT_TESTS = ['ecotone.rules.test.yml', 'ecotone.rules.slow-burn.test.yml'].map((f) =>
  join(ROOT, 'dashboards', 'prometheus', 'tests', f),
);
const hasPromtool = spawnSync('promtool', ['--version']).status === 0;
if (!hasPromtool)
  console.warn(
    'SKIPPED: promtool not found; install Debian package "prometheus" (.ci/run does) to test the rules',
  );

const THIRTY_DAYS = 30 * 86_400_000;

describe('rules', () => {
  it('burn rates are the SRE workbook figures for a 30-day SLO window', () => {
    expect(BURN_RATE_ALERTS.map((a) => [a.kind, a.long, a.short, burnRateFactor(a, THIRTY_DAYS)])).toEqual([
      ['page', '1h', '5m', 14.4],
      ['page', '6h', '30m', 6],
      ['ticket', '1d', '2h', 3],
      ['ticket', '3d', '6h', 1],
    ]);
    // A 7-day window spends its budget 30/7 times faster per hour: the factors shrink accordingly.
    expect(burnRateFactor(BURN_RATE_ALERTS[0]!, 7 * 86_400_000)).toBe(3.36);
  });

  it('every alert has a severity from the tier policy, a summary, a description and a runbook that exists', async () => {
    const rules = buildRules(await exampleConfig(ROOT));
    const severities = new Set(
      Object.values(TIER_POLICY).flatMap((p) => [p.page, p.ticket, p.down.severity]),
    );
    const alerts = rules.groups.flatMap((g) => g.rules).filter((r) => r.alert);
    expect(alerts.length).toBeGreaterThan(20);
    for (const alert of alerts) {
      expect(severities.has(alert.labels?.severity ?? ''), alert.alert).toBe(true);
      expect(alert.annotations?.summary, alert.alert).toBeTruthy();
      expect(alert.annotations?.description, alert.alert).toBeTruthy();
      const runbook = alert.annotations?.runbook_url ?? '';
      expect(runbook, alert.alert).toMatch(/^docs\/runbooks\/[a-z-]+\.md(#[a-z-]+)?$/);
      const [file, anchor] = runbook.split('#');
      expect(existsSync(join(ROOT, file as string)), runbook).toBe(true);
      if (anchor)
        expect(await readFile(join(ROOT, file as string), 'utf8')).toMatch(
          new RegExp(`^## .*\\{#${anchor}\\}|^## ${anchor.replaceAll('-', '[ -]')}`, 'im'),
        );
    }
    // Down, burn-rate and latency alerts mention the revenue at risk or the participant.
    const burn = alerts.find((a) => a.alert === 'EcotoneErrorBudgetBurnFast');
    expect(burn?.annotations?.description).toContain('ecotone_integration_revenue_at_risk');
  });

  it('one page and one ticket alert per integration with an SLI (a probe or match rules)', async () => {
    const config = await exampleConfig(ROOT);
    const withSli = config.integrations.filter((i) => i.probe || i.match.length > 0).map((i) => i.id);
    const burn = buildRules(config).groups.find((g) => g.name === 'ecotone-slo-burn-rate')?.rules ?? [];
    expect(
      burn.filter((r) => r.alert === 'EcotoneErrorBudgetBurnFast').map((r) => r.labels?.integration),
    ).toEqual(withSli);
    expect(
      burn.filter((r) => r.alert === 'EcotoneErrorBudgetBurnSlow').map((r) => r.labels?.integration),
    ).toEqual(withSli);
  });

  it('are committed in dashboards/generated/rules exactly as generated from examples/ecosystem.yaml', async () => {
    expect(
      await readFile(GENERATED, 'utf8'),
      'out of date: run "node src/cli/main.ts export rules -c examples/ecosystem.yaml --out dashboards/generated/rules"',
    ).toBe(rulesText(await exampleConfig(ROOT), {}, ROOT));
  });

  it('"ecotone export rules --out DIR" writes the same file', async () => {
    const { dir, remove } = await tempDir();
    try {
      const run = spawnSync(process.execPath, [CLI, 'export', 'rules', '-c', EXAMPLE_CONFIG, '--out', dir], {
        encoding: 'utf8',
        cwd: ROOT,
      });
      expect(run.status, run.stderr).toBe(0);
      expect(await readFile(join(dir, 'ecotone.rules.yml'), 'utf8')).toBe(await readFile(GENERATED, 'utf8'));
    } finally {
      await remove();
    }
  });

  describe.skipIf(!hasPromtool)('promtool', () => {
    it('check rules: the generated rules are valid and lint-clean', () => {
      const check = spawnSync('promtool', ['check', 'rules', GENERATED], { encoding: 'utf8' });
      expect(check.stdout + check.stderr).toContain('SUCCESS');
      expect(check.status).toBe(0);
    });

    it('test rules: each alert fires when it should and stays quiet when it should not', async () => {
      const { dir, remove } = await tempDir();
      try {
        // promtool compares annotations verbatim; the unit tests are about when alerts fire.
        const rules = buildRules(await exampleConfig(ROOT));
        for (const group of rules.groups) for (const rule of group.rules) delete rule.annotations;
        await writeFile(join(dir, 'rules.yml'), stringify(rules));
        for (const [i, file] of UNIT_TESTS.entries()) await copyFile(file, join(dir, `tests-${i}.yml`));
        const files = UNIT_TESTS.map((_, i) => `tests-${i}.yml`);
        const test = spawnSync('promtool', ['test', 'rules', ...files], { encoding: 'utf8', cwd: dir });
        expect(test.status, test.stdout + test.stderr).toBe(0);
      } finally {
        await remove();
      }
    }, 60_000);

    it('the unit tests cover every alert of the generated rules', async () => {
      const tests = (await Promise.all(UNIT_TESTS.map((f) => readFile(f, 'utf8')))).join('\n');
      const names = new Set(
        buildRules(await exampleConfig(ROOT))
          .groups.flatMap((g) => g.rules)
          .flatMap((r) => (r.alert ? [r.alert] : [])),
      );
      for (const name of names) expect(tests, name).toContain(`alertname: ${name}\n`);
    });
  });
});
