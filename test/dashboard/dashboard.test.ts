/**
 * The dashboard in headless Chromium (Debian's chromium, driven by playwright-core) against the
 * stats API over a test pipeline fed through the ingest: every number on the page equals what
 * the API answers for the same range, provisional minutes are drawn apart, a new click is on the
 * page within the freshness bound (5 s from its 200, the page's refresh included), and a screenshot is
 * saved to test-artifacts/ (git-ignored; copy it to docs/dashboard.png when the page changes:
 * a test run must not change tracked files).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page, type Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER } from '../ingest/harness.ts';
import { EXPECTED, startStatsFixture, type StatsFixture } from './fixture.ts';

// Freshness (docs/api.md): a click is on the dashboard within 5 s of its 200, refresh included.
const FRESHNESS_MS = 5000;

const CHROMIUM = '/usr/bin/chromium';
// No network beyond the page's own origin, no background services: the page must work offline.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let fx: StatsFixture;
let profile: string;
let context: BrowserContext;
let page: Page;
let origin: string;

beforeAll(async () => {
  fx = await startStatsFixture('dash');
  origin = await fx.api.listen({ host: fx.config.host, port: 0 });
  profile = await mkdtemp(path.join(tmpdir(), 'tollbooth-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 640 },
  });
  page = await context.newPage();
});
afterAll(async () => {
  await context?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
  await fx?.close();
});

interface Shown {
  from: number;
  to: number;
  rows: Record<string, string>[];
  cards: Record<string, string>;
}

/** What the page shows: the table, the summary cards, and the range it asked the API for. */
async function shown(): Promise<Shown> {
  return page.evaluate(() => ({
    from: Number(document.body.dataset.from),
    to: Number(document.body.dataset.to),
    rows: [...document.querySelectorAll('#ads tbody tr')].map((tr) =>
      Object.fromEntries([...tr.querySelectorAll('td')].map((td) => [td.dataset.field ?? '', td.textContent ?? ''])),
    ),
    cards: Object.fromEntries(
      [...document.querySelectorAll('.card .value')].map((el) => [el.id, el.textContent ?? '']),
    ),
  }));
}

