import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../command.ts';
import { configPath, loadOrReport } from '../config-file.ts';

const ms = (value: number | undefined) => (value === undefined ? '-' : `${Math.round(value)} ms`);

export const probeCommand: Command = {
  name: 'probe',
  summary: "Run one integration's probe once and print the result",
  usage: `Usage: ecotone probe INTEGRATION [-c FILE]

Runs the probe INTEGRATION declares in FILE (default: $ECOTONE_CONFIG or ./ecosystem.yaml) once,
with its conditions, and prints the outcome, the failure class and reason, the phase timings,
the status code and the certificate expiry. Exit code 0 when the probe succeeds, 1 when it fails
or the integration has no probe.

Options:
  -c, --config FILE   the ecosystem.yaml that declares the integration
  -h, --help          show this help`,
  options: { config: { type: 'string', short: 'c' } },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('expected one integration id');
    const id = positionals[0] as string;
    const config = await loadOrReport(configPath(values.config as string | undefined, io), io);
    if (!config) return EXIT.failure;
    const integration = config.integrations.find((i) => i.id === id);
    if (!integration) {
      io.stderr(`ecotone probe: no integration "${id}" in ${config.file}\n`);
      return EXIT.failure;
    }
    if (!integration.probe) {
      io.stderr(`ecotone probe: integration "${id}" declares no probe\n`);
      return EXIT.failure;
    }
    const [{ trace }, { createProbeRunner, toProbeSpec }] = await Promise.all([
      import('@opentelemetry/api'),
      import('../../probing/index.ts'),
    ]);
    const spec = toProbeSpec(integration.probe, config.settings.probes);
    const run = createProbeRunner(trace.getTracer('ecotone'));
    const result = await run({ integrationId: id, spec, version: 'cli' }, new AbortController().signal);
    const target =
      spec.type === 'http'
        ? `${spec.method} ${spec.url}`
        : spec.type === 'tcp'
          ? `${spec.host}:${spec.port}`
          : `${spec.recordType} ${spec.name}`;
    const lines: [string, string][] = [
      ['integration', `${id} (${spec.type} ${target})`],
      [
        'outcome',
        result.success ? 'success' : `failure: ${result.failure?.class} (${result.failure?.reason})`,
      ],
      ['duration', ms(result.durationMs)],
    ];
    const p = result.phases;
    if (p) {
      lines.push([
        'phases',
        `dns ${ms(p.dns)}, connect ${ms(p.connect)}, tls ${ms(p.tls)}, first byte ${ms(p.firstByte)}`,
      ]);
    }
    if (result.statusCode !== undefined) lines.push(['status', String(result.statusCode)]);
    if (result.tlsExpiresAt !== undefined) {
      const days = Math.floor((result.tlsExpiresAt - Date.now()) / 86_400_000);
      lines.push(['tls expiry', `${new Date(result.tlsExpiresAt).toISOString()} (${days} days)`]);
    }
    if (result.answers) lines.push(['answers', result.answers.join(', ') || '(none)']);
    for (const [key, value] of lines) io.stdout(`${key.padEnd(12)} ${value}\n`);
    return result.success ? EXIT.ok : EXIT.failure;
  },
};
