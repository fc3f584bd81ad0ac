import { spawnSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dashboard, Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import { describe, expect, it } from 'vitest';
import { DASHBOARDS, dashboardFiles, panelQueries, substituteVariables } from '../../dashboards/index.ts';
import { CLI, ROOT, tempDir } from '../helpers.ts';

const GENERATED = join(ROOT, 'dashboards', 'generated', 'dashboards');
const built = Object.entries(DASHBOARDS).map(([file, build]) => ({ file, dashboard: build() }));

function panelsOf(dashboard: Dashboard): Panel[] {
  return (dashboard.panels ?? []).filter((p) => p.type !== 'row') as Panel[];
}

describe('dashboards', () => {
  it('are the six of the issue, each with a stable uid of its own', () => {
    expect(built.map((b) => b.dashboard.uid)).toEqual([
      'ecotone-integration-reliability',
      'ecotone-slos-alerts',
      'ecotone-ecosystem-value',
      'ecotone-participation-usage',
      'ecotone-data-quality',
      'ecotone-self',
    ]);
    // Built twice, the JSON is the same: no random ids or timestamps.
    expect(dashboardFiles()).toEqual(dashboardFiles());
  });

  it.each(built)(
    '$file: unique panel ids, refIds, a description, a unit and the datasource variable on every panel',
    ({ dashboard }) => {
      const all = dashboard.panels ?? [];
      const ids = all.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.every((id) => typeof id === 'number' && id > 0)).toBe(true);
      for (const panel of panelsOf(dashboard)) {
        const where = `${dashboard.uid} / ${panel.title}`;
        expect(panel.description, where).toBeTruthy();
        expect(panel.datasource, where).toEqual({ type: 'prometheus', uid: '${datasource}' });
        expect(panel.fieldConfig?.defaults?.unit, where).toBeTruthy();
        expect(panel.fieldConfig?.defaults?.thresholds?.steps?.length, where).toBeGreaterThan(0);
        expect(panel.targets?.length, where).toBeGreaterThan(0);
        const refIds = (panel.targets ?? []).map((t) => (t as { refId?: string }).refId);
        expect(new Set(refIds).size, where).toBe(refIds.length);
        for (const target of panel.targets ?? []) {
          expect((target as { datasource?: unknown }).datasource, where).toEqual({
            type: 'prometheus',
            uid: '${datasource}',
          });
        }
      }
    },
  );

  it.each(built)(
    '$file: a datasource variable first, and every variable a query uses is defined',
    ({ dashboard }) => {
      const variables = dashboard.templating?.list ?? [];
      expect(variables[0]).toMatchObject({ type: 'datasource', name: 'datasource', query: 'prometheus' });
      const names = new Set(variables.map((v) => v.name));
      for (const v of variables.slice(1))
        expect(v.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
      for (const query of panelQueries(dashboard)) {
        for (const [, name] of query.expr.matchAll(/\$(?!__)\{?(\w+)/g))
          expect(names.has(name as string), `${query.panel}: $${name}`).toBe(true);
        expect(substituteVariables(query.expr)).not.toMatch(/\$/);
      }
    },
  );

  it('are committed in dashboards/generated/dashboards exactly as generated', async () => {
    const expected = dashboardFiles();
    expect((await readdir(GENERATED)).sort()).toEqual(Object.keys(expected).sort());
    for (const [file, json] of Object.entries(expected)) {
      expect(
        await readFile(join(GENERATED, file), 'utf8'),
        `${file} is out of date: run "node src/cli/main.ts export dashboards --out dashboards/generated/dashboards"`,
      ).toBe(json);
    }
  });

  it('"ecotone export dashboards --out DIR" writes the same files', async () => {
    const { dir, remove } = await tempDir();
    try {
      const run = spawnSync(process.execPath, [CLI, 'export', 'dashboards', '--out', dir], {
        encoding: 'utf8',
      });
      expect(run.status, run.stderr).toBe(0);
      for (const [file, json] of Object.entries(dashboardFiles()))
        expect(await readFile(join(dir, file), 'utf8')).toBe(json);
    } finally {
      await remove();
    }
  });

  it('"ecotone export" without what to export is a usage error', () => {
    const run = spawnSync(process.execPath, [CLI, 'export', '--out', '/tmp/x'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('expected "dashboards" or "rules"');
  });
});
