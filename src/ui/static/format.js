/**
 * Shared formatting and DOM helpers for the map and the status page. Status is always shown as a
 * glyph and a word as well as a colour.
 */

/** How each state reads: its label and the glyph drawn beside its colour. */
export const STATUS = {
  healthy: { label: 'Healthy', glyph: '✓' },
  degraded: { label: 'Degraded', glyph: '!' },
  down: { label: 'Down', glyph: '✕' },
  unknown: { label: 'Unknown', glyph: '?' },
  retired: { label: 'Retired', glyph: '–' },
  maintenance: { label: 'Maintenance', glyph: '∥' },
  discovered: { label: 'Discovered, not in the catalog', glyph: '◌' },
  pass: { label: 'Pass', glyph: '✓' },
  warn: { label: 'Warn', glyph: '!' },
  fail: { label: 'Fail', glyph: '✕' },
  error: { label: 'Error', glyph: '✕' },
};

/** Worst first, for sorting and for the state of a group. */
export const SEVERITY = { down: 5, degraded: 4, maintenance: 3, unknown: 2, healthy: 1, retired: 0 };

/**
 * Creates an element: `el('td', { class: 'num' }, '12')`. Strings become text nodes, so nothing
 * from the API is ever parsed as HTML.
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

/** Same as {@link el} in the SVG namespace. */
export function svgEl(tag, attrs = {}, ...children) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    node.setAttribute(key, String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
  }
}

/** A status badge: glyph and word, coloured by class. */
export function badge(status) {
  const s = STATUS[status] ?? { label: status, glyph: '•' };
  return el(
    'span',
    { class: `badge status-${status}` },
    el('span', { class: 'glyph', 'aria-hidden': 'true' }, s.glyph),
    ` ${s.label}`,
  );
}

export const statusLabel = (status) => STATUS[status]?.label ?? status;

/** `0.9987` → `99.87%`; null → `–`. */
export function pct(ratio, digits = 2) {
  if (ratio === null || ratio === undefined || Number.isNaN(ratio)) return '–';
  return `${(ratio * 100).toFixed(digits)}%`;
}

/** A number with at most `digits` decimals, grouped: `12 345.6`. */
export function num(value, digits = 1) {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  return value.toLocaleString('en', { maximumFractionDigits: digits });
}

/** How long ago an ISO time was, in words: `3 min ago`. */
export function ago(isoTime, now = Date.now()) {
  if (!isoTime) return '–';
  const s = Math.max(0, Math.round((now - Date.parse(isoTime)) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

/** A `<time>` element with the relative time and the exact one in its title. */
export function timeEl(isoTime) {
  if (!isoTime) return el('span', {}, '–');
  return el('time', { datetime: isoTime, title: new Date(isoTime).toLocaleString() }, ago(isoTime));
}

/** A small line chart of `values` (oldest first), with a text alternative. */
export function sparkline(values, label) {
  const w = 120;
  const h = 28;
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? w / (values.length - 1) : w;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(h - 2 - (v / max) * (h - 4)).toFixed(1)}`);
  return svgEl(
    'svg',
    { class: 'sparkline', viewBox: `0 0 ${w} ${h}`, width: w, height: h, role: 'img', 'aria-label': label },
    svgEl('polyline', { points: points.join(' '), fill: 'none' }),
  );
}
