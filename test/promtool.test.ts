import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleMetrics, ROOT } from './helpers.ts';

const hasPromtool = spawnSync('promtool', ['--version']).status === 0;
if (!hasPromtool) {
  console.warn(
    'SKIPPED: promtool not found; install Debian package "prometheus" (.ci/run does) to lint /metrics',
  );
}

describe.skipIf(!hasPromtool)('promtool', () => {
  it('accepts the Prometheus configuration of the compose stack', () => {
    const file = join(ROOT, 'dashboards', 'prometheus', 'prometheus.yml');
    const check = spawnSync('promtool', ['check', 'config', file], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('finds nothing to report in /metrics of the example ecosystem', async () => {
    const check = spawnSync('promtool', ['check', 'metrics'], {
      input: await exampleMetrics(),
      encoding: 'utf8',
    });
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
  });
});
