/**
 * The list views beside the map: integrations (sortable, filterable), workflows with completion
 * rates, the KPI overview, and discovered edges with their "adopt" action.
 */
import { ApiError, api } from './api.js';
import { badge, el, num, pct, SEVERITY, sparkline, statusLabel, timeEl } from './format.js';

const COLUMNS = [
  { key: 'status', label: 'Status', value: (r) => SEVERITY[r.status] ?? 0 },
  { key: 'name', label: 'Integration', value: (r) => r.name.toLowerCase() },
  { key: 'route', label: 'From → to', value: (r) => `${r.fromName} ${r.toName}`.toLowerCase() },
  { key: 'participant', label: 'Participants', value: (r) => r.participants.join(' ').toLowerCase() },
  { key: 'tier', label: 'Tier', value: (r) => ['critical', 'high', 'medium', 'low'].indexOf(r.tier) },
  { key: 'since', label: 'Since', value: (r) => (r.since ? Date.parse(r.since) : 0) },
  { key: 'availability', label: 'Avail. 24h', value: (r) => r.availability['24h'] ?? -1, num: true },
  { key: 'traffic', label: 'Calls/min', value: (r) => r.requestsPerMinute, num: true },
  { key: 'errors', label: 'Errors', value: (r) => r.errorRatio ?? -1, num: true },
];

/** The integrations table; `onShow(id)` shows one on the map. */
export function createIntegrationsView(root, { onShow }) {
  const state = { sort: 'status', dir: 'desc', status: '', tier: '', participant: '', q: '' };
  let rows = [];
  const select = (name, label, options) =>
    el(
      'label',
      {},
      `${label} `,
      el(
        'select',
        {
          name,
          onchange: (e) => {
            state[name] = e.target.value;
            render();
          },
        },
        el('option', { value: '' }, 'all'),
        options.map(([value, text]) => el('option', { value }, text)),
      ),
    );
  const filters = el('form', { class: 'filters', role: 'search', onsubmit: (e) => e.preventDefault() });
  const count = el('p', { class: 'muted', role: 'status' });
  const table = el('table', { class: 'data' });
  root.append(filters, count, el('div', { class: 'table-wrap' }, table));

  function sortHeader(col) {
    const active = state.sort === col.key;
    return el(
      'th',
      {
        scope: 'col',
        'aria-sort': active ? (state.dir === 'asc' ? 'ascending' : 'descending') : 'none',
        class: col.num ? 'num' : undefined,
      },
      el(
        'button',
        {
          type: 'button',
          class: 'sort',
          'data-sort': col.key,
          onclick: () => {
            state.dir =
              active && state.dir === 'asc' ? 'desc' : active ? 'asc' : col.key === 'status' ? 'desc' : 'asc';
            state.sort = col.key;
            render();
          },
        },
        col.label,
        el('span', { 'aria-hidden': 'true' }, active ? (state.dir === 'asc' ? ' ▲' : ' ▼') : ' ↕'),
      ),
    );
  }

  function render() {
    const col = COLUMNS.find((c) => c.key === state.sort) ?? COLUMNS[0];
    const q = state.q.trim().toLowerCase();
    const shown = rows
      .filter((r) => !state.status || r.status === state.status)
      .filter((r) => !state.tier || r.tier === state.tier)
      .filter((r) => !state.participant || r.participantIds.includes(state.participant))
      .filter((r) => !q || `${r.id} ${r.name} ${r.fromName} ${r.toName}`.toLowerCase().includes(q))
      .sort((a, b) => {
        const x = col.value(a);
        const y = col.value(b);
        const c = x < y ? -1 : x > y ? 1 : a.name.localeCompare(b.name);
        return state.dir === 'asc' ? c : -c;
      });
    count.textContent = `${shown.length} of ${rows.length} integrations`;
    table.replaceChildren(
      el('caption', { class: 'visually-hidden' }, 'Integrations, sortable by column'),
      el('thead', {}, el('tr', {}, COLUMNS.map(sortHeader))),
      el(
        'tbody',
        {},
        shown.map((r) =>
          el(
            'tr',
            { 'data-id': r.id, 'data-status': r.status },
            el('td', {}, badge(r.shownStatus)),
            el(
              'th',
              { scope: 'row' },
              el(
                'button',
                { type: 'button', class: 'link', onclick: () => onShow(r.id), title: 'Show on the map' },
                r.name,
              ),
              el('div', { class: 'muted small' }, r.id),
            ),
            el('td', {}, `${r.fromName} → ${r.toName}`),
            el('td', {}, r.participants.join(', ')),
            el('td', {}, r.tier),
            el('td', {}, timeEl(r.since)),
            el('td', { class: 'num' }, pct(r.availability['24h'])),
            el('td', { class: 'num' }, num(r.requestsPerMinute)),
            el('td', { class: 'num' }, pct(r.errorRatio, 1)),
          ),
        ),
      ),
    );
  }

  return {
    update(graph) {
      const systems = new Map(graph.systems.map((s) => [s.id, s]));
      const participants = new Map(graph.participants.map((p) => [p.id, p]));
      rows = graph.integrations.map((i) => {
        const ids = [...new Set([systems.get(i.from)?.participant, systems.get(i.to)?.participant])].filter(
          Boolean,
        );
        return {
          ...i,
          shownStatus: i.maintenance && i.status !== 'healthy' ? 'maintenance' : i.status,
          fromName: systems.get(i.from)?.name ?? i.from,
          toName: systems.get(i.to)?.name ?? i.to,
          participantIds: ids,
          participants: ids.map((id) => participants.get(id)?.name ?? id),
        };
      });
      if (filters.childElementCount === 0) {
        filters.append(
          el(
            'label',
            {},
            'Search ',
            el('input', {
              type: 'search',
              name: 'q',
              placeholder: 'name or id',
              oninput: (e) => {
                state.q = e.target.value;
                render();
              },
            }),
          ),
          select(
            'status',
            'Status',
            ['down', 'degraded', 'unknown', 'healthy', 'retired'].map((s) => [s, statusLabel(s)]),
          ),
          select(
            'tier',
            'Tier',
            ['critical', 'high', 'medium', 'low'].map((t) => [t, t]),
          ),
          select(
            'participant',
            'Participant',
            [...graph.participants].sort((a, b) => a.name.localeCompare(b.name)).map((p) => [p.id, p.name]),
          ),
        );
      }
      render();
    },
  };
}

