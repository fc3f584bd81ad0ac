import { describe, expect, it } from 'vitest';
import { configFrom, startTestApp, tempDir } from './helpers.ts';

function catalogYaml(integrations: number, labelSets: number): string {
  const lines = [
    `settings: { limits: { metricLabelSets: ${labelSets} } }`,
    'participants: [{ id: shop, role: orchestrator, country: DE }]',
    'systems:',
  ];
  for (let i = 0; i <= integrations; i++) lines.push(`  - { id: s${i}, participant: shop }`);
  lines.push('integrations:');
  for (let i = 0; i < integrations; i++) lines.push(`  - { id: i${i}, from: s${i}, to: s${i + 1} }`);
  return lines.join('\n');
}

describe('metric cardinality bound', () => {
  it('keeps at most settings.limits.metricLabelSets series per metric, folding the rest into overflow', async () => {
    const { dir, remove } = await tempDir();
    const t = await startTestApp(configFrom(catalogYaml(150, 100), dir));
    try {
      const text = await (await t.app.request('/metrics')).text();
      const series = text.split('\n').filter((line) => line.startsWith('ecotone_integration_info{'));
      expect(series).toHaveLength(100);
      expect(series.filter((line) => line.includes('otel_metric_overflow="true"'))).toHaveLength(1);
    } finally {
      await t.close();
      await remove();
    }
  });

  it('exports every series while under the bound', async () => {
    const { dir, remove } = await tempDir();
    const t = await startTestApp(configFrom(catalogYaml(150, 1000), dir));
    try {
      const text = await (await t.app.request('/metrics')).text();
      expect(text.match(/^ecotone_integration_info\{/gm)).toHaveLength(150);
      expect(text).not.toContain('otel_metric_overflow');
    } finally {
      await t.close();
      await remove();
    }
  });
});
