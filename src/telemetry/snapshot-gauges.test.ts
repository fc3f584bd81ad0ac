import { afterEach, describe, expect, it } from 'vitest';
import { startTelemetry, type Telemetry } from './telemetry.ts';

describe('snapshot gauges', () => {
  let telemetry: Telemetry | undefined;
  afterEach(async () => {
    await telemetry?.shutdown();
  });

  it('exports exactly the series the reader returns at each scrape', async () => {
    telemetry = startTelemetry({ serviceVersion: 't', cardinalityLimit: 100 });
    let ids = ['a', 'b'];
    telemetry.gauges.register([{ name: 'x_items', description: 'Items.' }], async () => ({
      x_items: ids.map((id) => ({ attributes: { id }, value: 1 })),
    }));
    expect(await telemetry.render()).toContain('x_items{id="b"} 1');
    ids = ['a'];
    const text = await telemetry.render();
    expect(text).toContain('# HELP x_items Items.\n# TYPE x_items gauge\nx_items{id="a"} 1');
    expect(text).not.toContain('id="b"');
  });

  it('leaves out a group whose reader fails, reports it, and keeps the others', async () => {
    const failures: string[][] = [];
    telemetry = startTelemetry({
      serviceVersion: 't',
      cardinalityLimit: 100,
      onCollectError: (_error, families) => failures.push(families),
    });
    telemetry.gauges.register([{ name: 'x_broken', description: 'Broken.' }], async () => {
      throw new Error('store closed');
    });
    telemetry.gauges.register([{ name: 'x_fine', description: 'Fine.' }], async () => ({
      x_fine: [{ attributes: {}, value: 2 }],
    }));
    const text = await telemetry.render();
    expect(text).toContain('x_fine 2');
    expect(text).not.toContain('x_broken');
    expect(failures).toEqual([['x_broken']]);
  });

  it('refuses a second telemetry while one is active', async () => {
    telemetry = startTelemetry({ serviceVersion: 't', cardinalityLimit: 100 });
    expect(() => startTelemetry({ serviceVersion: 't', cardinalityLimit: 100 })).toThrow(
      'telemetry is already started',
    );
  });
});
