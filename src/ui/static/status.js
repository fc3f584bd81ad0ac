/**
 * The status page at `/status`: one line per participant and per tier with its state and 30 days
 * of uptime, the active incidents and the maintenance windows. Polls `GET /api/v1/status-page`
 * with its ETag.
 */
import { api, onAuthRequired, setToken } from './api.js';
import { badge, el, pct, timeEl } from './format.js';

const refreshMs = Number(document.body.dataset.refresh) || 5000;
const root = document.getElementById('status-root');
const banner = document.getElementById('status-banner');
let etag = null;

const STATE_TEXT = {
  operational: ['healthy', 'All integrations operational'],
  degraded: ['degraded', 'Some integrations are degraded'],
  outage: ['down', 'Some integrations are down'],
  maintenance: ['maintenance', 'Maintenance in progress'],
  unknown: ['unknown', 'No probe results yet'],
};

function uptimeBars(days, name) {
  const known = days.filter((d) => d.availability !== null);
  const overall = known.length ? known.reduce((s, d) => s + d.availability, 0) / known.length : null;
  return el(
    'div',
    { class: 'uptime' },
    el(
      'ol',
      { class: 'bars', 'aria-label': `${name}: uptime per day, last ${days.length} days` },
      days.map((d) => {
        const level =
          d.availability === null
            ? 'none'
            : d.availability >= 0.999
              ? 'good'
              : d.availability >= 0.99
                ? 'fair'
                : 'poor';
        const text = `${d.day}: ${d.availability === null ? 'no data' : pct(d.availability, 2)}`;
        return el(
          'li',
          { class: `bar ${level}`, title: text },
          el('span', { class: 'visually-hidden' }, text),
        );
      }),
    ),
    el(
      'p',
      { class: 'muted small' },
      `${days.length} days · ${overall === null ? 'no data' : `${pct(overall, 2)} uptime`}`,
    ),
  );
}

function groupList(groups, by, title) {
  const items = groups.filter((g) => g.by === by).sort((a, b) => a.name.localeCompare(b.name));
  return el(
    'section',
    { class: 'status-groups', 'aria-labelledby': `by-${by}` },
    el('h2', { id: `by-${by}` }, title),
    el(
      'ul',
      { class: 'plain' },
      items.map((g) =>
        el(
          'li',
          { class: 'status-group', 'data-id': g.id, 'data-status': g.status },
          el(
            'div',
            { class: 'status-group-head' },
            el('h3', {}, g.name),
            badge(g.status),
            el(
              'span',
              { class: 'muted small' },
              `${g.integrations} integration${g.integrations === 1 ? '' : 's'}`,
            ),
          ),
          uptimeBars(g.days, g.name),
        ),
      ),
    ),
  );
}

function render(page) {
  const [status, text] = STATE_TEXT[page.state] ?? STATE_TEXT.unknown;
  banner.className = `banner status-${status}`;
  banner.replaceChildren(
    badge(status),
    el('strong', {}, ` ${text}`),
    el('span', { class: 'muted small' }, ` · updated `, timeEl(page.generatedAt)),
  );
  root.replaceChildren(
    el(
      'section',
      { 'aria-labelledby': 'incidents' },
      el('h2', { id: 'incidents' }, 'Active incidents'),
      page.incidents.length === 0
        ? el('p', {}, 'None.')
        : el(
            'ul',
            { class: 'plain incidents' },
            page.incidents.map((i) =>
              el(
                'li',
                { 'data-id': i.integration },
                badge(i.status),
                ' ',
                el('strong', {}, i.name),
                ` (${i.participant}, ${i.tier}) since `,
                timeEl(i.since),
                i.failureClass ? ` · ${i.failureClass}` : '',
              ),
            ),
          ),
    ),
    el(
      'section',
      { 'aria-labelledby': 'maintenance' },
      el('h2', { id: 'maintenance' }, 'Maintenance windows'),
      page.maintenance.length === 0
        ? el('p', {}, 'None scheduled.')
        : el(
            'ul',
            { class: 'plain' },
            page.maintenance.map((m) =>
              el(
                'li',
                {},
                m.active ? badge('maintenance') : el('span', { class: 'muted' }, 'Scheduled'),
                ` ${m.description ?? m.id}: ${new Date(m.start).toLocaleString()} – ${new Date(m.end).toLocaleString()}`,
              ),
            ),
          ),
    ),
    groupList(page.groups, 'participant', 'By participant'),
    groupList(page.groups, 'tier', 'By tier'),
    page.recent.length === 0
      ? null
      : el(
          'section',
          { 'aria-labelledby': 'recent' },
          el('h2', { id: 'recent' }, 'Recent changes'),
          el(
            'ul',
            { class: 'plain' },
            page.recent.map((t) =>
              el('li', {}, timeEl(t.at), ` ${t.integration}: ${t.from} → ${t.to} (${t.reason})`),
            ),
          ),
        ),
  );
  root.dataset.ready = 'true';
}

async function refresh() {
  try {
    const res = await api('/status-page', { etag });
    if (res.status === 304) return;
    etag = res.etag;
    render(res.data);
  } catch (error) {
    if (!root.dataset.ready)
      root.replaceChildren(el('p', { class: 'error' }, `Could not load the status: ${error.message}`));
  }
}

const dialog = document.getElementById('token-dialog');
onAuthRequired((detail) => {
  dialog.querySelector('.reason').textContent = detail;
  if (!dialog.open) dialog.showModal();
});
dialog.querySelector('form').addEventListener('submit', (event) => {
  const token = new FormData(event.target).get('token');
  if (event.submitter?.value === 'clear') setToken(null);
  else if (token) setToken(String(token).trim());
  etag = null;
  void refresh();
});
await refresh();
setInterval(refresh, refreshMs);