/** Workflows with the status of each step and their completion over 24 h. */
export function createWorkflowsView(root) {
  return {
    update(graph) {
      const integrations = new Map(graph.integrations.map((i) => [i.id, i]));
      if (graph.workflows.length === 0) {
        root.replaceChildren(el('p', {}, 'No workflows declared.'));
        return;
      }
      root.replaceChildren(
        ...graph.workflows.map((w) => {
          const r = w.runs24h;
          const finished = r.completed + r.failed + r.abandoned;
          return el(
            'article',
            { class: 'card workflow', 'data-id': w.id },
            el('h3', {}, w.name),
            el(
              'p',
              { class: 'metric' },
              el('strong', {}, finished > 0 ? pct(r.completed / finished, 1) : '–'),
              ' completed over 24 h',
            ),
            el(
              'p',
              { class: 'muted' },
              `${r.started} started · ${r.completed} completed · ${r.failed} failed · ${r.abandoned} abandoned`,
            ),
            el(
              'ol',
              { class: 'steps' },
              w.steps.map((s) => {
                const i = s.integration ? integrations.get(s.integration) : undefined;
                return el(
                  'li',
                  {},
                  i ? badge(i.status) : el('span', { class: 'muted' }, 'span'),
                  ' ',
                  s.name || i?.name || '',
                );
              }),
            ),
          );
        }),
      );
    },
  };
}

/** The KPIs leadership reads first, in this order; the rest are listed below them. */
const HEADLINE = [
  'ecosystem_health_score',
  'roi_ratio',
  'revenue_attributed_total',
  'revenue_at_risk',
  'cost_savings_total',
  'participants_active',
  'systems_connected',
  'onboarding_velocity',
  'revenue_streams_new',
  'cross_sell_ratio',
];
/** How often the KPI overview reads the KPIs and their history again, ms. */
const KPI_REFRESH_MS = 60_000;

