import { stringify } from 'yaml';
import { type Config, defaultCheckName } from '../../src/config/index.ts';
import { counterpartParticipant } from '../../src/metrics/index.ts';
import { RECORDED } from './names.ts';
import { BURN_RATE_ALERTS, burnRateFactor, SLI_WINDOWS, TIER_POLICY, type Tier } from './policy.ts';

export { BURN_RATE_ALERTS, burnRateFactor, SLI_WINDOWS, TIER_POLICY } from './policy.ts';

/** A Prometheus recording or alerting rule, as written to the rule file. */
export interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A Prometheus rule file: `groups` of rules evaluated together. */
export interface RuleFile {
  groups: { name: string; interval?: string; rules: Rule[] }[];
}

export interface RulesOptions {
  /**
   * Base of every alert's `runbook_url`; the runbook file and anchor are appended
   * (default `docs/runbooks`, the folder in this repository; set it to where your copy is published).
   */
  runbookBaseUrl?: string;
  /** Prometheus scrape job of Ecotone, for the scrape-absent alert (default `ecotone`). */
  scrapeJob?: string;
}

const PROBE_SLI = (w: string) =>
  ratio(`rate(ecotone_probes_total{outcome!="success"}[${w}])`, `rate(ecotone_probes_total[${w}])`);
const CALL_SLI = (w: string) =>
  ratio(
    `rate(ecotone_integration_requests_total{outcome=~"server_error|error"}[${w}])`,
    `rate(ecotone_integration_requests_total[${w}])`,
  );
const BY = 'integration, tier, participant';

/** bad / all per integration; integrations with runs but no bad ones get 0, not a missing series. */
function ratio(bad: string, all: string): string {
  return `(sum by (${BY}) (${bad}) or 0 * sum by (${BY}) (${all}))\n  / sum by (${BY}) (${all})`;
}

function p95(metric: string): string {
  return `histogram_quantile(0.95, sum by (${BY}, le) (rate(${metric}_bucket[5m])))`;
}

/** Alert template: the integration's revenue at risk per hour (KPI engine), with its blast radius. */
const REVENUE_AT_RISK =
  '{{ with printf "sum by (currency) (ecotone_integration_revenue_at_risk{integration=%q})" $labels.integration | query }}{{ range . }}{{ .Value | humanize }} {{ .Labels.currency }}/h {{ end }}{{ else }}not computed{{ end }}';

/**
 * Recording and alerting rules for `config`'s catalog:
 *
 * - the SLI per integration (error ratio over each window in {@link SLI_WINDOWS}: probe runs when
 *   the integration is probed, else traced calls), its p95 latency, and each integration's SLO
 *   objectives as constant series;
 * - per integration with a probe or match rules, the multi-window multi-burn-rate alerts of the
 *   SRE workbook ({@link BURN_RATE_ALERTS}), scaled to the integration's SLO window;
 * - per tier, an integration down and latency over SLO; TLS certificates expiring; datasets stale,
 *   failing or unreadable; Ecotone's jobs failing and its scrape absent.
 *
 * Severities follow the tier ({@link TIER_POLICY}).
 *
 * @example
 * await writeFile('ecotone.rules.yml', rulesYaml(buildRules(config)));
 */
