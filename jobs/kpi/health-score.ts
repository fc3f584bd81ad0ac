/** Health score components of an integration, in the order they are explained. */
export const HEALTH_COMPONENTS = ['availability', 'latency', 'status', 'quality', 'activity'] as const;
export type HealthComponentName = (typeof HEALTH_COMPONENTS)[number];

export type HealthWeights = Record<HealthComponentName, number>;

/** One input of a score: what was measured, what it scored, how much it counts and what it cost. */
export interface HealthComponent {
  name: string;
  /** The configured weight. */
  weight: number;
  /** Its share of the score once components with no data are left out (0–1). */
  share: number;
  /** 0–100, or null when there is nothing to judge it by (then it does not count). */
  score: number | null;
  /** What was measured, in the unit of `unit`. */
  value: number | string | null;
  unit: string;
  /** Points of the 100 this component took off the score. */
  lost: number;
  /** What lowered it, in words; null when it scored 100 or did not count. */
  lowered: string | null;
}

export interface HealthExplanation {
  kind: 'integration' | 'participant' | 'ecosystem';
  id: string;
  /** 0–100, or null when nothing could be judged. */
  score: number | null;
  components: HealthComponent[];
  /** The component that lowered the score most, in words. */
  summary: string;
  computedAt: number;
}

export interface ComponentInput {
  name: string;
  weight: number;
  score: number | null;
  value: number | string | null;
  unit: string;
  lowered: string | null;
}

/**
 * Combines components into a score: Σ weight × score / Σ weight over the components that have a
 * score and a weight above 0. Each component's `lost` is its share × (100 − score), so the lost
 * points add up to 100 − score. Components come back sorted by what they lost, most first.
 *
 * @example
 * combine('integration', 'pay', now, [{ name: 'status', weight: 1, score: 50, … }]).score; // 50
 */
export function combine(
  kind: HealthExplanation['kind'],
  id: string,
  computedAt: number,
  inputs: ComponentInput[],
): HealthExplanation {
  const counted = inputs.filter((c) => c.score !== null && c.weight > 0);
  const totalWeight = counted.reduce((n, c) => n + c.weight, 0);
  const components: HealthComponent[] = inputs.map((c) => {
    const share = c.score !== null && c.weight > 0 && totalWeight > 0 ? c.weight / totalWeight : 0;
    const lost = c.score === null ? 0 : share * (100 - c.score);
    return { ...c, share, lost, lowered: c.score !== null && c.score < 100 ? c.lowered : null };
  });
  components.sort((a, b) => b.lost - a.lost);
  const score =
    totalWeight > 0 ? counted.reduce((n, c) => n + (c.weight / totalWeight) * (c.score as number), 0) : null;
  const worst = components[0];
  const summary =
    score === null
      ? 'nothing observed to judge'
      : worst && worst.lost > 0
        ? `${worst.name} took ${worst.lost.toFixed(1)} points: ${worst.lowered ?? 'below 100'}`
        : 'every component scored 100';
  return { kind, id, score, components, summary, computedAt };
}

const pct = (ratio: number, digits = 2) => `${(ratio * 100).toFixed(digits)}%`;

export interface IntegrationHealthInput {
  id: string;
  weights: HealthWeights;
  slo: { availability: number; latencyMs: number; windowMs: number };
  /** Runs plus calls and their successes over the SLO window, or undefined without any. */
  window?: { total: number; good: number } | undefined;
  /** Share of calls and probe runs within the SLO latency over the last hour. */
  withinLatency?: { share: number; observations: number } | undefined;
  status: string;
  /** Worst latest data-quality outcome over the datasets of its two systems. */
  quality?: { outcome: string; systems: string[] } | undefined;
  /** Calls plus probe runs in the last hour; undefined when nothing can observe the integration. */
  recentTraffic?: number | undefined;
  now: number;
}

/** Error budget left over the SLO window: 1 − (1 − availability) / (1 − target); negative once overspent. */
export function errorBudgetRemaining(good: number, total: number, target: number): number {
  return 1 - (1 - good / total) / (1 - target);
}

const STATUS_SCORES: Record<string, number | null> = { healthy: 100, degraded: 50, down: 0, unknown: null };
const QUALITY_SCORES: Record<string, number | null> = { pass: 100, warn: 50, fail: 0, error: null };

