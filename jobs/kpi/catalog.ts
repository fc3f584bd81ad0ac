import type { ValueModelInput } from '../../db/index.ts';
import type { KpiStore } from './types.ts';

export interface KpiIntegration {
  id: string;
  tier: string;
  kind: string;
  channel: string | null;
  source: string;
  target: string;
  sourceParticipant: string;
  targetParticipant: string;
  /** The side that is not the company itself (the rule of the `participant` label). */
  participant: string;
  slo: { availability: number; latencyMs: number; windowMs: number };
  probed: boolean;
  /** Has match rules, so traced calls can count for it. */
  traced: boolean;
  /** Labelled `connector: standard`: earns `savingsPerStandardIntegration`. */
  standard: boolean;
  createdAt: number;
}

export interface KpiParticipant {
  id: string;
  role: string;
  country: string;
  industry: string | null;
  stage: string;
  /** Lifecycle milestones declared in the catalog, Unix ms. */
  signedAt?: number | undefined;
  firstValueAt?: number | undefined;
}

/** The catalog as the KPI jobs read it: entries in the catalog now (retired ones left out). */
export interface KpiCatalog {
  revision: number;
  integrations: KpiIntegration[];
  participants: KpiParticipant[];
  /** Participant of each system. */
  systems: Map<string, string>;
  /** Integration ids of each workflow's steps (span steps left out). */
  workflows: { id: string; steps: string[] }[];
  valueModel: ValueModelInput;
}

const OURS = new Set(['orchestrator', 'internal']);
/** Participants with these roles are the company itself. */
export const isOurs = (role: string | undefined) => role !== undefined && OURS.has(role);

const MAX_ENTRIES = 1_000_000;
const DEFAULT_VALUE_MODEL: ValueModelInput = {
  currency: 'EUR',
  costPerManualHandoff: 0,
  savingsPerStandardIntegration: 0,
  yearlyEcosystemCost: 0,
};

const date = (value: unknown) => {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
};

type Spec = Record<string, unknown>;

/**
 * Reads the catalog for the KPI jobs again only when its revision moves.
 *
 * @example
 * const catalog = createKpiCatalog(store);
 * const { integrations } = await catalog();
 */
export function createKpiCatalog(store: KpiStore): () => Promise<KpiCatalog> {
  let cached: KpiCatalog | undefined;
  return async () => {
    const revision = await store.catalogRevision();
    if (cached?.revision === revision) return cached;
    const query = { limit: MAX_ENTRIES };
    const [participants, systems, integrations, workflows, valueModel] = await Promise.all([
      store.list('participants', query),
      store.list('systems', query),
      store.list('integrations', query),
      store.list('workflows', query),
      store.getValueModel(),
    ]);
    const roles = new Map(participants.items.map((p) => [p.id, p.role]));
    const systemParticipant = new Map(systems.items.map((s) => [s.id, s.participantId]));
    cached = {
      revision,
      participants: participants.items.map((p) => {
        const lifecycle = ((p.spec as Spec).lifecycle ?? {}) as Spec;
        return {
          id: p.id,
          role: p.role,
          country: p.country,
          industry: p.industry,
          stage: p.stage,
          signedAt: date(lifecycle.signed),
          firstValueAt: date(lifecycle.firstValue),
        };
      }),
      systems: systemParticipant,
      integrations: integrations.items.map((i) => {
        const spec = i.spec as Spec;
        const slo = (spec.slo ?? {}) as Spec;
        const sourceParticipant = systemParticipant.get(i.sourceSystemId) ?? '';
        const targetParticipant = systemParticipant.get(i.targetSystemId) ?? '';
        const participant =
          isOurs(roles.get(targetParticipant)) && !isOurs(roles.get(sourceParticipant))
            ? sourceParticipant
            : targetParticipant;
        return {
          id: i.id,
          tier: i.tier,
          kind: i.kind,
          channel: i.channel,
          source: i.sourceSystemId,
          target: i.targetSystemId,
          sourceParticipant,
          targetParticipant,
          participant,
          slo: {
            availability: typeof slo.availability === 'number' ? slo.availability : 0.99,
            latencyMs: typeof slo.latency === 'number' ? slo.latency : 1000,
            windowMs: typeof slo.window === 'number' ? slo.window : 30 * 86_400_000,
          },
          probed: spec.probe !== undefined && spec.probe !== null,
          traced: Array.isArray(spec.match) ? spec.match.length > 0 : i.origin === 'api',
          standard: ((spec.labels ?? {}) as Spec).connector === 'standard',
          createdAt: i.createdAt,
        };
      }),
      workflows: workflows.items.map((w) => ({
        id: w.id,
        steps: (((w.spec as Spec).steps ?? []) as unknown[]).flatMap((step) =>
          typeof step === 'string'
            ? [step]
            : step && typeof step === 'object' && typeof (step as Spec).integration === 'string'
              ? [(step as Spec).integration as string]
              : [],
        ),
      })),
      valueModel: valueModel ?? DEFAULT_VALUE_MODEL,
    };
    return cached;
  };
}
