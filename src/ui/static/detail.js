/**
 * The detail panel of a selected integration, system, participant or discovered edge. Every
 * number comes from `/api/v1`; what the server does not offer (health scores, revenue at risk
 * before the KPI engine runs) says "not available" rather than guessing.
 */
import { api } from './api.js';
import { blastRadius } from './blast-radius.js';
import { badge, el, num, pct, timeEl } from './format.js';

const NOT_AVAILABLE = 'not available';

/** Endpoint families this server answered "no route" for; not asked again on this page. */
const absent = new Set();

/** GET that resolves null on 404 (an endpoint or entry this server does not have). */
async function optional(path, id) {
  const family = id ? path.replace(encodeURIComponent(id), '{id}') : path;
  if (absent.has(family)) return null;
  const { status, data } = await api(path, { allow: [404, 501] });
  if (status === 404 && /^no route/.test(data?.detail ?? '')) absent.add(family);
  return status === 200 ? data : null;
}

const section = (title, ...children) =>
  el('section', { class: 'detail-section' }, el('h3', {}, title), ...children);
const dl = (pairs) =>
  el(
    'dl',
    {},
    pairs.filter(Boolean).flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]),
  );
const unavailable = (why) => el('p', { class: 'na' }, `${NOT_AVAILABLE}${why ? ` — ${why}` : ''}`);

/** A health score (`GET /health/{kind}/{id}`) with each component and what lowered it. */
function healthSection(health) {
  if (!health) return section('Health score', unavailable('no score for it from the KPI engine (yet)'));
  const components = (health.components ?? []).filter((c) => c.score !== null);
  return section(
    'Health score',
    el(
      'p',
      { class: 'score' },
      health.score === null ? '–' : num(health.score, 0),
      el('span', { class: 'muted small' }, ' / 100'),
    ),
    el('p', { class: 'summary' }, health.summary ?? ''),
    components.length === 0
      ? el('p', { class: 'muted' }, 'Nothing to judge it by yet.')
      : el(
          'ul',
          { class: 'explanation' },
          components.map((c) =>
            el(
              'li',
              {},
              el('strong', {}, c.name),
              ` ${num(c.score, 0)}/100 (weight ${num(c.share * 100, 0)}%, −${num(c.lost, 1)} points)`,
              c.lowered ? el('div', { class: 'muted small' }, c.lowered) : null,
            ),
          ),
        ),
  );
}

const amounts = (list) =>
  list && list.length > 0 ? list.map((r) => `${num(r.amount, 2)} ${r.currency}/h`).join(', ') : '0';

function valueSection(impact) {
  if (!impact) return section('Revenue', unavailable('no impact answer from the KPI engine'));
  return section(
    'Revenue',
    dl([
      ['Flowing through its radius', amounts(impact.revenuePerHour)],
      ['At risk now', amounts(impact.revenueAtRisk)],
    ]),
  );
}

/** The blast radius, from the server's impact endpoint if it has one, else from the graph. */
function radiusFrom(impact, graph, target) {
  if (!impact) return { source: 'graph', ...blastRadius(graph, target) };
  const integrations = new Set([
    impact.integration,
    ...(impact.downstream ?? []),
    ...(impact.upstream ?? []),
    ...(impact.workflowIntegrations ?? []),
  ]);
  const systems = new Set();
  for (const i of graph.integrations) {
    if (!integrations.has(i.id)) continue;
    systems.add(i.from);
    systems.add(i.to);
  }
  return {
    source: 'server',
    integrations,
    systems,
    workflows: new Set(impact.workflows ?? []),
    participants: new Set(impact.participants ?? []),
  };
}

function radiusSection(radius, graph, select) {
  const names = {
    integrations: new Map(graph.integrations.map((i) => [i.id, i])),
    systems: new Map(graph.systems.map((s) => [s.id, s])),
    workflows: new Map(graph.workflows.map((w) => [w.id, w])),
    participants: new Map(graph.participants.map((p) => [p.id, p])),
  };
  const list = (kind, selectKind) => {
    const items = [...radius[kind]];
    if (items.length === 0) return el('p', { class: 'muted' }, 'none');
    return el(
      'ul',
      { class: 'chips' },
      items.map((id) => {
        const entry = names[kind].get(id);
        const label = entry?.name ?? id;
        return el(
          'li',
          {},
          selectKind
            ? el(
                'button',
                { type: 'button', class: 'link', onclick: () => select({ kind: selectKind, id }) },
                label,
              )
            : label,
          kind === 'integrations' && entry ? [' ', badge(entry.status)] : null,
        );
      }),
    );
  };
  return section(
    'Blast radius',
    el(
      'p',
      { class: 'muted' },
      radius.source === 'server'
        ? 'From the KPI engine: what this feeds downstream, the API calls waiting on it, the workflows it is a step of, and their participants.'
        : 'Computed from the catalog graph: what this feeds downstream, the API calls waiting on it, the workflows it is a step of, and their participants.',
    ),
    el('h4', {}, `Integrations (${radius.integrations.size})`),
    list('integrations', 'integration'),
    el('h4', {}, `Workflows (${radius.workflows.size})`),
    list('workflows'),
    el('h4', {}, `Participants (${radius.participants.size})`),
    list('participants', 'participant'),
  );
}