async function api<T>(url: string): Promise<T> {
  const res = await fx.api.inject({ method: 'GET', url, headers: { authorization: `Bearer ${fx.keys.all}` } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<T>();
}

const num = (text: string | undefined) => Number((text ?? '').replace(/,/g, ''));
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('the dashboard page', () => {
  it('shows the same numbers as the API and draws provisional minutes apart', async () => {
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    const cspViolations: string[] = [];
    page.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
    });
    await page.goto(`${origin}/#key=${encodeURIComponent(fx.keys.all)}`);
    await page.waitForFunction(() => Number(document.body.dataset.refreshes ?? 0) >= 1, undefined, { timeout: 20_000 });
    // The key was taken once: out of the address bar, kept for the tab only, not in the page.
    expect(page.url()).toBe(`${origin}/`);
    expect(
      await page.evaluate(() => [
        sessionStorage.getItem('tollbooth.apiKey'),
        localStorage.getItem('tollbooth.apiKey'),
        (document.getElementById('key') as HTMLInputElement).value,
      ]),
    ).toEqual([fx.keys.all, null, '']);
    const view = await shown();
    const range = `from=${view.from}&to=${view.to}`;

    const top = (await api<{ ads: { ad_id: string; clicks: number }[] }>(`/v1/ads/top?${range}&limit=5`)).ads;
    expect(top).toEqual(EXPECTED.top);
    expect(view.rows.map((r) => ({ ad_id: r.ad_id, clicks: num(r.clicks) }))).toEqual(top);

    const late = new Map(
      (await api<{ ads: { ad_id: string; late: number }[] }>(`/v1/late?${range}`)).ads.map((a) => [a.ad_id, a.late]),
    );
    let rejectedTotal = 0;
    let provisionalTotal = 0;
    for (const row of view.rows) {
      const counts = (await api<{ counts: Record<string, number> }>(`/v1/ads/${row.ad_id}/rejected?${range}`)).counts;
      expect({
        duplicate: num(row.duplicate),
        rate_limited: num(row.rate_limited),
        bot: num(row.bot),
        blocked: num(row.blocked),
      }).toEqual(counts);
      expect(num(row.late)).toBe(late.get(row.ad_id ?? '') ?? 0);
      rejectedTotal += sum(Object.values(counts));
      const buckets = (
        await api<{ buckets: { clicks: number; final: boolean }[] }>(
          `/v1/ads/${row.ad_id}/clicks?${range}&granularity=minute`,
        )
      ).buckets;
      provisionalTotal += sum(buckets.filter((b) => !b.final).map((b) => b.clicks));
    }
    expect(view.cards).toEqual({
      'total-clicks': String(sum(top.map((a) => a.clicks))),
      'total-provisional': String(provisionalTotal),
      'total-rejected': String(rejectedTotal),
      'total-late': String(sum([...late.values()])),
    });
    expect(provisionalTotal).toBe(sum(Object.values(EXPECTED.provisional)));

    // The chart: a final and a provisional series per ad; the open minute only in the provisional one.
    expect(await page.locator('#chart canvas').count()).toBe(1);
    // A string, not a function: vitest would rewrite a function's dynamic import for Node.
    const lastPoints: unknown = await page.evaluate(`(async () => {
      const { from, to, ads, key } = ${JSON.stringify({ from: view.from, to: view.to, ads: top.map((a) => a.ad_id), key: fx.keys.all })};
      const { chartColumns } = await import('/dashboard/chart.js');
      const get = async (ad) => (await fetch('/v1/ads/' + ad + '/clicks?granularity=minute&from=' + from + '&to=' + to, { headers: { authorization: 'Bearer ' + key } })).json();
      const columns = chartColumns({ from, to }, await Promise.all(ads.map(get)));
      return ads.map((_ad, i) => ({ final: columns[1 + 2 * i].at(-1), provisional: columns[2 + 2 * i].at(-1) }));
    })()`);
    expect(lastPoints).toEqual(top.map((a) => ({ final: null, provisional: EXPECTED.provisional[a.ad_id] ?? 0 })));
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);

    await mkdir(path.join(fx.config.repoRoot, 'test-artifacts'), { recursive: true });
    const artifact = path.join(fx.config.repoRoot, 'test-artifacts', 'dashboard.png');
    await page.screenshot({ path: artifact, fullPage: true });
  });

  it('shows a new click within the freshness bound, its own refresh included', async () => {
    await page.goto(`${origin}/?key=${encodeURIComponent(fx.keys.all)}`);
    await page.waitForFunction(() => Number(document.body.dataset.refreshes ?? 0) >= 1, undefined, { timeout: 20_000 });
    const before = num((await page.locator('#total-clicks').textContent()) ?? '');
    const id = `fresh-${Date.now()}`;
    await fx.postClicks([{ click_id: id, ad_id: 'ad-alpha', user_id: `u-${id}`, ts: Date.now(), user_agent: BROWSER }]);
    const acceptedAt = Date.now();
    // Wait past the bound, so that a slow page fails with the time it took rather than a timeout.
    await page.waitForFunction(
      (want) => Number((document.getElementById('total-clicks')?.textContent ?? '').replace(/,/g, '')) >= want,
      before + 1,
      { timeout: 3 * FRESHNESS_MS, polling: 50 },
    );
    expect(Date.now() - acceptedAt).toBeLessThan(FRESHNESS_MS);
    expect(await page.locator('#status').textContent()).toContain('every 1 s');
  });

  it('serves five dashboards on one key for a while with no 429, one request per refresh', async () => {
    const statuses: number[] = [];
    const onResponse = (res: Response) => {
      if (new URL(res.url()).pathname.startsWith('/v1/')) statuses.push(res.status());
    };
    context.on('response', onResponse);
    const pages = await Promise.all([1, 2, 3, 4, 5].map(() => context.newPage()));
    try {
      await Promise.all(pages.map((p) => p.goto(`${origin}/#key=${encodeURIComponent(fx.keys.all)}`)));
      // About 10 s of five pages refreshing each second: far past the key's burst if a refresh cost more.
      const REFRESHES = 10;
      for (const p of pages)
        await p.waitForFunction((n) => Number(document.body.dataset.refreshes ?? 0) >= n, REFRESHES, {
          timeout: 60_000,
        });
      expect(statuses.filter((s) => s !== 200)).toEqual([]);
      // One request per refresh, read in one go inside each page: the API requests it made (its
      // resource timing) against its refreshes; one more may be in flight.
      for (const p of pages) {
        const { requests, refreshes } = await p.evaluate(() => ({
          requests: performance.getEntriesByType('resource').filter((e) => new URL(e.name).pathname.startsWith('/v1/'))
            .length,
          refreshes: Number(document.body.dataset.refreshes),
        }));
        expect(requests - refreshes).toBeGreaterThanOrEqual(0);
        expect(requests - refreshes).toBeLessThanOrEqual(1);
      }
    } finally {
      context.off('response', onResponse);
      await Promise.all(pages.map((p) => p.close()));
    }
  });

  it('waits out a Retry-After before asking again', async () => {
    const fresh = await context.newPage();
    const asked: number[] = [];
    await fresh.route('**/v1/overview?*', async (route) => {
      asked.push(Date.now());
      if (asked.length === 1)
        await route.fulfill({
          status: 429,
          headers: { 'retry-after': '3', 'content-type': 'application/json' },
          body: JSON.stringify({ error: 'too many requests for this API key; retry after 3 s' }),
        });
      else await route.continue();
    });
    await fresh.goto(`${origin}/#key=${encodeURIComponent(fx.keys.all)}`);
    await fresh.waitForFunction(() => document.getElementById('status')?.textContent?.includes('429'), undefined, {
      timeout: 20_000,
    });
    expect(await fresh.locator('#status').textContent()).toContain('retrying in 3 s');
    await fresh.waitForFunction(() => Number(document.body.dataset.refreshes ?? 0) >= 1, undefined, {
      timeout: 20_000,
    });
    expect(asked[1]! - asked[0]!).toBeGreaterThanOrEqual(3000);
    await fresh.close();
  });

  it('asks for a key when it has none, and says why a bad key fails', async () => {
    const fresh = await context.newPage();
    await fresh.goto(`${origin}/?key=not-a-key&x=1#key=not-a-key`);
    await fresh.waitForFunction(() => document.getElementById('status')?.classList.contains('error'), undefined, {
      timeout: 20_000,
    });
    expect(await fresh.locator('#status').textContent()).toContain('401');
    expect(fresh.url()).toBe(`${origin}/?x=1`); // an old ?key= link loses its key too
    await fresh.close();
  });

  it('renders /docs under the same Content-Security-Policy, with nothing blocked', async () => {
    const docs = await context.newPage();
    const blocked: string[] = [];
    docs.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) blocked.push(msg.text());
    });
    const res = await docs.goto(`${origin}/docs`);
    expect(res?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await docs.waitForSelector('.swagger-ui .info .title', { timeout: 20_000 });
    expect(await docs.locator('.swagger-ui .info .title').textContent()).toContain('Tollbooth stats API');
    expect(blocked).toEqual([]);
    await docs.close();
  });
});
