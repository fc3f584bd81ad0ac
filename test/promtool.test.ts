import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleConfig, ROOT, startTestApp, tempDir } from './helpers.ts';

const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
const hasPromtool = promtool.status === 0;
if (!hasPromtool) {
  console.warn(
    'SKIPPED: promtool not found; install Debian package "prometheus" (.ci/run does) to lint /metrics',
  );
}

describe.skipIf(!hasPromtool)('promtool', () => {
  it('accepts the Prometheus configuration of the compose stack', () => {
    const check = spawnSync(
      'promtool',
      ['check', 'config', join(ROOT, 'dashboards', 'prometheus', 'prometheus.yml')],
      {
        encoding: 'utf8',
      },
    );
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('finds nothing to report in /metrics of the example ecosystem', async () => {
    const { dir, remove } = await tempDir();
    const t = await startTestApp(await exampleConfig(dir));
    try {
      t.jobMetrics.register('retention');
      t.jobMetrics.record({ job: 'retention', startedAt: Date.now(), durationMs: 12, outcome: 'success' });
      const body = await (await t.app.request('/metrics')).text();
      const check = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
      expect(check.stdout + check.stderr).toBe('');
      expect(check.status).toBe(0);
    } finally {
      await t.close();
      await remove();
    }
  });
});
