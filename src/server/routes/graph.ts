import { createHash } from 'node:crypto';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  type CatalogKind,
  type CatalogRows,
  INTEGRATION_STATUSES,
  type IntegrationStatus,
  type Store,
} from '../../../db/index.ts';
import type { Maintenance } from '../../config/index.ts';
import type { Probing } from '../../probing/index.ts';

export interface GraphRoutesOptions {
  store: Store;
  /** The prober; without it every integration is `unknown`. */
  probing?: Probing;
  maintenance: () => readonly Maintenance[];
  now?: () => number;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Requests per minute are averaged over this many minutes. */
const TRAFFIC_WINDOW_MINUTES = 15;
/** Minutes in the ecosystem-wide traffic series. */
const SERIES_MINUTES = 60;
/** Days of uptime bars on the status page. */
const STATUS_DAYS = 30;
/** Open discovered edges drawn on the map, most recently seen first. */
const MAX_DISCOVERED = 500;
const PAGE = 1_000;

/**
 * Worst first: a group's state is the state of its worst integration. Unknown (not probed yet,
 * or not probed at all) ranks below healthy, so it shows only when nothing in the group is known.
 */
const SEVERITY: Record<string, number> = { down: 4, degraded: 3, maintenance: 2, healthy: 1, unknown: 0 };

const iso = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

const GraphStatus = z.enum([...INTEGRATION_STATUSES, 'retired']);
const GraphSchema = z
  .object({
    revision: z.int(),
    participants: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        role: z.string(),
        stage: z.string(),
        country: z.string(),
      }),
    ),
    systems: z.array(
      z.object({ id: z.string(), name: z.string(), participant: z.string(), kind: z.string() }),
    ),
    integrations: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        from: z.string(),
        to: z.string(),
        kind: z.string(),
        tier: z.string(),
        owner: z.string().nullable(),
        origin: z.string(),
        probed: z.boolean(),
        status: GraphStatus,
        since: z.string().nullable(),
        lastFailureClass: z.string().nullable(),
        availability: z.record(z.string(), z.number()),
        maintenance: z.string().nullable().openapi({ description: 'Id of the active maintenance window.' }),
        requestsPerMinute: z
          .number()
          .openapi({ description: `Traced calls per minute over the last ${TRAFFIC_WINDOW_MINUTES} min.` }),
        errorRatio: z.number().nullable().openapi({ description: 'Share of those calls that failed.' }),
      }),
    ),
    workflows: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        steps: z.array(z.object({ integration: z.string().nullable(), name: z.string().nullable() })),
        runs24h: z.object({ started: z.int(), completed: z.int(), failed: z.int(), abandoned: z.int() }),
      }),
    ),
    datasets: z.array(z.object({ id: z.string(), name: z.string(), system: z.string() })),
    discovered: z.array(
      z.object({
        id: z.string(),
        caller: z.string(),
        callee: z.string(),
        from: z.string().nullable(),
        to: z.string().nullable(),
        calls: z.int(),
        errors: z.int(),
        lastSeen: z.string(),
      }),
    ),
    trafficPerMinute: z.array(z.int()).openapi({
      description: `Traced calls per minute, oldest first, over the last ${SERIES_MINUTES} min.`,
    }),
  })
  .openapi('EcosystemGraph');

const DaySchema = z.object({ day: z.string(), availability: z.number().nullable() });
const StatusPageSchema = z
  .object({
    generatedAt: z.string(),
    state: z.enum(['operational', 'degraded', 'outage', 'maintenance', 'unknown']),
    groups: z.array(
      z.object({
        by: z.enum(['participant', 'tier']),
        id: z.string(),
        name: z.string(),
        status: z.enum([...INTEGRATION_STATUSES, 'maintenance']),
        integrations: z.int(),
        counts: z.record(z.string(), z.int()),
        days: z.array(DaySchema),
      }),
    ),
    incidents: z.array(
      z.object({
        integration: z.string(),
        name: z.string(),
        participant: z.string(),
        tier: z.string(),
        status: z.string(),
        since: z.string().nullable(),
        failureClass: z.string().nullable(),
      }),
    ),
    recent: z.array(
      z.object({
        integration: z.string(),
        at: z.string(),
        from: z.string(),
        to: z.string(),
        reason: z.string(),
      }),
    ),
    maintenance: z.array(
      z.object({
        id: z.string(),
        description: z.string().nullable(),
        start: z.string(),
        end: z.string(),
        active: z.boolean(),
      }),
    ),
  })
  .openapi('StatusPage');

