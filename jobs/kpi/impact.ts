import type { KpiCatalog } from './catalog.ts';

/** What depends on one integration, from the catalog graph. */
export interface BlastRadius {
  integration: string;
  /** Integrations fed, directly or through others, by the data this one delivers: those leaving its target system, transitively. */
  downstream: string[];
  /** For an `api` call: the `api` integrations into its source system, whose callers wait on it. */
  upstream: string[];
  /** Workflows with this integration as a step. */
  workflows: string[];
  /** Integrations of those workflows (besides this one). */
  workflowIntegrations: string[];
  /** Counterpart participants of this integration and of every one above. */
  participants: string[];
}

/**
 * The blast radius of an integration. Data flows from an integration's source to its target, and
 * on through every integration leaving the target (downstream, transitively); a synchronous
 * `api` call also holds up the `api` calls into its source system (upstream, one hop: their
 * callers wait for the answer); and a workflow cannot complete without each of its steps. The
 * result is an upper bound: a system may route only part of what it receives onwards.
 *
 * @example
 * blastRadius(catalog, 'checkout-payment').workflows; // ['order-to-cash']
 */
export function blastRadius(catalog: KpiCatalog, integrationId: string): BlastRadius | undefined {
  const byId = new Map(catalog.integrations.map((i) => [i.id, i]));
  const root = byId.get(integrationId);
  if (!root) return undefined;
  const leaving = new Map<string, string[]>();
  for (const i of catalog.integrations) leaving.set(i.source, [...(leaving.get(i.source) ?? []), i.id]);
  const downstream = new Set<string>();
  const queue = [root.target];
  const seenSystems = new Set<string>(queue);
  while (queue.length > 0) {
    const system = queue.shift() as string;
    for (const id of leaving.get(system) ?? []) {
      if (id === root.id || downstream.has(id)) continue;
      downstream.add(id);
      const next = byId.get(id)?.target;
      if (next !== undefined && !seenSystems.has(next)) {
        seenSystems.add(next);
        queue.push(next);
      }
    }
  }
  const upstream =
    root.kind === 'api'
      ? catalog.integrations
          .filter((i) => i.kind === 'api' && i.target === root.source && i.id !== root.id)
          .map((i) => i.id)
      : [];
  const workflows = catalog.workflows.filter((w) => w.steps.includes(root.id));
  const workflowIntegrations = [...new Set(workflows.flatMap((w) => w.steps))].filter(
    (id) => id !== root.id && byId.has(id),
  );
  const affected = new Set([root.id, ...downstream, ...upstream, ...workflowIntegrations]);
  const participants = new Set<string>();
  for (const id of affected) {
    const p = byId.get(id)?.participant;
    if (p) participants.add(p);
  }
  const sorted = (values: Iterable<string>) => [...values].sort();
  return {
    integration: root.id,
    downstream: sorted(downstream),
    upstream: sorted(upstream),
    workflows: sorted(workflows.map((w) => w.id)),
    workflowIntegrations: sorted(workflowIntegrations),
    participants: sorted(participants),
  };
}

/** The integrations a blast radius covers, the integration itself included. */
export const affectedIntegrations = (radius: BlastRadius) =>
  new Set([radius.integration, ...radius.downstream, ...radius.upstream, ...radius.workflowIntegrations]);

/** Revenue per hour and currency flowing through a set of integrations. */
export function revenueThrough(
  integrations: Iterable<string>,
  hourly: ReadonlyMap<string, ReadonlyMap<string, number>>,
): Map<string, number> {
  const byCurrency = new Map<string, number>();
  for (const id of integrations)
    for (const [currency, amount] of hourly.get(id) ?? [])
      byCurrency.set(currency, (byCurrency.get(currency) ?? 0) + amount);
  return byCurrency;
}
