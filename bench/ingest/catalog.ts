/**
 * The catalog the ingest bench runs on: `examples/ecosystem.yaml` as it is, with the settings the
 * bench needs, and with a match rule added to every integration that has none, so the bench's
 * client spans can be attributed. Span shapes are read from the rules, so a rule the example gains
 * later is what the spans then satisfy.
 */
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';

export const EXAMPLE_FILE = new URL('../../examples/ecosystem.yaml', import.meta.url).pathname;

/** A match rule as written in `ecosystem.yaml` (see `matchRuleSchema`). */
export interface BenchMatchRule {
  side?: 'client' | 'server';
  service?: string;
  calleeService?: string;
  serverAddress?: string;
  peerService?: string;
  urlPrefix?: string;
  httpRoute?: string;
  rpcService?: string;
  messagingDestination?: string;
  spanName?: string;
}

export interface BenchSystem {
  id: string;
  participant: string;
  kind: string;
  /** The `service.name` its processes report: the first of `services`, else the system id. */
  service: string;
}

export interface BenchIntegration {
  id: string;
  from: string;
  to: string;
  kind: string;
  channel: string | undefined;
  /** The rules in force: the example's own, or the one the bench added. */
  match: BenchMatchRule[];
  /** Whether the bench added the rule (the example declares none for this integration). */
  ruleAdded: boolean;
}

export interface BenchCatalog {
  /** The example document with the bench's rules added, settings untouched. */
  document: Record<string, unknown>;
  participants: { id: string; role: string }[];
  systems: Map<string, BenchSystem>;
  integrations: BenchIntegration[];
  workflows: { id: string; steps: string[] }[];
  /** How many integrations got a rule from the bench. */
  rulesAdded: number;
}

type Doc = Record<string, unknown>;
const list = (value: unknown): Doc[] => (Array.isArray(value) ? (value as Doc[]) : []);

/** Host name the bench's added rule expects in `server.address` for calls to `system`. */
export const benchHost = (system: string): string => `${system}.northwind.internal`;

/** Reads the example catalog and adds a `{ service, serverAddress }` rule where an integration has none. */
export function loadBenchCatalog(file = EXAMPLE_FILE): BenchCatalog {
  const document = parse(readFileSync(file, 'utf8')) as Doc;
  const systems = new Map<string, BenchSystem>();
  for (const s of list(document.systems)) {
    const services = Array.isArray(s.services) ? (s.services as string[]) : [];
    systems.set(String(s.id), {
      id: String(s.id),
      participant: String(s.participant),
      kind: String(s.kind ?? 'application'),
      service: services[0] ?? String(s.id),
    });
  }
  let rulesAdded = 0;
  const integrations = list(document.integrations).map((i): BenchIntegration => {
    const from = String(i.from);
    const to = String(i.to);
    let match = list(i.match) as BenchMatchRule[];
    const ruleAdded = match.length === 0;
    if (ruleAdded) {
      // The caller's service as well as the host: two integrations may call the same system.
      match = [{ service: systems.get(from)?.service ?? from, serverAddress: benchHost(to) }];
      i.match = match;
      rulesAdded += 1;
    }
    return {
      id: String(i.id),
      from,
      to,
      kind: String(i.kind ?? 'api'),
      channel: typeof i.channel === 'string' ? i.channel : undefined,
      match,
      ruleAdded,
    };
  });
  const workflows = list(document.workflows).map((w) => ({
    id: String(w.id),
    steps: list(w.steps).map((step) =>
      typeof step === 'string' ? step : String((step as Doc).integration ?? ''),
    ),
  }));
  const participants = list(document.participants).map((p) => ({
    id: String(p.id),
    role: String(p.role ?? ''),
  }));
  return { document, participants, systems, integrations, workflows, rulesAdded };
}

export interface ServiceSettings {
  port: number;
  dbPath: string;
  synchronous: 'full' | 'normal';
}

/**
 * The bench's `ecosystem.yaml`: the example catalog (rules added) with the example's settings,
 * overridden where the bench needs it: loopback port, the temp SQLite file and its synchronous
 * level, probes and auth off, log level warn.
 */
export function benchConfigYaml(catalog: BenchCatalog, settings: ServiceSettings): string {
  const example = (catalog.document.settings ?? {}) as Doc;
  const section = (key: string) => (example[key] ?? {}) as Doc;
  const document = {
    ...catalog.document,
    settings: {
      ...example,
      server: { ...section('server'), host: '127.0.0.1', port: settings.port },
      storage: { ...section('storage'), path: settings.dbPath, synchronous: settings.synchronous },
      probes: { ...section('probes'), enabled: false },
      auth: { ...section('auth'), enabled: false },
      log: { ...section('log'), level: 'warn' },
    },
  };
  return stringify(document);
}
