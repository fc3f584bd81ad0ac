import { isOurs, type KpiCatalog } from './catalog.ts';
import { quantile, shannonIndex } from './stats.ts';
import { DAY, dayStart, type KpiStore, type KpiValues } from './types.ts';

/** How far back activity makes a participant or integration active. */
export const ACTIVE_WINDOW_MS = 30 * DAY;

/** Participant stages counted as members for the diversity index. */
const MEMBER_STAGES = new Set(['onboarding', 'active']);

export interface ParticipationInput {
  store: Pick<KpiStore, 'participantActivity' | 'kpiStages' | 'callCounts' | 'availability'>;
  catalog: KpiCatalog;
  now: number;
}

/**
 * Participation KPIs: active participants and integrations (30 days), connected systems,
 * onboardings and their velocity, time to first value, stakeholder counts and diversity.
 *
 * Active: an event of the participant, or a successful traced call or probe run of an
 * integration whose counterpart it is, in the last 30 days (calls and probes by UTC day).
 */
export async function computeParticipation({ store, catalog, now }: ParticipationInput): Promise<KpiValues> {
  const since = now - ACTIVE_WINDOW_MS;
  const [activity, stages, calls, probes] = await Promise.all([
    store.participantActivity(),
    store.kpiStages(),
    store.callCounts({ from: dayStart(since), to: now + 1 }),
    store.availability({ resolution: 'day', from: dayStart(since), to: now + 1 }),
  ]);
  const activeIntegrations = new Set<string>();
  for (const c of calls) if (c.calls - c.errors > 0) activeIntegrations.add(c.integrationId);
  for (const p of probes) if (p.successes > 0) activeIntegrations.add(p.integrationId);
  const activeParticipants = new Set(
    activity.filter((a) => a.lastEventAt >= since).map((a) => a.participantId),
  );
  const byTier = new Map<string, number>();
  const connected = new Set<string>();
  for (const integration of catalog.integrations) {
    connected.add(integration.source);
    connected.add(integration.target);
    byTier.set(integration.tier, (byTier.get(integration.tier) ?? 0) + 0);
    if (!activeIntegrations.has(integration.id)) continue;
    byTier.set(integration.tier, (byTier.get(integration.tier) ?? 0) + 1);
    activeParticipants.add(integration.participant);
  }
  const activeByRole = new Map<string, number>();
  for (const participant of catalog.participants) {
    if (isOurs(participant.role)) continue;
    const n = activeByRole.get(participant.role) ?? 0;
    activeByRole.set(participant.role, n + (activeParticipants.has(participant.id) ? 1 : 0));
  }

  const firstByStage = new Map<string, Map<string, number>>();
  for (const s of stages) {
    const byParticipant = firstByStage.get(s.stage) ?? new Map<string, number>();
    byParticipant.set(s.participantId, s.firstAt);
    firstByStage.set(s.stage, byParticipant);
  }
  const earliest = (a: number | undefined, b: number | undefined) =>
    a === undefined ? b : b === undefined ? a : Math.min(a, b);
  const timesToValue: number[] = [];
  let onboardings = 0;
  let recentOnboardings = 0;
  for (const participant of catalog.participants) {
    const firstValue = earliest(
      participant.firstValueAt,
      firstByStage.get('first_value')?.get(participant.id),
    );
    const signed = earliest(participant.signedAt, firstByStage.get('signed')?.get(participant.id));
    if (firstValue === undefined) continue;
    onboardings += 1;
    if (firstValue >= since && firstValue <= now) recentOnboardings += 1;
    if (signed !== undefined && firstValue >= signed) timesToValue.push((firstValue - signed) / 1000);
  }
  timesToValue.sort((a, b) => a - b);

  const members = catalog.participants.filter((p) => MEMBER_STAGES.has(p.stage));
  const countBy = (list: typeof catalog.participants, key: (p: (typeof list)[number]) => string | null) => {
    const counts = new Map<string, number>();
    for (const p of list) {
      const value = key(p);
      if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    return counts;
  };
  const roles = countBy(members, (p) => p.role);
  const countries = countBy(members, (p) => p.country);
  const all = catalog.participants;

  return {
    participants_active: [...activeByRole].map(([role, value]) => ({ labels: { role }, value })),
    integrations_active: [...byTier].map(([tier, value]) => ({ labels: { tier }, value })),
    systems_connected: [{ labels: {}, value: connected.size }],
    onboardings_total: [{ labels: {}, value: onboardings }],
    onboarding_velocity: [{ labels: {}, value: recentOnboardings }],
    onboarding_time_to_value_seconds: [0.5, 0.9].flatMap((q) => {
      const value = quantile(timesToValue, q);
      return value === undefined ? [] : [{ labels: { quantile: String(q) }, value }];
    }),
    stakeholder_diversity_index: [
      { labels: { dimension: 'role' }, value: shannonIndex(roles.values()) },
      { labels: { dimension: 'country' }, value: shannonIndex(countries.values()) },
    ],
    participant_counts: (['role', 'country', 'industry'] as const).flatMap((dimension) =>
      [...countBy(all, (p) => p[dimension])].map(([value, n]) => ({
        labels: { dimension, value },
        value: n,
      })),
    ),
  };
}
