/**
 * The web UI at `/`: the ecosystem map, the detail panel and the list views. Polls
 * `GET /api/v1/graph` with its ETag; an unchanged graph costs a 304, a changed status or traffic
 * is applied in place, and only a changed structure (an adopted edge, a new system) lays the map
 * out again.
 */
import { api, getToken, onAuthRequired, setToken } from './api.js';
import { blastRadius } from './blast-radius.js';
import { showDetail } from './detail.js';
import { el } from './format.js';
import { layoutGraph, panZoom, renderGraph, structureKey } from './graph-view.js';
import { createDiscoveredView, createIntegrationsView, createKpiView, createWorkflowsView } from './views.js';

const VIEWS = ['map', 'integrations', 'workflows', 'kpis', 'discovered'];
const refreshMs = Number(document.body.dataset.refresh) || 5000;
const svg = document.getElementById('map');
const message = document.getElementById('map-message');
const panel = document.getElementById('detail');

const state = { graph: null, etag: null, key: null, view: null, zoom: null, selected: null, radius: null };

const integrationsView = createIntegrationsView(document.getElementById('integrations-view'), {
  onShow: (id) => {
    location.hash = '#map';
    select({ kind: 'integration', id }, { reveal: true });
  },
});
const workflowsView = createWorkflowsView(document.getElementById('workflows-view'));
const kpiView = createKpiView(document.getElementById('kpis-view'));
const discoveredView = createDiscoveredView(document.getElementById('discovered-view'), {
  onAdopted: () => refresh(),
});

function setMessage(text) {
  message.textContent = text;
  message.hidden = !text;
}

