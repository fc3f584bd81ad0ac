import type { CatalogSnapshot } from '../../db/index.ts';
import type { EcosystemConfig } from '../config/index.ts';

/** Turns a validated config into the snapshot the store applies; names default to ids. */
export function catalogSnapshot(config: EcosystemConfig): CatalogSnapshot {
  return {
    participants: config.participants.map((p) => ({
      id: p.id,
      name: p.name ?? p.id,
      owner: p.owner,
      role: p.role,
      country: p.country,
      industry: p.industry,
      stage: p.stage,
      spec: p,
    })),
    systems: config.systems.map((s) => ({
      id: s.id,
      name: s.name ?? s.id,
      owner: s.owner,
      participantId: s.participant,
      kind: s.kind,
      spec: s,
    })),
    integrations: config.integrations.map((i) => ({
      id: i.id,
      name: i.name ?? i.id,
      owner: i.owner,
      sourceSystemId: i.from,
      targetSystemId: i.to,
      kind: i.kind,
      tier: i.tier,
      channel: i.channel,
      spec: i,
    })),
    workflows: config.workflows.map((w) => ({ id: w.id, name: w.name ?? w.id, owner: w.owner, spec: w })),
    datasets: config.datasets.map((d) => ({
      id: d.id,
      name: d.name ?? d.id,
      owner: d.owner,
      systemId: d.system,
      spec: d,
    })),
    valueModel: config.valueModel,
  };
}
