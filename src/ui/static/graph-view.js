/**
 * The ecosystem map: lays out systems grouped by participant with ELK (layered, left to right),
 * draws them as SVG, and updates statuses and traffic in place. A new layout runs only when the
 * graph's structure changes; the last layout is kept in localStorage, so a reload paints at once.
 */
import { STATUS, statusLabel, svgEl } from './format.js';

const NODE_W = 150;
const NODE_H = 40;
const LAYOUT_KEY = 'ecotone.layout.v2';
/** The group that holds services seen in traces but listed by no system. */
export const UNLISTED = '__unlisted__';

/** The edges the map draws: integrations and the discovered edges whose ends it can place. */
export function drawableEdges(graph) {
  const edges = graph.integrations.map((i) => ({ ...i, key: `i:${i.id}`, discovered: false }));
  for (const d of graph.discovered) {
    edges.push({
      key: `d:${d.id}`,
      id: d.id,
      name: `${d.caller} → ${d.callee}`,
      from: d.from ?? `svc:${d.caller}`,
      to: d.to ?? `svc:${d.callee}`,
      status: 'discovered',
      discovered: true,
      requestsPerMinute: 0,
      calls: d.calls,
    });
  }
  return edges;
}

/** Systems, plus a node per unlisted service at the end of a discovered edge. */
function drawableNodes(graph, edges) {
  const nodes = graph.systems.map((s) => ({ ...s, unlisted: false }));
  const known = new Set(nodes.map((n) => n.id));
  for (const e of edges) {
    for (const id of [e.from, e.to]) {
      if (known.has(id)) continue;
      known.add(id);
      nodes.push({ id, name: id.slice(4), participant: UNLISTED, kind: 'service', unlisted: true });
    }
  }
  return nodes;
}

function groupTitle(id, names, roles) {
  if (id === UNLISTED) return 'Services not in the catalog';
  return `${names.get(id) ?? id}${roles.get(id) ? ` · ${roles.get(id)}` : ''}`;
}

/** A key that changes only when what is laid out (groups, nodes, edge ends) changes. */
export function structureKey(graph) {
  const edges = drawableEdges(graph);
  const nodes = drawableNodes(graph, edges);
  return [
    nodes.map((n) => `${n.participant}/${n.id}`).join(','),
    edges.map((e) => `${e.key}:${e.from}>${e.to}`).join(','),
  ].join('|');
}

