import { join } from 'node:path';
import { OpenAPIHono } from '@hono/zod-openapi';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../db/index.ts';
import { applyCatalog } from '../../src/catalog/index.ts';
import { checkCommand } from '../../src/cli/commands/check.ts';
import { registerQualityRoutes } from '../../src/server/routes/quality.ts';
import { startTelemetry } from '../../src/telemetry/index.ts';
import { tempDir } from '../helpers.ts';
import { CRM, datasetsConfig, NOW, qualityFor, writeSqlite } from './fixtures.ts';

const DATASETS = `  - id: crm-customers
    system: crm
    source: { type: sqlite, path: crm.db, table: customers }
    checks:
      - { type: freshness, column: updated_at, warn: 1h, fail: 3h }
      - { type: missing, column: email, warn: 1, fail: 5 }
      - { type: duplicates, key: [id], warn: 5% }
      - { type: consistency, reference: analytics, fail: 50% }
      - { type: schema }
  - id: analytics
    system: warehouse
    source: { type: postgres, url: "postgres://reader:hunter2@127.0.0.1:1/dw", table: customers }
    checks:
      - { type: row_count, min: { fail: 1 } }
`;

let dir: string;
let remove: () => Promise<void>;
beforeEach(async () => {
  ({ dir, remove } = await tempDir());
  writeSqlite(join(dir, 'crm.db'), 'customers', CRM);
});
afterEach(() => remove());

describe('GET /datasets/{id}/quality', () => {
  it('answers the latest result per check with history, 404 for an unknown dataset', async () => {
    const config = datasetsConfig(dir, DATASETS);
    const store = openStore({ path: config.settings.storage.path });
    await applyCatalog(store, config, { source: config.file });
    await store.close();
    const q = await qualityFor(config);
    try {
      await q.run('crm-customers');
      await q.run('crm-customers');
      const app = new OpenAPIHono();
      const catalog = openStore({ path: config.settings.storage.path });
      registerQualityRoutes(app, {
        store: { ...catalog, ...q.store },
        datasets: () => config.datasets,
        history: 5,
      });
      const res = await app.request('/datasets/crm-customers/quality?history=1');
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, unknown> & { checks: Record<string, unknown>[] };
      expect(body).toMatchObject({ dataset: 'crm-customers', system: 'crm', outcome: 'error' });
      expect(body.checks.map((c) => [c.check, c.outcome])).toEqual([
        ['freshness', 'warn'],
        ['missing.email', 'warn'],
        ['duplicates.id', 'warn'],
        ['consistency.analytics', 'error'],
        ['schema', 'pass'],
      ]);
      expect(body.checks[0]).toMatchObject({
        value: 7200,
        unit: 'seconds',
        threshold: { warn: '> 1h', fail: '> 3h' },
        history: [{ outcome: 'warn', value: 7200 }],
      });
      expect(JSON.stringify(body)).not.toContain('hunter2');
      expect((await app.request('/datasets/nope/quality')).status).toBe(404);
      await catalog.close();
    } finally {
      await q.close();
    }
  });
});

describe('quality metrics', () => {
  it('exports each family with dataset and system labels, statuses 0-3', async () => {
    const config = datasetsConfig(dir, DATASETS);
    const telemetry = startTelemetry({ serviceVersion: 'test', cardinalityLimit: 1000 });
    const { openQualityStore } = await import('../../src/quality/store.ts');
    const { startQuality } = await import('../../src/quality/index.ts');
    const { pino } = await import('pino');
    const store = openQualityStore({ path: config.settings.storage.path });
    const clock = { now: NOW };
    const quality = await startQuality({
      config,
      store,
      logger: pino({ level: 'silent' }),
      gauges: telemetry.gauges,
      now: () => clock.now,
    });
    try {
      await quality.run('crm-customers');
      await quality.run('analytics');
      clock.now += 60_000;
      const text = await telemetry.render();
      const lines = text.split('\n').filter((l) => /^ecotone_(dataset|quality)_/.test(l));
      expect(lines).toEqual([
        'ecotone_dataset_freshness_seconds{dataset="crm-customers",system="crm"} 7260',
        'ecotone_dataset_rows{dataset="crm-customers",system="crm"} 10',
        'ecotone_dataset_completeness_ratio{dataset="crm-customers",system="crm",column="email"} 0.8',
        'ecotone_dataset_duplicate_ratio{dataset="crm-customers",system="crm"} 0.1',
        'ecotone_dataset_schema_changes_total{dataset="crm-customers",system="crm"} 0',
        'ecotone_dataset_schema_changes_total{dataset="analytics",system="warehouse"} 0',
        'ecotone_quality_check_status{dataset="crm-customers",system="crm",check="consistency.analytics"} 3',
        'ecotone_quality_check_status{dataset="crm-customers",system="crm",check="duplicates.id"} 1',
        'ecotone_quality_check_status{dataset="crm-customers",system="crm",check="freshness"} 1',
        'ecotone_quality_check_status{dataset="crm-customers",system="crm",check="missing.email"} 1',
        'ecotone_quality_check_status{dataset="crm-customers",system="crm",check="schema"} 0',
        'ecotone_quality_check_status{dataset="analytics",system="warehouse",check="row_count"} 3',
      ]);
      expect(quality.health()).toEqual({
        datasets: new Map([
          ['crm-customers', 'error'],
          ['analytics', 'error'],
        ]),
        systems: new Map([
          ['crm', 'error'],
          ['warehouse', 'error'],
        ]),
      });
    } finally {
      await telemetry.shutdown();
      await store.close();
    }
  });
});

describe('ecotone check', () => {
  const io = () => {
    const out = { stdout: '', stderr: '' };
    return {
      out,
      io: {
        stdout: (t: string) => {
          out.stdout += t;
        },
        stderr: (t: string) => {
          out.stderr += t;
        },
        env: {},
        cwd: dir,
      },
    };
  };

  it('prints a table and exits 1 when a check fails or errors, 0 when none does', async () => {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(
      join(dir, 'ecosystem.yaml'),
      `participants:
  - { id: acme, role: orchestrator, country: DE }
systems:
  - { id: crm, participant: acme }
datasets:
  - id: ok
    system: crm
    source: { type: sqlite, path: crm.db, table: customers }
    checks:
      - { type: row_count, min: { warn: 20, fail: 1 } }
  - id: bad
    system: crm
    source: { type: sqlite, path: crm.db, table: customers }
    checks:
      - { type: duplicates, key: [id], fail: 0 }
`,
    );
    const ok = io();
    expect(await checkCommand.run({ values: { db: 'q.db' }, positionals: ['ok'] }, ok.io)).toBe(0);
    expect(ok.out.stdout.replace(/\(\d+ ms\)/, '(N ms)').split('\n')).toEqual([
      'dataset ok: 1 warn (N ms)',
      'CHECK      OUTCOME  VALUE    THRESHOLD                    MESSAGE',
      'row_count  warn     10 rows  min warn < 20, min fail < 1  10 rows, below the warn minimum 20',
      '',
    ]);
    const bad = io();
    expect(
      await checkCommand.run({ values: { db: 'q.db', 'dry-run': true }, positionals: ['bad'] }, bad.io),
    ).toBe(1);
    expect(bad.out.stdout).toContain('duplicates.id  fail     1');
    const unknown = io();
    expect(await checkCommand.run({ values: {}, positionals: ['nope'] }, unknown.io)).toBe(1);
    expect(unknown.out.stderr).toBe(`ecotone check: no dataset "nope" in ${join(dir, 'ecosystem.yaml')}\n`);
  });
});