/**
 * The health score of one integration and why:
 * - availability: error budget left over the SLO window (probes and traced calls), clamped 0–100;
 * - latency: share of calls and probe runs in the last hour within the SLO latency;
 * - status: healthy 100, degraded 50, down 0 (unknown: not counted);
 * - quality: worst data-quality outcome of its systems' datasets, pass 100, warn 50, fail 0
 *   (error: the data was not judged, not counted);
 * - activity: 100 with calls or probe runs in the last hour, else 0 (not counted when nothing can
 *   observe it: no probe and no match rules).
 */
export function integrationHealth(input: IntegrationHealthInput): HealthExplanation {
  const { weights, slo } = input;
  const components: ComponentInput[] = [];
  const days = Math.round(slo.windowMs / 86_400_000);
  if (input.window && input.window.total > 0) {
    const budget = errorBudgetRemaining(input.window.good, input.window.total, slo.availability);
    const availability = input.window.good / input.window.total;
    components.push({
      name: 'availability',
      weight: weights.availability,
      score: Math.max(0, Math.min(1, budget)) * 100,
      value: budget,
      unit: 'error budget left (ratio)',
      lowered: `availability ${pct(availability, 3)} over ${days}d against the SLO ${pct(slo.availability, 3)}: ${budget < 0 ? 'error budget overspent' : `${pct(Math.max(0, budget), 1)} of the error budget left`} (${input.window.total - input.window.good} of ${input.window.total} checks and calls failed)`,
    });
  } else
    components.push({
      name: 'availability',
      weight: weights.availability,
      score: null,
      value: null,
      unit: 'error budget left (ratio)',
      lowered: null,
    });
  if (input.withinLatency && input.withinLatency.observations > 0)
    components.push({
      name: 'latency',
      weight: weights.latency,
      score: input.withinLatency.share * 100,
      value: input.withinLatency.share,
      unit: 'share within the SLO latency',
      lowered: `${pct(1 - input.withinLatency.share, 1)} of ${input.withinLatency.observations} calls and probe runs in the last hour slower than the SLO latency ${slo.latencyMs} ms`,
    });
  else
    components.push({
      name: 'latency',
      weight: weights.latency,
      score: null,
      value: null,
      unit: 'share within the SLO latency',
      lowered: null,
    });
  components.push({
    name: 'status',
    weight: weights.status,
    score: STATUS_SCORES[input.status] ?? null,
    value: input.status,
    unit: 'status',
    lowered: `status is ${input.status}`,
  });
  components.push({
    name: 'quality',
    weight: weights.quality,
    score: input.quality ? (QUALITY_SCORES[input.quality.outcome] ?? null) : null,
    value: input.quality?.outcome ?? null,
    unit: 'worst data-quality outcome',
    lowered: input.quality
      ? `data quality of ${input.quality.systems.join(', ')} is ${input.quality.outcome}`
      : null,
  });
  components.push({
    name: 'activity',
    weight: weights.activity,
    score: input.recentTraffic === undefined ? null : input.recentTraffic > 0 ? 100 : 0,
    value: input.recentTraffic ?? null,
    unit: 'calls and probe runs in the last hour',
    lowered: 'no calls or probe runs in the last hour',
  });
  return combine('integration', input.id, input.now, components);
}

/**
 * A weighted mean of scored members (integrations) as a score with one component per member,
 * plus optional extra components (a participant's satisfaction).
 */
export function rollUp(
  kind: 'participant' | 'ecosystem',
  id: string,
  now: number,
  members: { id: string; tier: string; weight: number; score: number; summary: string }[],
  extra: ComponentInput[] = [],
  memberWeight = 1,
): HealthExplanation {
  const total = members.reduce((n, m) => n + m.weight, 0);
  const inputs: ComponentInput[] = members.map((m) => ({
    name: `integration:${m.id}`,
    weight: total > 0 ? (memberWeight * m.weight) / total : 0,
    score: m.score,
    value: m.score,
    unit: `health score (${m.tier})`,
    lowered: m.summary,
  }));
  return combine(kind, id, now, [...inputs, ...extra]);
}
