import { describe, expect, it } from 'vitest';
import { EXAMPLE_CONFIG } from '../../test/helpers.ts';
import { configJsonSchema, loadConfig, parseConfig } from './index.ts';

describe('loadConfig', () => {
  it('loads the bundled example with every default set', async () => {
    const config = await loadConfig(EXAMPLE_CONFIG, { env: {} });
    expect(config.participants.length).toBeGreaterThanOrEqual(12);
    expect(config.integrations.length).toBeGreaterThanOrEqual(15);
    expect(config.integrations.length).toBeLessThanOrEqual(25);
    expect(config.workflows).toHaveLength(2);
    expect(new Set(config.participants.map((p) => p.country)).size).toBeGreaterThan(3);
    expect(new Set(config.integrations.map((i) => i.kind)).size).toBeGreaterThan(3);
    expect(new Set(config.integrations.map((i) => i.tier)).size).toBe(4);
    expect(config.settings.storage.path.startsWith('/')).toBe(true);
  });

  it('fills defaults and converts durations to milliseconds', () => {
    const config = parseConfig(
      [
        'participants: [{ id: p, role: partner, country: FR }]',
        'systems: [{ id: a, participant: p }, { id: b, participant: p }]',
        'integrations:',
        '  - { id: a-b, from: a, to: b, probe: { type: tcp, host: localhost, port: 22, interval: 1m } }',
      ].join('\n'),
      '/etc/ecotone/ecosystem.yaml',
    );
    const integration = config.integrations[0];
    expect(integration?.tier).toBe('medium');
    expect(integration?.slo).toEqual({ availability: 0.99, latency: 1000, window: 2_592_000_000 });
    expect(integration?.probe).toMatchObject({ interval: 60_000, timeout: 5_000 });
    expect(config.settings.server).toEqual({
      host: '127.0.0.1',
      port: 9480,
      shutdownTimeout: 10_000,
      requestTimeout: 30_000,
    });
    expect(config.settings.storage.path).toBe('/etc/ecotone/data/ecotone.db');
    expect(config.settings.limits.metricLabelSets).toBe(50_000);
  });

  it('expands environment variables before validating', () => {
    const config = parseConfig('settings:\n  server:\n    port: ${PORT:-1}\n    host: "${HOST}"', 'x.yaml', {
      env: { PORT: '8080', HOST: '0.0.0.0' },
    });
    expect(config.settings.server.port).toBe(8080);
    expect(config.settings.server.host).toBe('0.0.0.0');
  });

  it('accepts an empty file as an empty catalog', () => {
    const config = parseConfig('', '/tmp/empty.yaml');
    expect(config.integrations).toEqual([]);
  });
});

describe('configJsonSchema', () => {
  it('describes the input: strict objects, durations as strings', () => {
    const schema = configJsonSchema() as {
      additionalProperties: boolean;
      properties: Record<string, unknown>;
    };
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining([
        'settings',
        'participants',
        'systems',
        'integrations',
        'workflows',
        'datasets',
        'valueModel',
      ]),
    );
    const text = JSON.stringify(schema);
    expect(text).toContain('"required":["id","role","country"]');
    expect(text).toContain(
      '"interval":{"description":"How often to probe (default 30s).","default":"30s","type":"string","pattern"',
    );
  });
});
