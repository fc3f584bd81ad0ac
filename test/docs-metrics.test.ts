import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleMetrics, ROOT } from './helpers.ts';

/** Names of metric families in the first cell of a table row: | `ecotone_x` | ... */
function documentedMetrics(markdown: string): string[] {
  return [...markdown.matchAll(/^\|\s*`([a-z_:][a-z0-9_:]*)`\s*\|/gm)].map((m) => m[1] as string);
}

describe('docs/metrics.md', () => {
  it('documents exactly the metric families the service exports', async () => {
    const exported = [...(await exampleMetrics()).matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1] as string);
    const documented = documentedMetrics(await readFile(join(ROOT, 'docs', 'metrics.md'), 'utf8'));
    expect(new Set(documented).size).toBe(documented.length);
    expect(documented.sort()).toEqual(exported.sort());
  });
});