export function buildRules(config: Config, options: RulesOptions = {}): RuleFile {
  const runbookBase = (options.runbookBaseUrl ?? 'docs/runbooks').replace(/\/$/, '');
  const runbook = (file: string) => `${runbookBase}/${file}`;
  const job = options.scrapeJob ?? 'ecotone';
  const participants = new Map(config.participants.map((p) => [p.id, p]));
  const systems = new Map(config.systems.map((s) => [s.id, s]));
  const withSli = config.integrations.filter((i) => i.probe !== undefined || i.match.length > 0);
  const labelsOf = (integration: (typeof config.integrations)[number]) => {
    const source = participants.get(systems.get(integration.from)?.participant ?? '');
    const target = participants.get(systems.get(integration.to)?.participant ?? '');
    return {
      integration: integration.id,
      tier: integration.tier,
      participant: counterpartParticipant({
        integration: integration.id,
        tier: integration.tier,
        kind: integration.kind,
        sourceSystem: integration.from,
        targetSystem: integration.to,
        sourceParticipant: source?.id ?? '',
        targetParticipant: target?.id ?? '',
        sourceRole: source?.role ?? '',
        targetRole: target?.role ?? '',
      }),
    };
  };

  const sli: Rule[] = [
    ...SLI_WINDOWS.map((w) => ({
      record: RECORDED.errorRatio(w),
      expr: `${PROBE_SLI(w)}\nor\n${CALL_SLI(w)}\n`,
    })),
    {
      record: RECORDED.latencyP95,
      expr: `${p95('ecotone_probe_duration_seconds')}\nor\n${p95('ecotone_integration_request_duration_seconds')}\n`,
    },
  ];

  const objectives: Rule[] = withSli.flatMap((i) => [
    { record: RECORDED.availabilityObjective, expr: `vector(${i.slo.availability})`, labels: labelsOf(i) },
    { record: RECORDED.latencyObjective, expr: `vector(${i.slo.latency / 1000})`, labels: labelsOf(i) },
  ]);

  const burn: Rule[] = withSli.flatMap((i) => {
    const budget = round(1 - i.slo.availability);
    const policy = TIER_POLICY[i.tier as Tier];
    const selector = `{integration="${i.id}"}`;
    return (['page', 'ticket'] as const).map((kind): Rule => {
      const pairs = BURN_RATE_ALERTS.filter((a) => a.kind === kind).map((a) => {
        const threshold = `(${burnRateFactor(a, i.slo.window)} * ${budget})`;
        return `(\n  ${RECORDED.errorRatio(a.long)}${selector} > ${threshold}\nand\n  ${RECORDED.errorRatio(a.short)}${selector} > ${threshold}\n)`;
      });
      const windows = BURN_RATE_ALERTS.filter((a) => a.kind === kind)
        .map((a) => `${burnRateFactor(a, i.slo.window)}x over ${a.long} and ${a.short}`)
        .join(', or ');
      return {
        alert: kind === 'page' ? 'EcotoneErrorBudgetBurnFast' : 'EcotoneErrorBudgetBurnSlow',
        expr: `${pairs.join('\nor\n')}\n`,
        labels: {
          integration: i.id,
          severity: kind === 'page' ? policy.page : policy.ticket,
          slo_alert: kind,
        },
        annotations: {
          summary: `Integration ${i.id} (${i.tier}, {{ $labels.participant }}) is spending its error budget ${kind === 'page' ? 'fast' : 'steadily'}`,
          description: `${i.name ?? i.id} fails more than its ${percent(i.slo.availability)} availability SLO allows: burn rate above ${windows} (error ratio now {{ $value | humanizePercentage }}). Revenue at risk: ${REVENUE_AT_RISK}.`,
          runbook_url: runbook(`error-budget-burn.md`),
          ...(i.runbook ? { integration_runbook: i.runbook } : {}),
        },
      };
    });
  });

  const tiers = Object.keys(TIER_POLICY) as Tier[];
  const integrations: Rule[] = [
    ...tiers.map((tier) => ({
      alert: 'EcotoneIntegrationDown',
      expr: `ecotone_integration_status{tier="${tier}"} == 2`,
      for: TIER_POLICY[tier].down.for,
      labels: { tier, severity: TIER_POLICY[tier].down.severity },
      annotations: {
        summary:
          'Integration {{ $labels.integration }} ({{ $labels.tier }}, {{ $labels.participant }}) is down',
        description: `Every probe of {{ $labels.integration }} has failed for at least ${TIER_POLICY[tier].down.for} (after the 3 consecutive failures that mark it down). Counterpart: {{ $labels.participant }}. Revenue at risk: ${REVENUE_AT_RISK}.`,
        runbook_url: runbook('integration-down.md'),
      },
    })),
    ...tiers.map((tier) => ({
      alert: 'EcotoneIntegrationLatencyOverSlo',
      expr: `${RECORDED.latencyP95}{tier="${tier}"} > on (integration) group_left () ${RECORDED.latencyObjective}`,
      for: '15m',
      labels: { tier, severity: TIER_POLICY[tier].ticket },
      annotations: {
        summary: 'Integration {{ $labels.integration }} is slower than its SLO latency',
        description:
          'The 95th percentile latency of {{ $labels.integration }} ({{ $labels.tier }}, {{ $labels.participant }}) has been {{ $value | humanizeDuration }} for 15 minutes, above its SLO latency.',
        runbook_url: runbook('latency-over-slo.md'),
      },
    })),
    {
      alert: 'EcotoneCertificateExpiresSoon',
      expr: 'ecotone_probe_tls_expiry_seconds - time() < 14 * 86400',
      for: '10m',
      labels: { severity: 'warning' },
      annotations: {
        summary:
          'The TLS certificate of {{ $labels.integration }} expires in {{ $value | humanizeDuration }}',
        description:
          'The leaf certificate that {{ $labels.integration }} ({{ $labels.participant }}) presents expires in less than 14 days. Ask {{ $labels.participant }} to renew it.',
        runbook_url: runbook('certificate-expiring.md'),
      },
    },
    {
      alert: 'EcotoneCertificateExpiresSoon',
      expr: 'ecotone_probe_tls_expiry_seconds - time() < 3 * 86400',
      for: '10m',
      labels: { severity: 'critical' },
      annotations: {
        summary:
          'The TLS certificate of {{ $labels.integration }} expires in {{ $value | humanizeDuration }}',
        description:
          'The leaf certificate that {{ $labels.integration }} ({{ $labels.participant }}) presents expires in less than 3 days: calls will fail once it does.',
        runbook_url: runbook('certificate-expiring.md'),
      },
    },
  ];

  const freshness = [
    ...new Set(
      config.datasets.flatMap((d) => d.checks.filter((c) => c.type === 'freshness').map(defaultCheckName)),
    ),
  ]
    .map(escapeRegex)
    .join('|');
  const data: Rule[] = [
    {
      alert: 'EcotoneDatasetStale',
      expr: `ecotone_quality_check_status{check=~"${freshness}"} == 2`,
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Dataset {{ $labels.dataset }} on {{ $labels.system }} is stale',
        description:
          'The freshness check {{ $labels.check }} of {{ $labels.dataset }} fails: its newest record is older than the fail threshold.',
        runbook_url: runbook('dataset-quality.md#stale'),
      },
    },
    {
      alert: 'EcotoneDatasetCheckFailing',
      expr: `ecotone_quality_check_status{check!~"${freshness}"} == 2`,
      for: '15m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Check {{ $labels.check }} of dataset {{ $labels.dataset }} fails',
        description:
          'The last runs of {{ $labels.check }} on {{ $labels.dataset }} ({{ $labels.system }}) failed for 15 minutes.',
        runbook_url: runbook('dataset-quality.md#failing'),
      },
    },
    {
      alert: 'EcotoneDatasetUnreadable',
      expr: 'ecotone_quality_check_status == 3',
      for: '15m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Dataset {{ $labels.dataset }} cannot be read',
        description:
          'Check {{ $labels.check }} of {{ $labels.dataset }} ({{ $labels.system }}) could not read its source for 15 minutes.',
        runbook_url: runbook('dataset-quality.md#unreadable'),
      },
    },
  ];

  const self: Rule[] = [
    {
      alert: 'EcotoneJobFailing',
      expr: 'increase(ecotone_job_failures_total[30m]) > 0',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Ecotone job {{ $labels.job_name }} failed',
        description:
          'Ecotone job {{ $labels.job_name }} failed {{ $value | humanize }} times in the last 30 minutes.',
        runbook_url: runbook('ecotone-self.md#job-failing'),
      },
    },
    {
      alert: 'EcotoneJobNotSucceeding',
      expr: 'time() - ecotone_job_last_success_timestamp_seconds > 2 * 3600\n  and ecotone_job_last_success_timestamp_seconds > 0\n',
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Ecotone job {{ $labels.job_name }} has not succeeded for 2 hours',
        description: 'Ecotone job {{ $labels.job_name }} last succeeded {{ $value | humanizeDuration }} ago.',
        runbook_url: runbook('ecotone-self.md#job-not-succeeding'),
      },
    },
    {
      alert: 'EcotoneScrapeAbsent',
      expr: `absent(up{job="${job}"} == 1)`,
      for: '5m',
      labels: { job, severity: 'critical' },
      annotations: {
        summary: 'Prometheus cannot scrape Ecotone',
        description: `No target of scrape job "${job}" has been up for 5 minutes: every Ecotone metric and alert is blind.`,
        runbook_url: runbook('ecotone-self.md#scrape-absent'),
      },
    },
  ];

  return {
    groups: [
      { name: 'ecotone-sli', rules: sli },
      { name: 'ecotone-slo-objectives', rules: objectives },
      { name: 'ecotone-slo-burn-rate', rules: burn },
      { name: 'ecotone-integrations', rules: integrations },
      { name: 'ecotone-data-quality', rules: data },
      { name: 'ecotone-self', rules: self },
    ],
  };
}

/** A rule file as YAML, with a header saying it is generated. */
export function rulesYaml(rules: RuleFile, source = 'the catalog'): string {
  return `# Generated by "ecotone export rules" from ${source}. Do not edit: change the catalog or dashboards/rules/ and regenerate.\n${stringify(rules, { lineWidth: 0 })}`;
}

function escapeRegex(text: string): string {
  return text.replace(/[\\.^$|?*+()[\]{}]/g, '\\\\$&');
}

function round(x: number): number {
  return Number(x.toPrecision(12));
}

function percent(x: number): string {
  return `${round(x * 100)}%`;
}
