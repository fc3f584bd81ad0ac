import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

export interface PageOptions {
  /** How often the page polls the API, ms. */
  refreshMs: number;
  version: string;
}

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const STATUSES = [
  ['healthy', 'Healthy', '✓', ''],
  ['degraded', 'Degraded', '!', ''],
  ['down', 'Down', '✕', ''],
  ['unknown', 'Unknown', '?', '8 3 2 3'],
  ['maintenance', 'Maintenance', '∥', ''],
  ['retired', 'Retired', '–', '2 4'],
  ['discovered', 'Discovered (not in catalog)', '◌', '7 5'],
] as const;

const tokenDialog = html`<dialog id="token-dialog" aria-labelledby="token-title">
  <form method="dialog">
    <h2 id="token-title">API token</h2>
    <p class="reason muted"></p>
    <p>
      This Ecotone asks for a token. Paste one with the <code>read</code> scope (<code>admin</code> to adopt
      discovered edges): <code>ecotone token create --name me --scope read</code>. It is kept in this tab only
      (sessionStorage) and sent as a bearer token to <code>/api/v1</code>.
    </p>
    <label>Token <input name="token" type="password" autocomplete="off" /></label>
    <menu>
      <button type="submit" value="save">Use token</button>
      <button type="submit" value="clear">Forget token</button>
      <button type="submit" value="cancel" formnovalidate>Cancel</button>
    </menu>
  </form>
</dialog>`;

function page(title: string, options: PageOptions, body: Html, scripts: Html, kind: 'map' | 'status'): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<meta name="generator" content="Ecotone ${options.version}" />
<title>${title}</title>
<link rel="stylesheet" href="/ui/static/ui.css" />
<link rel="icon" href="/ui/static/favicon.svg" type="image/svg+xml" />
</head>
<body class="${kind}-page" data-refresh="${options.refreshMs}">
<a class="skip" href="#main">Skip to content</a>
${body}
${tokenDialog}
${scripts}
</body>
</html>`;
}

function legend(): Html {
  return html`<ul class="legend" aria-label="Legend">
    ${STATUSES.map(
      ([status, label, glyph, dash]) => html`<li class="status-${status}">
        <svg aria-hidden="true" viewBox="0 0 28 12"><line x1="1" y1="6" x2="27" y2="6" stroke="currentColor" stroke-width="2.5" ${dash ? html`stroke-dasharray="${dash}"` : ''} /></svg>
        <span aria-hidden="true">${glyph}</span> ${label}
      </li>`,
    )}
  </ul>`;
}

/** The map at `/`: the shell the browser code fills from `/api/v1/graph`. */
export function mapPage(options: PageOptions): Html {
  const body = html`<header class="top">
  <a class="brand" href="/">Ecotone</a>
  <nav class="views" aria-label="Views">
    <ul>
      <li><a href="#map">Map</a></li>
      <li><a href="#integrations">Integrations</a></li>
      <li><a href="#workflows">Workflows</a></li>
      <li><a href="#kpis">KPIs</a></li>
      <li><a href="#discovered">Discovered edges</a></li>
    </ul>
  </nav>
  <div class="right">
    <a href="/status">Status page</a>
    <span id="updated" role="status"></span>
    <button type="button" id="token-button">Set API token</button>
  </div>
</header>
<main id="main" tabindex="-1">
  <section id="view-map" aria-label="Ecosystem map">
    <div class="map-toolbar">
      <label>Find <input id="find" type="search" list="find-options" placeholder="system or integration" /></label>
      <datalist id="find-options"></datalist>
      <span role="group" aria-label="Zoom">
        <button type="button" id="zoom-in" aria-label="Zoom in">+</button>
        <button type="button" id="zoom-out" aria-label="Zoom out">−</button>
        <button type="button" id="zoom-fit">Fit</button>
      </span>
      <span id="summary" class="muted small"></span>
      ${legend()}
    </div>
    <div class="map-layout">
      <div class="map-canvas">
        <svg id="map" tabindex="0" role="group" aria-label="Ecosystem map: systems grouped by participant, integrations as arrows. Tab to a system or integration and press Enter for its detail; arrow keys pan, + and − zoom, 0 fits." aria-describedby="map-help"></svg>
        <p id="map-help" class="visually-hidden">The same integrations are listed, sortable, in the Integrations view.</p>
        <p id="map-message" role="status">Loading the map…</p>
      </div>
      <aside id="detail" tabindex="-1" aria-label="Detail" hidden>
        <button type="button" class="close" aria-label="Close the detail">✕</button>
        <div class="detail-body" aria-live="polite"></div>
      </aside>
    </div>
  </section>
  <section id="view-integrations" aria-labelledby="integrations-title" hidden>
    <h1 id="integrations-title">Integrations</h1>
    <div id="integrations-view"></div>
  </section>
  <section id="view-workflows" aria-labelledby="workflows-title" hidden>
    <h1 id="workflows-title">Workflows</h1>
    <div id="workflows-view"></div>
  </section>
  <section id="view-kpis" aria-labelledby="kpis-title" hidden>
    <h1 id="kpis-title">KPI overview</h1>
    <div id="kpis-view"></div>
  </section>
  <section id="view-discovered" aria-labelledby="discovered-title" hidden>
    <h1 id="discovered-title">Discovered edges</h1>
    <p class="muted">Calls seen in traces that no integration declares. Adopting one creates an integration (admin token).</p>
    <div id="discovered-view"></div>
  </section>
</main>`;
  const scripts = html`<script src="/ui/vendor/elk.bundled.js"></script>
<script type="module" src="/ui/static/map.js"></script>`;
  return page('Ecotone · ecosystem map', options, body, scripts, 'map');
}

/** The status page at `/status`, filled from `/api/v1/status-page`. */
export function statusPage(options: PageOptions): Html {
  const body = html`<header class="top">
  <a class="brand" href="/status">Ecotone status</a>
  <div class="right"><a href="/">Ecosystem map</a></div>
</header>
<main id="main" class="status-main" tabindex="-1">
  <h1>Ecosystem status</h1>
  <p id="status-banner" class="banner status-unknown" role="status">Loading…</p>
  <div id="status-root"></div>
</main>`;
  return page(
    'Ecotone · status',
    options,
    body,
    html`<script type="module" src="/ui/static/status.js"></script>`,
    'status',
  );
}
