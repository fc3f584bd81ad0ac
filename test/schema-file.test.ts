import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../src/config/index.ts';
import { ROOT } from './helpers.ts';

describe('ecotone.schema.json', () => {
  it('is the JSON Schema the code generates (regenerate: node src/cli/main.ts schema --out ecotone.schema.json)', async () => {
    const committed = await readFile(join(ROOT, 'ecotone.schema.json'), 'utf8');
    expect(committed).toBe(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
  });
});