async function datasetsSection(graph, systemIds) {
  const datasets = graph.datasets.filter((d) => systemIds.includes(d.system));
  if (datasets.length === 0) return section('Datasets', el('p', { class: 'muted' }, 'No datasets declared.'));
  const rows = await Promise.all(
    datasets.map(async (d) => {
      const quality = await optional(`/datasets/${encodeURIComponent(d.id)}/quality?history=0`).catch(
        () => null,
      );
      const failing = (quality?.checks ?? []).filter((c) => c.outcome && c.outcome !== 'pass');
      return el(
        'li',
        {},
        el('strong', {}, d.name),
        ' ',
        quality?.outcome ? badge(quality.outcome) : el('span', { class: 'muted' }, 'not checked yet'),
        failing.length > 0
          ? el(
              'ul',
              {},
              failing.map((c) => el('li', {}, `${c.check}: ${c.message ?? c.outcome}`)),
            )
          : null,
      );
    }),
  );
  return section('Datasets', el('ul', { class: 'plain' }, rows));
}

function latencyOf(runs) {
  const durations = runs
    .filter((r) => r.success)
    .map((r) => r.durationMs)
    .sort((a, b) => a - b);
  if (durations.length === 0) return null;
  const at = (q) => durations[Math.min(durations.length - 1, Math.floor(q * durations.length))];
  return { last: runs[0]?.durationMs, p50: at(0.5), p95: at(0.95) };
}

async function integrationDetail(graph, id, select) {
  const i = graph.integrations.find((x) => x.id === id);
  if (!i)
    return [el('h2', { id: 'detail-title' }, id), el('p', {}, 'This integration is no longer in the graph.')];
  const systems = new Map(graph.systems.map((s) => [s.id, s]));
  const [status, health, impact] = await Promise.all([
    optional(`/integrations/${encodeURIComponent(id)}/status`, id).catch(() => null),
    optional(`/health/integration/${encodeURIComponent(id)}`, id).catch(() => null),
    optional(`/integrations/${encodeURIComponent(id)}/impact`, id).catch(() => null),
  ]);
  const runs = status?.lastRuns ?? [];
  const latency = latencyOf(runs);
  const failures = new Map();
  for (const r of runs) if (!r.success) failures.set(r.failureClass, (failures.get(r.failureClass) ?? 0) + 1);
  const lastFailure = runs.find((r) => !r.success);
  const radius = radiusFrom(impact, graph, { kind: 'integration', id });
  const shown = i.maintenance && i.status !== 'healthy' ? 'maintenance' : i.status;
  return {
    radius,
    content: [
      el('p', { class: 'kind' }, `Integration · ${i.kind} · ${i.tier} tier`),
      el('h2', { id: 'detail-title' }, i.name),
      el(
        'p',
        {},
        el(
          'button',
          { type: 'button', class: 'link', onclick: () => select({ kind: 'system', id: i.from }) },
          systems.get(i.from)?.name ?? i.from,
        ),
        ' → ',
        el(
          'button',
          { type: 'button', class: 'link', onclick: () => select({ kind: 'system', id: i.to }) },
          systems.get(i.to)?.name ?? i.to,
        ),
      ),
      section(
        'Status',
        el('p', { class: 'status-line' }, badge(shown), ' since ', timeEl(i.since)),
        i.maintenance ? el('p', {}, `Maintenance window: ${i.maintenance}`) : null,
        dl([
          ['Probed', i.probed ? 'yes' : 'no (status from traces only)'],
          ['Availability 1h', pct(i.availability['1h'])],
          ['Availability 24h', pct(i.availability['24h'])],
          ['Availability 30d', pct(i.availability['30d'])],
          ['Owner', i.owner ?? '–'],
        ]),
      ),
      section(
        'Latency and traffic',
        dl([
          ['Last probe', latency ? `${num(latency.last, 0)} ms` : '–'],
          ['Probe p50 / p95', latency ? `${num(latency.p50, 0)} / ${num(latency.p95, 0)} ms` : '–'],
          ['Traced calls', `${num(i.requestsPerMinute, 1)} /min`],
          ['Call errors', pct(i.errorRatio, 1)],
        ]),
      ),
      section(
        'Failure classes (last 20 probes)',
        failures.size === 0
          ? el('p', { class: 'muted' }, 'No failed probes.')
          : el(
              'ul',
              { class: 'plain' },
              [...failures].map(([c, n]) => el('li', {}, `${c}: ${n}`)),
            ),
        lastFailure?.reason ? el('p', { class: 'reason' }, `Last reason: ${lastFailure.reason}`) : null,
      ),
      healthSection(health),
      valueSection(impact),
      await datasetsSection(graph, [i.from, i.to]),
      radiusSection(radius, graph, select),
      status?.transitions?.length
        ? section(
            'Recent transitions',
            el(
              'ul',
              { class: 'plain' },
              status.transitions
                .slice(0, 5)
                .map((t) => el('li', {}, timeEl(t.at), ` ${t.from} → ${t.to}: ${t.reason}`)),
            ),
          )
        : null,
    ],
  };
}

