/* global document, window, location, history, localStorage, sessionStorage, fetch, URL, URLSearchParams, setTimeout */
/**
 * The live dashboard: every second it asks the stats API, in one request (/v1/overview), for
 * the top ads of the last hour with their minute buckets and rejected counts, and the late
 * counts, and redraws. One request per refresh keeps several tabs on one key well inside the
 * key's rate limit; a 429 or 503 with Retry-After is waited out before the next try. The API key comes once from the
 * URL fragment (`#key=`, which browsers never send to the server) or the input box, is kept in
 * sessionStorage (gone with the tab), and is sent as a Bearer token only.
 */
import { COLORS, chartColumns, drawChart, resizeChart } from './chart.js';

// The freshness target (a click on the page within 5 s of its 200, at p99) counts the page's own
// wait: a 1-second poll leaves the pipeline 4 s. Measured with the page open: docs/bench.md.
const REFRESH_MS = 1000;
// Five lines stay readable in one chart.
const TOP_ADS = 5;
const HOUR_MS = 3_600_000;
const KEY_STORAGE = 'tollbooth.apiKey';
const VERDICTS = ['duplicate', 'rate_limited', 'bot', 'blocked'];

const $ = (id) => document.getElementById(id);
const fmt = (n) => n.toLocaleString('en-US');
let chart = null;
let apiKey = keyFromPage();

/** The key from the URL, taken once and then removed from the address bar and the history. */
function keyFromPage() {
  const hash = new URLSearchParams(location.hash.slice(1));
  const search = new URLSearchParams(location.search); // links of earlier versions used ?key=
  const fromUrl = hash.get('key') || search.get('key');
  if (hash.has('key') || search.has('key')) {
    hash.delete('key');
    search.delete('key');
    const part = (params, sep) => (String(params) ? sep + String(params) : '');
    history.replaceState(null, '', location.pathname + part(search, '?') + part(hash, '#'));
  }
  localStorage.removeItem(KEY_STORAGE); // earlier versions kept it there for good
  if (fromUrl) sessionStorage.setItem(KEY_STORAGE, fromUrl);
  return fromUrl || sessionStorage.getItem(KEY_STORAGE) || '';
}

/** An error answer of the API; `retryAfterMs` from its Retry-After header (429, 503), else 0. */
class ApiError extends Error {
  constructor(status, message, retryAfterMs) {
    super(`${status}: ${message}`);
    this.retryAfterMs = retryAfterMs;
  }
}

async function api(path, params) {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, String(v));
  const res = await fetch(url, { headers: { authorization: `Bearer ${apiKey}` } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    const seconds = Number(res.headers.get('retry-after'));
    const retryAfterMs = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
    throw new ApiError(res.status, body.error ?? body.message ?? res.statusText, retryAfterMs);
  }
  return body;
}

async function fetchView() {
  const to = Date.now();
  const range = { from: to - HOUR_MS, to };
  const overview = await api('/v1/overview', { ...range, limit: TOP_ADS });
  return { range, top: overview.ads, late: overview.late };
}

function cell(text, field) {
  const td = document.createElement('td');
  td.textContent = text;
  if (field) td.dataset.field = field;
  return td;
}

function renderTable(view) {
  const lateByAd = new Map(view.late.map((a) => [a.ad_id, a.late]));
  const rows = view.top.map((ad, i) => {
    const tr = document.createElement('tr');
    tr.dataset.ad = ad.ad_id;
    const name = cell('', 'ad_id');
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = COLORS[i % COLORS.length];
    name.append(swatch, ad.ad_id);
    const counts = ad.rejected;
    tr.append(
      name,
      cell(fmt(ad.clicks), 'clicks'),
      ...VERDICTS.map((v) => cell(fmt(counts[v] ?? 0), v)),
      cell(fmt(lateByAd.get(ad.ad_id) ?? 0), 'late'),
    );
    return tr;
  });
  $('ads').tBodies[0].replaceChildren(...rows);
}

function renderCards(view) {
  const sum = (xs) => xs.reduce((a, b) => a + b, 0);
  const provisional = view.top.flatMap((ad) => ad.buckets.filter((b) => !b.final).map((b) => b.clicks));
  $('total-clicks').textContent = fmt(sum(view.top.map((a) => a.clicks)));
  $('total-provisional').textContent = fmt(sum(provisional));
  $('total-rejected').textContent = fmt(sum(view.top.flatMap((ad) => VERDICTS.map((v) => ad.rejected[v] ?? 0))));
  $('total-late').textContent = fmt(sum(view.late.map((a) => a.late)));
}

function setStatus(text, isError = false) {
  $('status').textContent = text;
  $('status').classList.toggle('error', isError);
}

/** Refreshes the page once; resolves to how long to wait before the next refresh. */
async function refresh() {
  if (!apiKey) {
    setStatus('Enter an API key to load the counts.', true);
    return REFRESH_MS;
  }
  try {
    const view = await fetchView();
    renderCards(view);
    renderTable(view);
    chart = drawChart(
      $('chart'),
      chart,
      view.top.map((a) => a.ad_id),
      chartColumns(view.range, view.top),
    );
    // The range shown, for anyone (a browser test) who wants to ask the API the same question.
    Object.assign(document.body.dataset, {
      from: view.range.from,
      to: view.range.to,
      refreshes: Number(document.body.dataset.refreshes ?? 0) + 1,
    });
    setStatus(`Updated ${new Date(view.range.to).toISOString().slice(11, 19)} UTC · every ${REFRESH_MS / 1000} s`);
    return REFRESH_MS;
  } catch (err) {
    // Asked to wait (rate limit, ClickHouse restarting): asking sooner would only be refused again.
    const waitMs = Math.max(REFRESH_MS, err.retryAfterMs ?? 0);
    const retry = waitMs > REFRESH_MS ? ` · retrying in ${Math.ceil(waitMs / 1000)} s` : '';
    setStatus(`Could not load: ${err.message}${retry}`, true);
    return waitMs;
  }
}

let timer = null;
let refreshing = false;
async function loop() {
  timer = null;
  // A hidden tab costs the API nothing; it refreshes at once when shown again.
  if (document.hidden) return;
  refreshing = true;
  const waitMs = await refresh();
  refreshing = false;
  timer = setTimeout(loop, waitMs); // after the previous refresh finished: never two in flight
}

document.addEventListener('visibilitychange', () => {
  if (!document.hidden && timer === null && !refreshing) void loop();
});

// The key is never written back into the page: the box only takes a new one.
if (apiKey) $('key').placeholder = 'API key (set)';
$('key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  apiKey = $('key').value.trim();
  $('key').value = '';
  sessionStorage.setItem(KEY_STORAGE, apiKey);
  void refresh();
});
window.addEventListener('resize', () => resizeChart($('chart'), chart));
void loop();