/** Runs ELK over the graph; resolves absolute positions of groups, nodes and edge polylines. */
export async function layoutGraph(graph, elk) {
  const key = structureKey(graph);
  try {
    const cached = JSON.parse(localStorage.getItem(LAYOUT_KEY) ?? 'null');
    if (cached?.key === key) return cached.layout;
  } catch {
    // A broken cache entry is laid out again.
  }
  const edges = drawableEdges(graph);
  const nodes = drawableNodes(graph, edges);
  const groups = new Map();
  const names = new Map(graph.participants.map((p) => [p.id, p.name]));
  const roles = new Map(graph.participants.map((p) => [p.id, p.role]));
  for (const n of nodes) {
    const list = groups.get(n.participant) ?? [];
    list.push({ id: n.id, width: NODE_W, height: NODE_H });
    groups.set(n.participant, list);
  }
  const large = nodes.length > 80;
  const root = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.spacing.nodeNode': '24',
      'elk.layered.spacing.nodeNodeBetweenLayers': '48',
      'elk.spacing.edgeNode': '16',
      // Orthogonal routes share channels and merge into walls of lines on a large map.
      'elk.edgeRouting': large ? 'POLYLINE' : 'ORTHOGONAL',
      // Thorough crossing minimisation costs seconds on a few hundred nodes; one pass keeps it readable.
      'elk.layered.thoroughness': large ? '1' : '7',
      ...(large ? { 'elk.layered.nodePlacement.strategy': 'LINEAR_SEGMENTS' } : {}),
    },
    children: [...groups].map(([id, children]) => ({
      id: `group:${id}`,
      layoutOptions: {
        'elk.padding': '[top=34,left=12,bottom=12,right=12]',
        // Wide enough for the participant's name and role in the heading.
        'elk.nodeSize.constraints': 'MINIMUM_SIZE',
        'elk.nodeSize.minimum': `(${Math.round(groupTitle(id, names, roles).length * 8.2 + 30)}, 60)`,
      },
      children,
    })),
    edges: edges.map((e) => ({ id: e.key, sources: [e.from], targets: [e.to] })),
  };
  const result = await elk.layout(root);
  const offsets = new Map([['root', { x: 0, y: 0 }]]);
  const layout = { width: result.width, height: result.height, groups: {}, nodes: {}, edges: {} };
  for (const g of result.children ?? []) {
    offsets.set(g.id, { x: g.x, y: g.y });
    layout.groups[g.id.slice(6)] = { x: g.x, y: g.y, width: g.width, height: g.height };
    for (const n of g.children ?? []) {
      offsets.set(n.id, { x: g.x + n.x, y: g.y + n.y });
      layout.nodes[n.id] = { x: g.x + n.x, y: g.y + n.y, width: n.width, height: n.height };
    }
  }
  for (const e of result.edges ?? []) {
    const o = offsets.get(e.container ?? 'root') ?? { x: 0, y: 0 };
    const points = [];
    for (const s of e.sections ?? []) {
      points.push(s.startPoint, ...(s.bendPoints ?? []), s.endPoint);
    }
    layout.edges[e.id] = points.map((p) => [Math.round(p.x + o.x), Math.round(p.y + o.y)]);
  }
  try {
    localStorage.setItem(LAYOUT_KEY, JSON.stringify({ key, layout }));
  } catch {
    // Storage full or off: the next load lays out again.
  }
  return layout;
}

/** The point halfway along a polyline, where the status glyph sits. */
function midpoint(points) {
  let total = 0;
  const lengths = [];
  for (let i = 1; i < points.length; i++) {
    const l = Math.hypot(points[i][0] - points[i - 1][0], points[i][1] - points[i - 1][1]);
    lengths.push(l);
    total += l;
  }
  let half = total / 2;
  for (let i = 1; i < points.length; i++) {
    const l = lengths[i - 1];
    if (half <= l && l > 0) {
      const t = half / l;
      return [
        points[i - 1][0] + (points[i][0] - points[i - 1][0]) * t,
        points[i - 1][1] + (points[i][1] - points[i - 1][1]) * t,
      ];
    }
    half -= l;
  }
  return points[0] ?? [0, 0];
}

/** Stroke width from calls per minute: 2 px idle, up to 8 px. */
export const edgeWidth = (rpm) => Math.min(8, 2 + Math.log10(1 + (rpm ?? 0)) * 2);

function edgeLabel(e, systems) {
  const from = systems.get(e.from)?.name ?? e.from.replace(/^svc:/, '');
  const to = systems.get(e.to)?.name ?? e.to.replace(/^svc:/, '');
  if (e.discovered) return `Discovered edge ${from} to ${to}, not in the catalog, ${e.calls} calls`;
  const status =
    e.maintenance && e.status !== 'healthy'
      ? `${statusLabel(e.status)}, in maintenance`
      : statusLabel(e.status);
  return `Integration ${e.name}, ${from} to ${to}, ${e.tier} tier, ${status}`;
}

/**
 * Draws the laid-out graph into `svg` and returns a view to update and highlight it. `onSelect`
 * gets `{ kind: 'integration' | 'system' | 'discovered' | 'participant', id }` on click, Enter or Space.
 */
