/** Types of blast-radius.js, for the tests that import it from TypeScript. */
export interface RadiusGraph {
  participants: { id: string; role: string }[];
  systems: { id: string; participant: string }[];
  integrations: { id: string; from: string; to: string; kind?: string; status?: string }[];
  workflows: { id: string; steps: { integration: string | null }[] }[];
}

export interface Radius {
  integrations: Set<string>;
  systems: Set<string>;
  workflows: Set<string>;
  participants: Set<string>;
}

export function blastRadius(
  graph: RadiusGraph,
  target: { kind: 'integration' | 'system'; id: string },
): Radius;
