import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.ts';
import { ROOT } from '../helpers.ts';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'quality');

/** One fixture per way a dataset's source or checks can be wrong, with the line the user sees. */
const CASES: [fixture: string, expected: string][] = [
  [
    'anomaly-min-history',
    ':10:68: datasets[0].checks[0].minHistory: expected minHistory to be at most window, found number 10',
  ],
  [
    'bad-column-name',
    ':10:34: datasets[0].checks[0].column: expected a column name of letters, digits and "_", not starting with a digit, found string "email; DROP TABLE x"',
  ],
  [
    'bad-jsonpath',
    ':8:74: datasets[0].source.records: invalid JSONPath "$.items[*]": column 8: unsupported JSONPath wildcard "[*]" (supported: $, .name, [\'name\'], [index])',
  ],
  [
    'bad-regex',
    ':10:50: datasets[0].checks[0].pattern: invalid regular expression: Invalid regular expression: /([a-z/u: Unterminated character class, found string "([a-z"',
  ],
  [
    'bad-source-type',
    ':8:21: datasets[0].source.type: expected source type "sqlite", "postgres", "http-json" or "csv", found string "mysql"',
  ],
  ['checks-without-source', ':6:5: datasets[0].source: required, expected a source for the checks'],
  [
    'duplicate-check-name',
    ':11:9: datasets[0].checks[1].name: duplicate check name "missing.email" (first at checks[0]); give one a name',
  ],
  [
    'freshness-without-column',
    ':10:9: datasets[0].checks[0].column: required with a sqlite source, expected a timestamp column',
  ],
  [
    'http-aggregate-needs-records',
    ':10:17: datasets[0].checks[0].type: expected a source that reads records: http-json without records gives only row_count, freshness, anomaly and consistency by count',
  ],
  [
    'min-warn-below-fail',
    ':10:41: datasets[0].checks[0].min.warn: expected warn to be at least fail (a lower value is worse), found warn 5 and fail 10',
  ],
  [
    'mixed-units',
    ':10:46: datasets[0].checks[0].warn: expected warn and fail in the same unit, found 5 and 10%',
  ],
  ['negative-threshold', ':10:47: datasets[0].checks[0].warn: expected a number at least 0, found number -1'],
  ['no-threshold', ':10:9: datasets[0].checks[0]: expected warn, fail or both'],
  [
    'percent-over-100',
    ':10:61: datasets[0].checks[0].fail: expected a percent of at most 100%, found string "120%"',
  ],
  ['table-and-query', ':8:50: datasets[0].source.table: expected exactly one of table or query'],
  [
    'unknown-check-type',
    ':10:17: datasets[0].checks[0].type: expected check type "freshness", "row_count", "missing", "duplicates", "invalid", "schema", "consistency", "anomaly", found string "uniqueness"',
  ],
  [
    'unknown-column-type',
    ':11:40: datasets[0].checks[0].columns.email: expected one of "string", "integer", "number", "boolean", "timestamp", "json", found string "varchar"',
  ],
  ['unknown-reference', ':10:41: datasets[0].checks[0].reference: unknown dataset "analytics"'],
  [
    'warn-after-fail',
    ':10:54: datasets[0].checks[0].warn: expected warn to be at most fail (a higher value is worse), found warn 2h and fail 1h',
  ],
];

describe('quality config errors', () => {
  it('has a case for every fixture', async () => {
    const files = (await readdir(FIXTURES))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => f.replace(/\.yaml$/, ''));
    expect(files.sort()).toEqual(CASES.map(([f]) => f).sort());
  });

  it.each(CASES)('%s', async (fixture, expected) => {
    const file = join(FIXTURES, `${fixture}.yaml`);
    const error = await loadConfig(file, { env: {} }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message.split('\n')).toEqual([
      `${file}: 1 problem`,
      `  ${file}${expected}`,
    ]);
  });
});
