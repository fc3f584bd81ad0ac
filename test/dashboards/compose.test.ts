import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, tempDir } from '../helpers.ts';

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  ports?: string[];
  expose?: string[];
  volumes?: string[];
  network_mode?: string;
  environment?: Record<string, string>;
  user?: string;
}

const compose = parse(await readFile(join(ROOT, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;
const read = async (path: string) => parse(await readFile(join(ROOT, path), 'utf8'));
const hasPromtool = spawnSync('promtool', ['--version']).status === 0;

/** The host path and container path of each bind mount of a service. */
function binds(service: Service): { host: string; container: string }[] {
  return (service.volumes ?? [])
    .map((v) => v.split(':'))
    .filter(([host]) => host?.startsWith('./'))
    .map(([host, container]) => ({ host: join(ROOT, host as string), container: container as string }));
}

describe('docker-compose.yml', () => {
  it('runs Ecotone, Prometheus, Alertmanager, a webhook receiver and Grafana, images pinned', () => {
    expect(Object.keys(services).sort()).toEqual([
      'alert-receiver',
      'alertmanager',
      'ecotone',
      'grafana',
      'prometheus',
    ]);
    expect(services.ecotone?.build).toBe('.');
    for (const [name, service] of Object.entries(services)) {
      if (name === 'ecotone') continue;
      expect(service.image, name).toMatch(/^[\w./-]+:v?\d+\.\d+\.\d+(-slim)?$/);
    }
  });

  it('mounts only paths that exist, and every named volume is declared', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const { host } of binds(service)) expect(existsSync(host), `${name}: ${host}`).toBe(true);
      for (const v of service.volumes ?? []) {
        const [source] = v.split(':');
        if (!source?.startsWith('./'))
          expect(compose.volumes, `${name}: ${source}`).toHaveProperty(source as string);
      }
    }
  });

  it('ports agree: Ecotone, Prometheus, Alertmanager, the receiver and Grafana find each other', async () => {
    const ecotone = services.ecotone as Service;
    const port = ecotone.command?.[ecotone.command.indexOf('--port') + 1];
    expect(port).toBe('9480');
    expect((ecotone as { healthcheck?: unknown }).healthcheck).toBeDefined();

    // Prometheus shares Ecotone's network namespace: it scrapes Ecotone on loopback, and its own
    // port is published on the ecotone service.
    const prometheus = services.prometheus as Service;
    expect(prometheus.network_mode).toBe('service:ecotone');
    expect(prometheus.command).toContain('--web.listen-address=0.0.0.0:9090');
    expect(ecotone.ports).toContain('9090:9090');
    const config = await read('dashboards/prometheus/prometheus.yml');
    const job = config.scrape_configs.find((j: { job_name: string }) => j.job_name === 'ecotone');
    expect(job.static_configs[0].targets).toEqual([`127.0.0.1:${port}`]);
    expect(config.alerting.alertmanagers[0].static_configs[0].targets).toEqual(['alertmanager:9093']);
    expect(services.alertmanager?.ports).toContain('9093:9093');
    expect(config.rule_files).toEqual(['/etc/prometheus/rules/*.yml']);
    expect(binds(prometheus).map((b) => b.container)).toContain('/etc/prometheus/rules');

    const alertmanager = await read('dashboards/alertmanager/alertmanager.yml');
    expect(alertmanager.receivers[0].webhook_configs[0].url).toBe('http://alert-receiver:8080/alerts');
    expect(services['alert-receiver']?.expose).toEqual(['8080']);
    expect(services['alert-receiver']?.command?.join(' ')).toContain('listen(8080)');

    const datasources = await read('dashboards/grafana/provisioning/datasources/prometheus.yml');
    expect(datasources.datasources[0]).toMatchObject({
      type: 'prometheus',
      uid: 'prometheus',
      url: 'http://ecotone:9090',
    });
    expect(services.grafana?.ports).toContain('3000:3000');
  });

  it('Grafana: dashboards provisioned from the generated folder, anonymous access off, admin password from the environment', async () => {
    const grafana = services.grafana as Service;
    const provider = (await read('dashboards/grafana/provisioning/dashboards/ecotone.yml')).providers[0];
    expect(provider).toMatchObject({ type: 'file', folder: 'Ecotone' });
    const mount = binds(grafana).find((b) => b.container === provider.options.path);
    expect(mount?.host).toBe(join(ROOT, 'dashboards', 'generated', 'dashboards'));
    expect(statSync(mount?.host as string).isDirectory()).toBe(true);
    expect(grafana.environment?.GF_AUTH_ANONYMOUS_ENABLED).toBe('false');
    expect(grafana.environment?.GF_SECURITY_ADMIN_PASSWORD).toMatch(/^\$\{GRAFANA_ADMIN_PASSWORD/);
    const home = grafana.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH as string;
    expect(existsSync(join(mount?.host as string, home.slice(provider.options.path.length)))).toBe(true);
  });

  it('the Dockerfile runs Node 24 as a non-root user with a healthcheck and a volume for the SQLite file', async () => {
    const dockerfile = await readFile(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:24\.\d+\.\d+-slim$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
    expect(dockerfile).toMatch(/^VOLUME \/data$/m);
  });

  it.skipIf(!hasPromtool)(
    'promtool check config passes on the mounted Prometheus config with the mounted rules',
    async () => {
      const { dir, remove } = await tempDir();
      try {
        const text = await readFile(join(ROOT, 'dashboards', 'prometheus', 'prometheus.yml'), 'utf8');
        const local = text.replace(
          '/etc/prometheus/rules/*.yml',
          join(ROOT, 'dashboards', 'generated', 'rules', '*.yml'),
        );
        await writeFile(join(dir, 'prometheus.yml'), local);
        const check = spawnSync('promtool', ['check', 'config', join(dir, 'prometheus.yml')], {
          encoding: 'utf8',
        });
        expect(check.stdout + check.stderr).toMatch(/SUCCESS: \d+ rules found/);
        expect(check.status).toBe(0);
        const am = spawnSync('amtool', ['--version']);
        if (am.status === 0) {
          const amCheck = spawnSync(
            'amtool',
            ['check-config', join(ROOT, 'dashboards', 'alertmanager', 'alertmanager.yml')],
            {
              encoding: 'utf8',
            },
          );
          expect(amCheck.status, amCheck.stdout + amCheck.stderr).toBe(0);
        }
      } finally {
        await remove();
      }
    },
  );
});