/** Sums a KPI's series per currency (or in one total): the headline number. */
function headline(k) {
  const byCurrency = new Map();
  for (const v of k.values) {
    const key = v.labels.currency ?? '';
    byCurrency.set(key, (byCurrency.get(key) ?? 0) + v.value);
  }
  if (byCurrency.size === 0) return '–';
  const digits = k.unit === 'ratio' ? 3 : 1;
  return [...byCurrency]
    .map(([currency, value]) => `${num(value, digits)}${currency ? ` ${currency}` : ''}`)
    .join(' · ');
}

/** The leadership numbers from `GET /api/v1/kpis` with 24 h sparklines, or "not available". */
export function createKpiView(root) {
  let loadedAt = 0;
  let kpis = null;
  let available = true;
  const history = new Map();
  async function load() {
    const res = await api('/kpis', { allow: [404, 501] }).catch(() => ({ status: 0 }));
    available = res.status === 200;
    kpis = available ? res.data.items : null;
    if (!available) return;
    await Promise.all(
      HEADLINE.map(async (name) => {
        const k = kpis.find((x) => x.name === name);
        if (!k || k.labels.some((l) => l !== 'currency' && l !== 'role')) return;
        const res = await api(`/kpis/${name}?step=900`, { allow: [404] }).catch(() => null);
        const series = res?.data?.history ?? [];
        // One line per KPI: the points of every series added up per time.
        const sums = new Map();
        for (const s of series) for (const p of s.points) sums.set(p.at, (sums.get(p.at) ?? 0) + p.value);
        history.set(
          name,
          [...sums].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v),
        );
      }),
    );
  }
  return {
    async update(graph) {
      if (Date.now() - loadedAt > KPI_REFRESH_MS) {
        loadedAt = Date.now();
        await load();
      }
      const live = graph.integrations.filter((i) => i.status !== 'retired');
      const cards = [
        ['Integrations', live.length],
        ['Healthy now', `${live.filter((i) => i.status === 'healthy').length} of ${live.length}`],
        ['Down now', live.filter((i) => i.status === 'down').length],
        ['Undeclared edges', graph.discovered.length],
      ];
      const card = (k) => {
        const values = history.get(k.name) ?? [];
        return el(
          'article',
          { class: 'card kpi', 'data-kpi': k.name, title: k.description },
          el('h4', {}, k.name.replaceAll('_', ' ')),
          el('p', { class: 'metric' }, headline(k)),
          el('p', { class: 'muted small' }, k.unit),
          values.length > 1 ? sparkline(values, `${k.name}: last 24 hours`) : null,
        );
      };
      const calls = graph.trafficPerMinute;
      root.replaceChildren(
        available && kpis
          ? el(
              'div',
              { class: 'cards' },
              HEADLINE.map((name) => kpis.find((k) => k.name === name))
                .filter(Boolean)
                .map(card),
            )
          : el(
              'p',
              { class: 'notice' },
              'Leadership KPIs (ROI, attributed revenue, revenue at risk, health score): not available — this server has no KPI API (GET /api/v1/kpis).',
            ),
        el('h3', {}, 'Now, from the live graph'),
        el(
          'div',
          { class: 'cards' },
          cards.map(([label, value]) =>
            el(
              'article',
              { class: 'card kpi' },
              el('h4', {}, label),
              el('p', { class: 'metric' }, String(value)),
            ),
          ),
          el(
            'article',
            { class: 'card kpi' },
            el('h4', {}, 'Traced calls per minute'),
            el('p', { class: 'metric' }, num(calls.at(-2) ?? 0, 0)),
            sparkline(calls, 'Traced calls per minute over the last hour'),
          ),
        ),
        available && kpis
          ? el(
              'details',
              {},
              el('summary', {}, `All ${kpis.length} KPIs`),
              el('div', { class: 'cards' }, kpis.filter((k) => !HEADLINE.includes(k.name)).map(card)),
            )
          : null,
      );
    },
  };
}