function route() {
  const view = VIEWS.includes(location.hash.slice(1)) ? location.hash.slice(1) : 'map';
  for (const name of VIEWS) document.getElementById(`view-${name}`).hidden = name !== view;
  for (const link of document.querySelectorAll('nav.views a')) {
    if (link.getAttribute('href') === `#${view}`) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

/**
 * Selects an element of the map: opens its detail and highlights its blast radius. `reveal`
 * pans to it when the selection came from elsewhere (the table, the search box, a link).
 */
async function select(target, { reveal = false } = {}) {
  state.selected = target;
  document.body.classList.add('detail-open');
  panel.hidden = false;
  const key = { integration: 'i', discovered: 'd', participant: 'p' }[target.kind] ?? 's';
  const element = state.view?.elementFor(target);
  state.view?.highlight(null, { key: `${key}:${target.id}` });
  if (element && reveal) state.zoom?.reveal(element.getBBox());
  state.selectedEntry = selectedEntry(state.graph);
  try {
    state.radius = await showDetail(panel, state.graph, target, select);
  } catch (error) {
    panel
      .querySelector('.detail-body')
      .replaceChildren(el('p', { class: 'error' }, `Could not load: ${error.message}`));
    state.radius = null;
  }
  if (state.selected !== target) return;
  applyHighlight();
  panel.focus({ preventScroll: window.matchMedia('(min-width: 900px)').matches });
}

/** The selected element's entry in the graph, as text, to tell whether it changed. */
function selectedEntry(graph) {
  const t = state.selected;
  if (!t) return null;
  const list = {
    integration: graph.integrations,
    system: graph.systems,
    participant: graph.participants,
    discovered: graph.discovered,
  }[t.kind];
  const entry = list?.find((x) => x.id === t.id);
  const { requestsPerMinute, errorRatio, calls, lastSeen, ...rest } = entry ?? {};
  return JSON.stringify(rest);
}

function clearSelection() {
  state.selected = null;
  state.radius = null;
  document.body.classList.remove('detail-open');
  panel.hidden = true;
  applyHighlight();
}

/** The selection's radius when something is selected, else the radius of every down integration. */
function applyHighlight() {
  if (!state.view || !state.graph) return;
  const t = state.selected;
  if (t) {
    const key = { integration: 'i', discovered: 'd', participant: 'p' }[t.kind] ?? 's';
    state.view.highlight(state.radius, { key: `${key}:${t.id}` }, 'selection');
    return;
  }
  const down = state.graph.integrations.filter((i) => i.status === 'down');
  if (down.length === 0) {
    state.view.highlight(null, null, 'outage');
    return;
  }
  const union = {
    integrations: new Set(),
    systems: new Set(),
    workflows: new Set(),
    participants: new Set(),
  };
  for (const i of down) {
    const r = blastRadius(state.graph, { kind: 'integration', id: i.id });
    for (const k of Object.keys(union)) for (const id of r[k]) union[k].add(id);
  }
  state.view.highlight(union, null, 'outage');
}

async function draw(graph) {
  const started = performance.now();
  const layout = await layoutGraph(graph, new globalThis.ELK());
  state.view = renderGraph(svg, graph, layout, { onSelect: select });
  if (state.zoom) state.zoom.setBounds(layout);
  else state.zoom = panZoom(svg, layout);
  if (!state.key) state.zoom.fit();
  state.key = structureKey(graph);
  svg.dataset.ready = 'true';
  svg.dataset.layoutMs = String(Math.round(performance.now() - started));
  performance.mark('ecotone:map-painted');
}

function updateViews(graph) {
  integrationsView.update(graph);
  workflowsView.update(graph);
  discoveredView.update(graph);
  void kpiView.update(graph);
  const down = graph.integrations.filter((i) => i.status === 'down').length;
  const degraded = graph.integrations.filter((i) => i.status === 'degraded').length;
  document.getElementById('summary').textContent =
    `${graph.systems.length} systems · ${graph.integrations.length} integrations · ${down} down · ${degraded} degraded · ${graph.discovered.length} undeclared`;
}

let polling = false;
async function refresh() {
  if (polling) return;
  polling = true;
  try {
    const res = await api('/graph', { etag: state.etag });
    if (res.status === 304) return;
    state.etag = res.etag;
    const graph = res.data;
    const structureChanged = structureKey(graph) !== state.key;
    state.graph = graph;
    if (structureChanged) await draw(graph);
    else state.view.update(graph);
    updateViews(graph);
    const entry = selectedEntry(graph);
    if (state.selected && entry !== state.selectedEntry) {
      // What is selected changed (status, traffic): read its detail and radius again.
      state.selectedEntry = entry;
      state.radius = await showDetail(panel, graph, state.selected, select).catch(() => state.radius);
    }
    applyHighlight();
    setMessage('');
    document.getElementById('updated').textContent = `Updated ${new Date().toLocaleTimeString()}`;
  } catch (error) {
    if (!state.graph) setMessage(`Could not load the map: ${error.message}`);
    document.getElementById('updated').textContent = `Update failed: ${error.message}`;
  } finally {
    polling = false;
  }
}

function setUpTokenDialog() {
  const dialog = document.getElementById('token-dialog');
  const form = dialog.querySelector('form');
  const button = document.getElementById('token-button');
  const label = () => {
    button.textContent = getToken() ? 'Token set · change' : 'Set API token';
  };
  label();
  button.addEventListener('click', () => dialog.showModal());
  form.addEventListener('submit', (event) => {
    const token = new FormData(form).get('token');
    if (event.submitter?.value === 'clear') setToken(null);
    else if (token) setToken(String(token).trim());
    label();
    state.etag = null;
    void refresh();
  });
  onAuthRequired((detail) => {
    dialog.querySelector('.reason').textContent = detail;
    if (!dialog.open) dialog.showModal();
  });
}

function setUpControls() {
  document.getElementById('zoom-in').addEventListener('click', () => state.zoom?.zoomIn());
  document.getElementById('zoom-out').addEventListener('click', () => state.zoom?.zoomOut());
  document.getElementById('zoom-fit').addEventListener('click', () => state.zoom?.fit());
  panel.querySelector('.close').addEventListener('click', () => {
    const previous = state.selected && state.view?.elementFor(state.selected);
    clearSelection();
    previous?.focus();
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && state.selected && !document.querySelector('dialog[open]')) clearSelection();
  });
  const find = document.getElementById('find');
  find.addEventListener('change', () => {
    const value = find.value.trim().toLowerCase();
    if (!value || !state.graph) return;
    const i = state.graph.integrations.find((x) => x.id === value || x.name.toLowerCase() === value);
    const s = state.graph.systems.find((x) => x.id === value || x.name.toLowerCase() === value);
    const target = i ? { kind: 'integration', id: i.id } : s ? { kind: 'system', id: s.id } : null;
    if (!target) return;
    select(target, { reveal: true });
    state.view?.elementFor(target)?.focus();
  });
  const list = document.getElementById('find-options');
  const fill = () => {
    if (!state.graph || list.childElementCount > 0) return;
    list.append(
      ...state.graph.systems.map((s) => el('option', { value: s.name }, `system ${s.id}`)),
      ...state.graph.integrations.map((i) => el('option', { value: i.name }, `integration ${i.id}`)),
    );
  };
  find.addEventListener('focus', fill);
}

window.addEventListener('hashchange', route);
route();
setUpTokenDialog();
setUpControls();
await refresh();
setInterval(refresh, refreshMs);