async function listAll<K extends CatalogKind>(
  store: Store,
  kind: K,
  includeRetired = false,
): Promise<CatalogRows[K][]> {
  const rows: CatalogRows[K][] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await store.list(kind, { includeRetired, limit: PAGE, offset });
    rows.push(...page.items);
    if (page.items.length < PAGE) return rows;
  }
}

function activeWindow(
  windows: readonly Maintenance[],
  at: number,
  subject: { id: string; tier: string; participants: string[] },
): Maintenance | undefined {
  return windows.find((w) => {
    if (at < Date.parse(w.start) || at >= Date.parse(w.end)) return false;
    if (w.integrations.length + w.participants.length + w.tiers.length === 0) return true;
    return (
      w.integrations.includes(subject.id) ||
      w.participants.some((p) => subject.participants.includes(p)) ||
      w.tiers.includes(subject.tier as never)
    );
  });
}

/**
 * A weak ETag over `body`, so an unchanged poll costs a 304 and no parsing in the browser.
 * `unhashed` fields (a generation time) are sent with a 200 but do not change the tag.
 */
function withEtag(c: Context, body: object, unhashed: object = {}) {
  const text = JSON.stringify(body);
  const etag = `W/"${createHash('sha1').update(text).digest('base64url')}"`;
  const headers = { etag, 'cache-control': 'no-cache' };
  const match = c.req.header('if-none-match');
  if (match?.split(',').some((tag) => tag.trim() === etag)) return c.body(null, 304, headers);
  const full = Object.keys(unhashed).length > 0 ? JSON.stringify({ ...unhashed, ...body }) : text;
  return c.body(full, 200, { ...headers, 'content-type': 'application/json' });
}

const isDeclaredStep = (step: unknown): { integration: string | null; name: string | null } => {
  if (typeof step === 'string') return { integration: step, name: null };
  const s = step as { integration?: string; span?: string; name?: string };
  return { integration: s.integration ?? null, name: s.name ?? s.span ?? null };
};

/**
 * `GET /graph`: the ecosystem as the map draws it (participants, systems, integrations with status
 * and traffic, workflows, datasets, open discovered edges) in one answer with an ETag, so the
 * browser can poll cheaply. `GET /status-page`: the partner-facing summary per participant and
 * tier with 30 days of uptime, incidents and maintenance windows.
 */