export function renderGraph(svg, graph, layout, { onSelect }) {
  svg.replaceChildren();
  const defs = svgEl('defs');
  for (const status of [...Object.keys(STATUS), 'selected']) {
    defs.append(
      svgEl(
        'marker',
        {
          id: `arrow-${status}`,
          viewBox: '0 0 10 10',
          refX: 9,
          refY: 5,
          markerWidth: 5,
          markerHeight: 5,
          orient: 'auto-start-reverse',
          class: `marker status-${status}`,
        },
        svgEl('path', { d: 'M0,0 L10,5 L0,10 z' }),
      ),
    );
  }
  svg.append(defs);
  const groupsLayer = svgEl('g', { class: 'groups' });
  const edgesLayer = svgEl('g', { class: 'edges' });
  const nodesLayer = svgEl('g', { class: 'nodes' });
  svg.append(groupsLayer, edgesLayer, nodesLayer);

  const participants = new Map(graph.participants.map((p) => [p.id, p]));
  const elements = { groups: new Map(), nodes: new Map(), edges: new Map() };
  const activate = (g, target) => {
    g.addEventListener('click', () => onSelect(target));
    g.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        onSelect(target);
      }
    });
  };

  for (const [id, box] of Object.entries(layout.groups)) {
    const p = participants.get(id);
    const label = id === UNLISTED ? 'Services not in the catalog' : (p?.name ?? id);
    const title = groupTitle(id, new Map([[id, label]]), new Map([[id, p?.role]]));
    const g = svgEl(
      'g',
      {
        class: `group${id === UNLISTED ? ' unlisted' : ''}`,
        'data-id': id,
        tabindex: id === UNLISTED ? undefined : 0,
        role: id === UNLISTED ? undefined : 'button',
        'aria-label': `Participant ${label}${p ? `, ${p.role}` : ''}`,
      },
      svgEl('rect', { x: box.x, y: box.y, width: box.width, height: box.height, rx: 8 }),
      svgEl('text', { x: box.x + 10, y: box.y + 21, class: 'group-label' }, title),
    );
    if (p) activate(g, { kind: 'participant', id });
    groupsLayer.append(g);
    elements.groups.set(id, g);
  }

  const edges = drawableEdges(graph);
  const nodes = drawableNodes(graph, edges);
  const systems = new Map(nodes.map((n) => [n.id, n]));
  for (const e of edges) {
    const points = layout.edges[e.key];
    if (!points || points.length < 2) continue;
    const d = `M${points.map((p) => p.join(',')).join(' L')}`;
    const [mx, my] = midpoint(points);
    const title = svgEl('title', {}, edgeLabel(e, systems));
    const g = svgEl(
      'g',
      {
        class: `edge${e.discovered ? ' discovered' : ''}`,
        'data-id': e.id,
        'data-kind': e.discovered ? 'discovered' : 'integration',
        tabindex: 0,
        role: 'button',
        'aria-label': edgeLabel(e, systems),
      },
      title,
      svgEl('path', { d, class: 'hit' }),
      svgEl('path', { d, class: 'line' }),
      svgEl(
        'g',
        { class: 'glyph', transform: `translate(${mx.toFixed(1)},${my.toFixed(1)})`, 'aria-hidden': 'true' },
        svgEl('circle', { r: 8 }),
        svgEl('text', { 'text-anchor': 'middle', dy: '0.35em' }, ''),
      ),
    );
    activate(g, { kind: e.discovered ? 'discovered' : 'integration', id: e.id });
    edgesLayer.append(g);
    elements.edges.set(e.key, g);
  }

  for (const n of nodes) {
    const box = layout.nodes[n.id];
    if (!box) continue;
    const name = n.name.length > 20 ? `${n.name.slice(0, 19)}…` : n.name;
    const g = svgEl(
      'g',
      {
        class: `node${n.unlisted ? ' unlisted' : ''}`,
        'data-id': n.id,
        tabindex: 0,
        role: 'button',
        'aria-label': `${n.unlisted ? 'Service (not in the catalog)' : 'System'} ${n.name}`,
      },
      svgEl('title', {}, `${n.name} (${n.id})`),
      svgEl('rect', { x: box.x, y: box.y, width: box.width, height: box.height, rx: 6 }),
      svgEl('text', { x: box.x + 10, y: box.y + 17, class: 'node-name' }, name),
      svgEl('text', { x: box.x + 10, y: box.y + 32, class: 'node-kind' }, n.kind),
    );
    activate(g, { kind: n.unlisted ? 'service' : 'system', id: n.id });
    nodesLayer.append(g);
    elements.nodes.set(n.id, g);
  }

  const view = {
    layout,
    elements,
    /** Applies statuses, traffic and discovered-edge counts without touching positions. */
    update(next) {
      const nextEdges = drawableEdges(next);
      const nextSystems = new Map(drawableNodes(next, nextEdges).map((n) => [n.id, n]));
      for (const e of nextEdges) {
        const g = elements.edges.get(e.key);
        if (!g) continue;
        const status = e.maintenance && e.status !== 'healthy' && !e.discovered ? 'maintenance' : e.status;
        g.dataset.status = e.status;
        g.dataset.tier = e.tier ?? '';
        const line = g.querySelector('.line');
        line.setAttribute('marker-end', `url(#arrow-${status})`);
        line.style.strokeWidth = `${edgeWidth(e.requestsPerMinute).toFixed(1)}px`;
        const kept = ['affected', 'at-risk', 'selected'].filter((c) => g.classList.contains(c));
        g.setAttribute(
          'class',
          ['edge', `status-${status}`, e.discovered ? 'discovered' : '', ...kept].join(' ').trim(),
        );
        g.querySelector('.glyph text').textContent = STATUS[status]?.glyph ?? '';
        const label = edgeLabel(e, nextSystems);
        g.setAttribute('aria-label', label);
        g.querySelector('title').textContent = label;
      }
      for (const [id, g] of elements.nodes) {
        const touching = nextEdges.filter((e) => !e.discovered && (e.from === id || e.to === id));
        const worst = touching.some((e) => e.status === 'down')
          ? 'down'
          : touching.some((e) => e.status === 'degraded')
            ? 'degraded'
            : 'ok';
        g.dataset.worst = worst;
      }
    },
    /**
     * Marks a blast radius: `selected` on the chosen element, `affected` on what it reaches, the
     * rest dimmed. `radius` null clears it. `mode` 'selection' dims; 'outage' only outlines.
     */
    highlight(radius, selected, mode = 'selection') {
      svg.classList.toggle('has-selection', Boolean(radius) && mode === 'selection');
      const mark = (g, affected) => {
        g.classList.toggle('affected', affected && mode === 'selection');
        g.classList.toggle('at-risk', affected && mode === 'outage');
      };
      for (const [key, g] of elements.edges) {
        mark(g, Boolean(radius) && key.startsWith('i:') && radius.integrations.has(key.slice(2)));
        g.classList.toggle('selected', selected?.key === key);
      }
      for (const [id, g] of elements.nodes) {
        mark(g, Boolean(radius) && radius.systems.has(id));
        g.classList.toggle('selected', selected?.key === `s:${id}`);
      }
      for (const [id, g] of elements.groups) {
        g.classList.toggle(
          'affected',
          Boolean(radius) && mode === 'selection' && radius.participants.has(id),
        );
        g.classList.toggle('selected', selected?.key === `p:${id}`);
      }
    },
    /** The element drawn for a selection target, to focus or scroll to. */
    elementFor(target) {
      if (target.kind === 'integration') return elements.edges.get(`i:${target.id}`);
      if (target.kind === 'discovered') return elements.edges.get(`d:${target.id}`);
      if (target.kind === 'participant') return elements.groups.get(target.id);
      return elements.nodes.get(target.id);
    },
  };
  view.update(graph);
  return view;
}