/** Open discovered edges and the form that adopts one (needs an admin token when auth is on). */
export function createDiscoveredView(root, { onAdopted }) {
  const open = new Set();
  let shownKey = '';
  return {
    update(graph) {
      const key = graph.discovered.map((d) => d.id).join(',');
      // Someone is filling an adopt form: keep it until the list itself changes.
      if (key === shownKey && open.size > 0) return;
      shownKey = key;
      if (graph.discovered.length === 0) {
        root.replaceChildren(
          el('p', {}, 'No open discovered edges: every traced call matches an integration.'),
        );
        return;
      }
      const systems = [...graph.systems].sort((a, b) => a.name.localeCompare(b.name));
      const systemSelect = (name, value) =>
        el(
          'select',
          { name, required: true },
          el('option', { value: '' }, 'choose a system'),
          systems.map((s) => el('option', { value: s.id, selected: s.id === value }, s.name)),
        );
      root.replaceChildren(
        el(
          'div',
          { class: 'table-wrap' },
          el(
            'table',
            { class: 'data' },
            el(
              'thead',
              {},
              el(
                'tr',
                {},
                ['Caller → callee', 'Systems', 'Calls', 'Errors', 'Last seen', ''].map((h) =>
                  el('th', { scope: 'col' }, h),
                ),
              ),
            ),
            el(
              'tbody',
              {},
              graph.discovered.map((d) => {
                const message = el('p', { class: 'form-message', role: 'status' });
                const form = el(
                  'form',
                  {
                    class: 'adopt',
                    onsubmit: async (event) => {
                      event.preventDefault();
                      const data = Object.fromEntries(new FormData(event.target));
                      const body = { tier: data.tier, from: data.from, to: data.to };
                      if (data.id) body.id = data.id;
                      message.textContent = 'Adopting…';
                      try {
                        const { data: result } = await api(
                          `/discovered-edges/${encodeURIComponent(d.id)}/adopt`,
                          {
                            method: 'POST',
                            body,
                          },
                        );
                        message.textContent = `Adopted as integration "${result.integration}".`;
                        open.delete(d.id);
                        onAdopted(result.integration);
                      } catch (error) {
                        message.textContent =
                          error instanceof ApiError && error.status === 403
                            ? `Not allowed: ${error.message}. Adopting needs a token with the admin scope.`
                            : `Could not adopt: ${error.message}`;
                      }
                    },
                  },
                  el(
                    'label',
                    {},
                    'Id ',
                    el('input', {
                      name: 'id',
                      placeholder: `${d.caller}-to-${d.callee}`,
                      pattern: '[a-z0-9][a-z0-9._-]{0,62}',
                    }),
                  ),
                  el('label', {}, 'From ', systemSelect('from', d.from)),
                  el('label', {}, 'To ', systemSelect('to', d.to)),
                  el(
                    'label',
                    {},
                    'Tier ',
                    el(
                      'select',
                      { name: 'tier' },
                      ['medium', 'critical', 'high', 'low'].map((t) => el('option', { value: t }, t)),
                    ),
                  ),
                  el('button', { type: 'submit' }, 'Adopt into catalog'),
                  message,
                );
                const details = el(
                  'details',
                  {
                    open: open.has(d.id),
                    ontoggle: (e) => (e.target.open ? open.add(d.id) : open.delete(d.id)),
                  },
                  el('summary', {}, 'Adopt…'),
                  form,
                );
                return el(
                  'tr',
                  { 'data-id': d.id },
                  el('th', { scope: 'row' }, `${d.caller} → ${d.callee}`),
                  el('td', {}, `${d.from ?? '?'} → ${d.to ?? '?'}`),
                  el('td', { class: 'num' }, num(d.calls, 0)),
                  el('td', { class: 'num' }, num(d.errors, 0)),
                  el('td', {}, timeEl(d.lastSeen)),
                  el('td', {}, details),
                );
              }),
            ),
          ),
        ),
      );
    },
  };
}