async function systemDetail(graph, id, select) {
  const s = graph.systems.find((x) => x.id === id);
  if (!s) return { content: [el('h2', { id: 'detail-title' }, id), el('p', {}, 'Not in the catalog.')] };
  const participant = graph.participants.find((p) => p.id === s.participant);
  // Health is scored per integration and participant: a system shows its owner's.
  const health = await optional(
    `/health/participant/${encodeURIComponent(s.participant)}`,
    s.participant,
  ).catch(() => null);
  const touching = graph.integrations.filter((i) => i.from === id || i.to === id);
  const radius = { source: 'graph', ...blastRadius(graph, { kind: 'system', id }) };
  return {
    radius,
    content: [
      el('p', { class: 'kind' }, `System · ${s.kind}`),
      el('h2', { id: 'detail-title' }, s.name),
      el(
        'p',
        {},
        'Participant: ',
        el(
          'button',
          {
            type: 'button',
            class: 'link',
            onclick: () => select({ kind: 'participant', id: s.participant }),
          },
          participant?.name ?? s.participant,
        ),
      ),
      section(
        `Integrations (${touching.length})`,
        el(
          'ul',
          { class: 'plain' },
          touching.map((i) =>
            el(
              'li',
              {},
              badge(i.status),
              ' ',
              el(
                'button',
                { type: 'button', class: 'link', onclick: () => select({ kind: 'integration', id: i.id }) },
                i.name,
              ),
              i.from === id ? ' (out)' : ' (in)',
            ),
          ),
        ),
      ),
      healthSection(health),
      health
        ? el('p', { class: 'muted small' }, `Health of ${participant?.name ?? s.participant}, which owns it.`)
        : null,
      await datasetsSection(graph, [id]),
      radiusSection(radius, graph, select),
    ],
  };
}

async function participantDetail(graph, id, select) {
  const p = graph.participants.find((x) => x.id === id);
  if (!p) return { content: [el('h2', { id: 'detail-title' }, id)] };
  const health = await optional(`/health/participant/${encodeURIComponent(id)}`, id).catch(() => null);
  const systems = graph.systems.filter((s) => s.participant === id);
  const ids = new Set(systems.map((s) => s.id));
  const radius = { integrations: new Set(), systems: ids, workflows: new Set(), participants: new Set([id]) };
  return {
    radius,
    content: [
      el('p', { class: 'kind' }, `Participant · ${p.role} · ${p.stage} · ${p.country}`),
      el('h2', { id: 'detail-title' }, p.name),
      section(
        `Systems (${systems.length})`,
        el(
          'ul',
          { class: 'plain' },
          systems.map((s) =>
            el(
              'li',
              {},
              el(
                'button',
                { type: 'button', class: 'link', onclick: () => select({ kind: 'system', id: s.id }) },
                s.name,
              ),
            ),
          ),
        ),
      ),
      healthSection(health),
    ],
  };
}

function discoveredDetail(graph, id) {
  const d = graph.discovered.find((x) => x.id === id);
  if (!d) return { content: [el('h2', { id: 'detail-title' }, id)] };
  return {
    content: [
      el('p', { class: 'kind' }, 'Discovered edge · not in the catalog'),
      el('h2', { id: 'detail-title' }, `${d.caller} → ${d.callee}`),
      dl([
        ['Caller system', d.from ?? 'no system lists this service'],
        ['Callee system', d.to ?? 'no system lists this service'],
        ['Calls', num(d.calls, 0)],
        ['Errors', num(d.errors, 0)],
        ['Last seen', timeEl(d.lastSeen)],
      ]),
      el('p', {}, el('a', { href: '#discovered' }, 'Adopt it into the catalog')),
    ],
  };
}

/**
 * Fills `panel` with the detail of `target` and resolves the blast radius to highlight (or null).
 */
export async function showDetail(panel, graph, target, select) {
  const body = panel.querySelector('.detail-body');
  body.setAttribute('aria-busy', 'true');
  let result;
  if (target.kind === 'integration') result = await integrationDetail(graph, target.id, select);
  else if (target.kind === 'system') result = await systemDetail(graph, target.id, select);
  else if (target.kind === 'participant') result = await participantDetail(graph, target.id, select);
  else if (target.kind === 'discovered') result = discoveredDetail(graph, target.id);
  else
    result = {
      content: [
        el('p', { class: 'kind' }, 'Service seen in traces'),
        el('h2', { id: 'detail-title' }, target.id.replace(/^svc:/, '')),
        el(
          'p',
          {},
          'No system in the catalog lists this service. Add it to a system’s services to place it.',
        ),
      ],
    };
  body.replaceChildren(...result.content.filter(Boolean));
  body.removeAttribute('aria-busy');
  return result.radius ?? null;
}
