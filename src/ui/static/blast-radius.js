/**
 * What a failing integration or system reaches, from the catalog graph alone. For an integration
 * it follows the KPI engine's definition (`jobs/kpi/impact.ts`, served as
 * `GET /api/v1/integrations/{id}/impact`), so the map agrees with the API: the integrations
 * downstream (those leaving its target system, transitively), for an `api` call the `api` calls
 * into its source (their callers wait on it), the workflows it is a step of and their other
 * steps, and the counterpart participants of all of them. A system reaches the integrations
 * into and out of it and everything downstream. Retired integrations carry nothing.
 *
 * The detail panel prefers the impact endpoint; the map uses this to outline what every down
 * integration reaches without one request per integration.
 *
 * @param {{ participants: {id: string, role: string}[], systems: {id: string, participant: string}[], integrations: {id: string, from: string, to: string, kind?: string, status?: string}[], workflows: {id: string, steps: {integration: string | null}[]}[] }} graph
 * @param {{ kind: 'integration' | 'system', id: string }} target
 * @returns {{ integrations: Set<string>, systems: Set<string>, workflows: Set<string>, participants: Set<string> }}
 * @example
 * blastRadius(graph, { kind: 'integration', id: 'checkout-payment' }).workflows; // Set { 'order-to-cash' }
 */
export function blastRadius(graph, target) {
  const live = graph.integrations.filter((i) => i.status !== 'retired');
  const byId = new Map(live.map((i) => [i.id, i]));
  const leaving = new Map();
  for (const i of live) leaving.set(i.from, [...(leaving.get(i.from) ?? []), i]);
  const integrations = new Set();
  const workflows = new Set();
  const starts = [];
  if (target.kind === 'integration') {
    const root = byId.get(target.id);
    if (root) {
      integrations.add(root.id);
      starts.push(root.to);
      if (root.kind === 'api')
        for (const i of live) if (i.kind === 'api' && i.to === root.from) integrations.add(i.id);
      for (const w of graph.workflows) {
        if (!w.steps.some((s) => s.integration === root.id)) continue;
        workflows.add(w.id);
        for (const s of w.steps)
          if (s.integration && byId.has(s.integration)) integrations.add(s.integration);
      }
    }
  } else if (graph.systems.some((s) => s.id === target.id)) {
    for (const i of live) if (i.to === target.id) integrations.add(i.id);
    starts.push(target.id);
  }
  const seen = new Set(starts);
  const queue = [...starts];
  while (queue.length > 0) {
    const system = queue.shift();
    for (const i of leaving.get(system) ?? []) {
      integrations.add(i.id);
      if (!seen.has(i.to)) {
        seen.add(i.to);
        queue.push(i.to);
      }
    }
  }
  const participantOf = new Map(graph.systems.map((s) => [s.id, s.participant]));
  const roles = new Map(graph.participants.map((p) => [p.id, p.role]));
  const systems = new Set();
  const participants = new Set();
  for (const id of integrations) {
    const i = byId.get(id);
    systems.add(i.from);
    systems.add(i.to);
    // The counterpart, as the metrics' `participant` label: the target, unless only it is ours.
    const ours = (p) => roles.get(p) === 'orchestrator' || roles.get(p) === 'internal';
    const source = participantOf.get(i.from);
    const target = participantOf.get(i.to);
    const counterpart = ours(target) && !ours(source) ? source : target;
    if (counterpart) participants.add(counterpart);
  }
  if (target.kind === 'system') systems.add(target.id);
  return { integrations, systems, workflows, participants };
}