export function registerGraphRoutes(app: OpenAPIHono, options: GraphRoutesOptions): void {
  const { store, probing } = options;
  const now = options.now ?? Date.now;
  const pastDays = new Map<number, Map<string, { runs: number; successes: number }>>();

  async function statusOf() {
    const probed = probing ? new Set((await probing.catalog.current()).keys()) : new Set<string>();
    const availability = probing?.availability() ?? new Map();
    return (id: string) => {
      const state = probed.has(id) ? probing?.recorder.status(id) : undefined;
      return {
        probed: probed.has(id),
        status: (state?.status ?? 'unknown') as IntegrationStatus,
        since: iso(state?.since),
        lastFailureClass: state?.lastFailureClass ?? null,
        availability: (availability.get(id) ?? {}) as Record<string, number>,
      };
    };
  }

  async function graph() {
    const at = now();
    const [revision, participants, systems, integrations, workflows, datasets] = await Promise.all([
      store.catalogRevision(),
      listAll(store, 'participants'),
      listAll(store, 'systems'),
      listAll(store, 'integrations', true),
      listAll(store, 'workflows'),
      listAll(store, 'datasets'),
    ]);
    const systemIds = new Map(systems.map((s) => [s.id, s]));
    const status = await statusOf();
    const lastMinute = Math.floor(at / MINUTE) * MINUTE;
    const minutes = await store.listRequestMinutes({
      from: lastMinute - (SERIES_MINUTES - 1) * MINUTE,
      to: lastMinute + MINUTE,
    });
    const series = new Array<number>(SERIES_MINUTES).fill(0);
    const traffic = new Map<string, { calls: number; errors: number }>();
    for (const m of minutes) {
      const calls = m.requests.success + m.requests.client_error + m.requests.server_error + m.requests.error;
      const index = SERIES_MINUTES - 1 - (lastMinute - m.minute) / MINUTE;
      if (index >= 0 && index < SERIES_MINUTES) series[index] = (series[index] ?? 0) + calls;
      if (m.minute <= lastMinute - TRAFFIC_WINDOW_MINUTES * MINUTE) continue;
      const t = traffic.get(m.integrationId) ?? { calls: 0, errors: 0 };
      t.calls += calls;
      t.errors += m.requests.server_error + m.requests.error;
      traffic.set(m.integrationId, t);
    }
    const runs = new Map<string, { started: number; completed: number; failed: number; abandoned: number }>();
    for (const w of await store.listWorkflowMinutes({ from: at - DAY, to: at + MINUTE })) {
      const r = runs.get(w.workflowId) ?? { started: 0, completed: 0, failed: 0, abandoned: 0 };
      r.started += w.started;
      r.completed += w.completed;
      r.failed += w.failed;
      r.abandoned += w.abandoned;
      runs.set(w.workflowId, r);
    }
    const edges = await store.listDiscoveredEdges({ status: 'open', limit: MAX_DISCOVERED });
    const windows = options.maintenance();
    return {
      revision,
      participants: participants.map((p) => ({
        id: p.id,
        name: p.name,
        role: p.role,
        stage: p.stage,
        country: p.country,
      })),
      systems: systems.map((s) => ({ id: s.id, name: s.name, participant: s.participantId, kind: s.kind })),
      integrations: integrations
        .filter((i) => systemIds.has(i.sourceSystemId) && systemIds.has(i.targetSystemId))
        .map((i) => {
          const s = status(i.id);
          const t = traffic.get(i.id);
          const participantsOf = [i.sourceSystemId, i.targetSystemId].map(
            (id) => systemIds.get(id)?.participantId ?? '',
          );
          const window = activeWindow(windows, at, { id: i.id, tier: i.tier, participants: participantsOf });
          return {
            id: i.id,
            name: i.name,
            from: i.sourceSystemId,
            to: i.targetSystemId,
            kind: i.kind,
            tier: i.tier,
            owner: i.owner,
            origin: i.origin,
            probed: s.probed,
            status: i.retiredAt === null ? s.status : ('retired' as const),
            since: i.retiredAt === null ? s.since : iso(i.retiredAt),
            lastFailureClass: s.lastFailureClass,
            availability: s.availability,
            maintenance: window?.id ?? null,
            requestsPerMinute: t ? Math.round((t.calls / TRAFFIC_WINDOW_MINUTES) * 100) / 100 : 0,
            errorRatio: t && t.calls > 0 ? Math.round((t.errors / t.calls) * 10_000) / 10_000 : null,
          };
        }),
      workflows: workflows.map((w) => ({
        id: w.id,
        name: w.name,
        steps: ((w.spec as { steps?: unknown[] }).steps ?? []).map(isDeclaredStep),
        runs24h: runs.get(w.id) ?? { started: 0, completed: 0, failed: 0, abandoned: 0 },
      })),
      datasets: datasets.map((d) => ({ id: d.id, name: d.name, system: d.systemId })),
      discovered: edges.items.map((e) => ({
        id: e.id,
        caller: e.callerService,
        callee: e.calleeService,
        from: e.callerSystemId,
        to: e.calleeSystemId,
        calls: e.calls,
        errors: e.errors,
        lastSeen: iso(e.lastSeen) as string,
      })),
      trafficPerMinute: series,
    };
  }

  const graphRoute = createRoute({
    method: 'get',
    path: '/graph',
    tags: ['UI'],
    summary: 'The ecosystem map: catalog, status, traffic and discovered edges in one answer',
    description:
      'Answers 304 to an `If-None-Match` carrying the current ETag, so a client polling for changes pays only for a change.',
    responses: {
      200: { description: 'The graph', content: { 'application/json': { schema: GraphSchema } } },
      304: { description: 'Unchanged since the ETag sent' },
    },
  });
  app.openapi(graphRoute, async (c) => withEtag(c, await graph()) as never);

  async function dailyAvailability(dayStart: number, today: number) {
    const cached = pastDays.get(dayStart);
    if (cached) return cached;
    const rows = await store.availability({ resolution: 'day', from: dayStart, to: dayStart + DAY });
    const table = new Map(rows.map((r) => [r.integrationId, { runs: r.runs, successes: r.successes }]));
    if (dayStart < today) {
      pastDays.set(dayStart, table);
      for (const day of pastDays.keys()) if (day < today - STATUS_DAYS * DAY) pastDays.delete(day);
    }
    return table;
  }

  async function statusPage() {
    const at = now();
    const [participants, systems, integrations] = await Promise.all([
      listAll(store, 'participants'),
      listAll(store, 'systems'),
      listAll(store, 'integrations'),
    ]);
    const status = await statusOf();
    const participantOf = new Map(systems.map((s) => [s.id, s.participantId]));
    const names = new Map(participants.map((p) => [p.id, p.name]));
    const roles = new Map(participants.map((p) => [p.id, p.role]));
    const windows = options.maintenance();
    const today = Math.floor(at / DAY) * DAY;
    const days: { start: number; table: Map<string, { runs: number; successes: number }> }[] = [];
    for (let d = STATUS_DAYS - 1; d >= 0; d--) {
      const start = today - d * DAY;
      days.push({ start, table: await dailyAvailability(start, today) });
    }
    const groups = new Map<string, { by: 'participant' | 'tier'; id: string; members: string[] }>();
    const rows = integrations.map((i) => {
      const ends = [participantOf.get(i.sourceSystemId) ?? '', participantOf.get(i.targetSystemId) ?? ''];
      // The counterpart, as the metrics' `participant` label: the target, unless only it is ours.
      const ours = (p: string | undefined) =>
        roles.get(p ?? '') === 'orchestrator' || roles.get(p ?? '') === 'internal';
      const participant = (ours(ends[1]) && !ours(ends[0]) ? ends[0] : ends[1]) ?? '';
      const s = status(i.id);
      const window = activeWindow(windows, at, { id: i.id, tier: i.tier, participants: ends });
      const shown = window && s.status !== 'healthy' ? 'maintenance' : s.status;
      for (const [by, id] of [
        ['participant', participant],
        ['tier', i.tier],
      ] as const) {
        const key = `${by}:${id}`;
        const group = groups.get(key) ?? { by, id, members: [] };
        group.members.push(i.id);
        groups.set(key, group);
      }
      return { i, participant, s, shown };
    });
    const byId = new Map(rows.map((r) => [r.i.id, r]));
    const groupList = [...groups.values()].map((g) => {
      const counts: Record<string, number> = {};
      let worst = 'unknown';
      for (const id of g.members) {
        const shown = byId.get(id)?.shown ?? 'unknown';
        counts[shown] = (counts[shown] ?? 0) + 1;
        if ((SEVERITY[shown] ?? 0) > (SEVERITY[worst] ?? 0)) worst = shown;
      }
      return {
        by: g.by,
        id: g.id,
        name: g.by === 'participant' ? (names.get(g.id) ?? g.id) : g.id,
        status: worst as IntegrationStatus | 'maintenance',
        integrations: g.members.length,
        counts,
        days: days.map(({ start, table }) => {
          let runs = 0;
          let successes = 0;
          for (const id of g.members) {
            const r = table.get(id);
            runs += r?.runs ?? 0;
            successes += r?.successes ?? 0;
          }
          return {
            day: new Date(start).toISOString().slice(0, 10),
            availability: runs > 0 ? successes / runs : null,
          };
        }),
      };
    });
    const worst = groupList.reduce(
      (w, g) => ((SEVERITY[g.status] ?? 0) > (SEVERITY[w] ?? 0) ? g.status : w),
      'unknown' as string,
    );
    const state =
      (
        {
          down: 'outage',
          degraded: 'degraded',
          maintenance: 'maintenance',
          healthy: 'operational',
          unknown: 'unknown',
        } as const
      )[worst as 'down'] ?? 'unknown';
    const transitions = await store.listStatusTransitions({ limit: 20 });
    return {
      generatedAt: new Date(at).toISOString(),
      state,
      groups: groupList,
      incidents: rows
        .filter((r) => r.s.status === 'down' || r.s.status === 'degraded')
        .sort((a, b) => (SEVERITY[b.s.status] ?? 0) - (SEVERITY[a.s.status] ?? 0))
        .map((r) => ({
          integration: r.i.id,
          name: r.i.name,
          participant: r.participant,
          tier: r.i.tier,
          status: r.s.status,
          since: r.s.since,
          failureClass: r.s.lastFailureClass,
        })),
      recent: transitions
        .filter((t) => byId.has(t.integrationId))
        .map((t) => ({
          integration: t.integrationId,
          at: iso(t.at) as string,
          from: t.from,
          to: t.to,
          reason: t.reason,
        })),
      maintenance: windows
        .filter((w) => Date.parse(w.end) > at)
        .sort((a, b) => Date.parse(a.start) - Date.parse(b.start))
        .map((w) => ({
          id: w.id,
          description: w.description ?? null,
          start: w.start,
          end: w.end,
          active: Date.parse(w.start) <= at,
        })),
    };
  }

  const statusPageRoute = createRoute({
    method: 'get',
    path: '/status-page',
    tags: ['UI'],
    summary: 'The status page: state per participant and tier, 30 days of uptime, incidents, maintenance',
    description:
      'Served without a token when `settings.ui.statusPagePublic` is true. Answers 304 to a matching `If-None-Match`.',
    responses: {
      200: { description: 'The status page', content: { 'application/json': { schema: StatusPageSchema } } },
      304: { description: 'Unchanged since the ETag sent' },
    },
  });
  app.openapi(statusPageRoute, async (c) => {
    const { generatedAt, ...rest } = await statusPage();
    return withEtag(c, rest, { generatedAt }) as never;
  });
}