/**
 * Pan and zoom by the SVG viewBox: drag to pan, wheel or +/− to zoom, arrow keys to pan, 0 to fit.
 * Labels of participants grow as the map zooms out, so groups stay readable at any size.
 */
export function panZoom(svg, bounds) {
  let box = { x: 0, y: 0, width: bounds.width, height: bounds.height };
  const scaleOf = () =>
    svg.clientWidth > 0 && svg.clientHeight > 0
      ? Math.min(svg.clientWidth / box.width, svg.clientHeight / box.height)
      : 1;
  const apply = () => {
    svg.setAttribute('viewBox', `${box.x} ${box.y} ${box.width} ${box.height}`);
    const scale = scaleOf();
    // Participant names grow only when the map is zoomed far out, to stay legible as an overview.
    svg.style.setProperty('--inv', String(Math.max(1, Math.min(6, 0.55 / Math.max(scale, 0.01)))));
    svg.classList.toggle('zoomed-out', scale < 0.45);
  };
  const fitAll = () => {
    const pad = 20;
    box = { x: -pad, y: -pad, width: bounds.width + 2 * pad, height: bounds.height + 2 * pad };
    const w = svg.clientWidth;
    const h = svg.clientHeight;
    if (w > 0 && h > 0 && w < 700 && w / box.width < h / box.height) {
      // A narrow window: fill the height and let the map be panned sideways, rather than a sliver.
      box = { ...box, width: (box.height * w) / h };
    }
    apply();
  };
  const zoom = (factor, cx = box.x + box.width / 2, cy = box.y + box.height / 2) => {
    const width = Math.min(bounds.width * 4, Math.max(200, box.width * factor));
    const f = width / box.width;
    box = { x: cx - (cx - box.x) * f, y: cy - (cy - box.y) * f, width, height: box.height * f };
    apply();
  };
  const pan = (dx, dy) => {
    box = { ...box, x: box.x + dx * box.width, y: box.y + dy * box.height };
    apply();
  };
  svg.addEventListener(
    'wheel',
    (event) => {
      event.preventDefault();
      const r = svg.getBoundingClientRect();
      const cx = box.x + ((event.clientX - r.left) / r.width) * box.width;
      const cy = box.y + ((event.clientY - r.top) / r.height) * box.height;
      zoom(event.deltaY > 0 ? 1.15 : 1 / 1.15, cx, cy);
    },
    { passive: false },
  );
  let drag = null;
  svg.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    drag = { x: event.clientX, y: event.clientY, box, moved: false };
  });
  svg.addEventListener('pointermove', (event) => {
    if (!drag) return;
    const r = svg.getBoundingClientRect();
    const dx = ((event.clientX - drag.x) / r.width) * drag.box.width;
    const dy = ((event.clientY - drag.y) / r.height) * drag.box.height;
    if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
    if (!drag.moved) return;
    box = { ...drag.box, x: drag.box.x - dx, y: drag.box.y - dy };
    apply();
  });
  const end = () => {
    if (drag?.moved) svg.dataset.justPanned = '1';
    drag = null;
    setTimeout(() => delete svg.dataset.justPanned, 0);
  };
  svg.addEventListener('pointerup', end);
  svg.addEventListener('pointerleave', end);
  svg.addEventListener(
    'click',
    (event) => {
      if (svg.dataset.justPanned) event.stopPropagation();
    },
    true,
  );
  svg.addEventListener('keydown', (event) => {
    if (event.target !== svg && !(event.key === '+' || event.key === '-' || event.key === '0')) return;
    const keys = {
      '+': () => zoom(1 / 1.25),
      '=': () => zoom(1 / 1.25),
      '-': () => zoom(1.25),
      0: fitAll,
      ArrowLeft: () => pan(-0.1, 0),
      ArrowRight: () => pan(0.1, 0),
      ArrowUp: () => pan(0, -0.1),
      ArrowDown: () => pan(0, 0.1),
    };
    const action = keys[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  });
  new ResizeObserver(apply).observe(svg);
  fitAll();
  return {
    fit: fitAll,
    zoomIn: () => zoom(1 / 1.25),
    zoomOut: () => zoom(1.25),
    setBounds(next) {
      bounds = next;
    },
    /** Centres the view on a box of the layout without changing the zoom, unless it is far out. */
    reveal(target) {
      if (!target) return;
      const cx = target.x + (target.width ?? 0) / 2;
      const cy = target.y + (target.height ?? 0) / 2;
      if (cx > box.x && cx < box.x + box.width && cy > box.y && cy < box.y + box.height) return;
      box = { ...box, x: cx - box.width / 2, y: cy - box.height / 2 };
      apply();
    },
  };
}
