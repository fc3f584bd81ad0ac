import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/index.ts';
import { ROOT } from './helpers.ts';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'config');

/** One fixture per way a config can fail, with the exact line the user sees (after the file name). */
const CASES: [fixture: string, expected: string][] = [
  ['unknown-key', ':20:7: integrations[0].probe.tmeout: unknown key "tmeout"'],
  ['wrong-type', ':15:11: settings.server.port: expected number, found string "eighty"'],
  [
    'bad-cron',
    ':15:16: settings.schedules.retention: expected a cron expression such as "*/5 * * * *" (minute: 61 is a invalid expression for minute), found string "61 * * * *"',
  ],
  ['duplicate-id', ':13:9: systems[2].id: duplicate id "storefront" (first defined at systems[0])'],
  ['missing-system', ':16:9: integrations[0].to: unknown system "psp-gateway"'],
  ['yaml-syntax', ':16:1: invalid YAML: Sequence item without - indicator'],
  [
    'missing-env',
    ':19:12: integrations[0].probe.url: environment variable ECOTONE_TEST_UNSET_URL is not set',
  ],
  [
    'bad-duration',
    ':21:16: integrations[0].probe.timeout: expected a duration such as "30s", "500ms" or "7d", found string "fast"',
  ],
  [
    'bad-enum',
    ':17:11: integrations[0].tier: expected one of "critical", "high", "medium", "low", found string "urgent"',
  ],
  [
    'bad-id',
    ':13:9: systems[2].id: expected an id of 1-63 lowercase letters, digits, ".", "_" or "-", found string "Storefront"',
  ],
  [
    'timeout-not-under-interval',
    ':21:16: integrations[0].probe.timeout: expected timeout to be shorter than interval, found string "10s"',
  ],
  ['unknown-workflow-step', ':19:31: workflows[0].steps[1]: unknown integration "order-invoicing"'],
  [
    'bad-probe-type',
    ':18:13: integrations[0].probe.type: expected probe type "http", "tcp" or "dns", found string "ftp"',
  ],
  [
    'bad-condition',
    ':22:11: integrations[0].probe.conditions[1]: invalid condition "stauts => 200": column 1: unknown operand "stauts" (expected one of status, duration, body, body.<jsonpath>, len(body), len(body.<jsonpath>), len(answers), certificate_expires_in, connected, answers)',
  ],
  [
    'condition-wrong-probe',
    ':20:11: integrations[0].probe.conditions[1]: invalid condition "status == 200": status is not available on a tcp probe (available: duration, connected)',
  ],
  ['top-level-list', ': expected a mapping at the top level, found a list'],
  [
    'missing-required',
    ':2:5: participants[0].role: required, expected one of "orchestrator", "partner", "supplier", "customer", "internal"',
  ],
];

describe('config errors', () => {
  it.each(CASES)('%s', async (fixture, expected) => {
    const file = join(FIXTURES, `${fixture}.yaml`);
    const error = await loadConfig(file, { env: {} }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    const lines = (error as ConfigError).message.split('\n');
    expect(lines).toEqual([`${file}: 1 problem`, `  ${file}${expected}`]);
  });

  it('reports a missing file by name', async () => {
    await expect(loadConfig('/nonexistent/ecosystem.yaml')).rejects.toThrow(
      '/nonexistent/ecosystem.yaml: 1 problem\n  /nonexistent/ecosystem.yaml: file not found',
    );
  });

  it('lists every problem of a file, in file order', async () => {
    const { parseConfig } = await import('../src/config/index.ts');
    const yaml = [
      'participants:',
      '  - id: a',
      '    role: partner',
      '    country: de',
      'systems:',
      '  - { id: web, participant: b }',
      'settings:',
      '  log: { level: loud }',
    ].join('\n');
    const error = (() => {
      try {
        parseConfig(yaml, 'x.yaml');
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error?.issues.map((i) => `${i.line}:${i.path}`)).toEqual([
      '4:participants[0].country',
      '6:systems[0].participant',
      '8:settings.log.level',
    ]);
  });
});
