/**
 * docker-compose.yml, run for real from the images `tollbooth images build` makes: a batch of
 * clicks is counted exactly and final (stats API and psql); a container whose process is
 * SIGKILLed mid-stream is restarted by its policy and nothing is lost or counted twice; `down`
 * then `up` keeps every count (named volumes). 2 s windows, as the host fault tests use.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/prefix.ts';
import { psql } from '../pg/psql.ts';
import { runLoad, type LoadResult } from '../faults/load.ts';
import { composeRun, type ComposeRun } from './compose.ts';

let run: ComposeRun;
let allKey: string;
let ingestKey: string;
/** Every click_id's first verdict and its ad, over all the loads of this file. */
const ledger = new Map<string, string>();

const lastLine = (out: string) => out.trim().split('\n').at(-1) ?? '';

beforeAll(async () => {
  run = await composeRun('compose', { TOLLBOOTH_WINDOW_SECONDS: '2', TOLLBOOTH_GRACE_MS: '500' });
  await run.compose('up', '-d');
  allKey = lastLine(await run.cli('keys', 'create', '--scope', 'all', '--name', 'reader'));
  ingestKey = lastLine(await run.cli('keys', 'create', '--scope', 'ingest', '--name', 'server'));
  expect(allKey).toMatch(/^tb_/);
  await eventually(async () => ((await fetch(`${run.ingestUrl}/readyz`)).ok ? true : undefined), 120_000, 'ingest');
});
afterAll(async () => {
  await run?.compose('down', '-v', '--remove-orphans');
});

/** What the ledger says each ad must count: its accepted clicks, on time or late. */
function expectedPerAd(): Map<string, number> {
  const want = new Map<string, number>();
  for (const [, ad] of [...ledger].filter(([id]) => accepted.has(id))) want.set(ad, (want.get(ad) ?? 0) + 1);
  return want;
}
const accepted = new Set<string>();

function record(load: LoadResult): void {
  expect(load.conflicts).toEqual([]);
  for (const [id, verdict] of load.verdicts) {
    const click = load.clicks.get(id);
    if (click === undefined || ledger.has(id)) continue;
    ledger.set(id, click.ad_id);
    if (verdict === 'accepted') accepted.add(id);
  }
}

/** Final counts per ad through psql: closed windows plus the late output, once every window closed. */
async function countedPerAd(through: number): Promise<Map<string, number> | undefined> {
  const target = { ...run.pg, database: 'tollbooth', password: allKey };
  const closed = await psql(target, { sql: 'SELECT toUnixTimestamp(max(window_end)) FROM windows_closed' });
  const closedThrough = Number(closed.stdout.trim()) * 1000;
  // Thrown, not undefined: a timeout then says how far the windows got.
  if (!(closedThrough > through))
    throw new Error(`windows closed through ${closedThrough} (${closed.stderr.trim()}), load ended ${through}`);
  const sql = `SELECT ad_id, sum(n) FROM (
      SELECT ad_id, sum(clicks) AS n FROM ad_clicks_minute GROUP BY ad_id
      UNION ALL SELECT ad_id, count() AS n FROM clicks_late GROUP BY ad_id) GROUP BY ad_id`;
  const rows = (await psql(target, { sql })).stdout.trim().split('\n').filter(Boolean);
  return new Map(rows.map((r) => [r.split(',')[0] ?? '', Number(r.split(',')[1])]));
}

async function expectExact(through: number): Promise<{ over: number; under: number }> {
  const want = expectedPerAd();
  const got = await eventually(
    async () => {
      const counted = await countedPerAd(through);
      if (counted === undefined) return undefined;
      const same = [...want].every(([ad, n]) => counted.get(ad) === n);
      return same || Date.now() > through + 60_000 ? counted : undefined;
    },
    180_000,
    'final counts',
  );
  let over = 0;
  let under = 0;
  for (const ad of new Set([...want.keys(), ...got.keys()])) {
    const d = (got.get(ad) ?? 0) - (want.get(ad) ?? 0);
    if (d > 0) over += d;
    else under -= d;
  }
  return { over, under };
}

async function load(seconds: number, seed: number, onFault: () => Promise<void> = async () => {}) {
  const result = await runLoad({
    url: `${run.ingestUrl}/v1/clicks`,
    ingestKey,
    ratePerSecond: 40,
    seconds,
    seed,
    runId: `r${seed}`,
    faultAtSeconds: Math.min(4, seconds / 2),
    onFault,
  });
  record(result);
  return result;
}

describe('docker compose up', () => {
  it('counts a batch exactly and final, through the stats API and psql', async () => {
    const result = await load(6, 1);
    expect(accepted.size).toBeGreaterThan(100);
    expect(await expectExact(result.endedAt)).toEqual({ over: 0, under: 0 });
    // The stats API agrees (on time and late), and says final once the minute has passed.
    const [ad, n] = [...expectedPerAd()][0] ?? ['', 0];
    const range = `from=${result.faultAt - 3_600_000}&to=${result.endedAt}`;
    type Counts = { total: number; late_total: number; buckets: { final: boolean }[] };
    const body = await eventually(
      async () => {
        const res = await fetch(`${run.apiUrl}/v1/ads/${ad}/clicks?${range}`, {
          headers: { authorization: `Bearer ${allKey}` },
        });
        const counts = (await res.json()) as Counts;
        return counts.buckets.every((b) => b.final) ? counts : undefined;
      },
      120_000,
      'the minute final in the stats API',
    );
    expect(body.total + body.late_total).toBe(n);
  });
});

const FAULTS = ['kafka', 'taskmanager', 'jobmanager', 'clickhouse', 'ingest'];

describe('a container killed mid-stream (SIGKILL of its process)', () => {
  it.each(FAULTS)('%s: restarted by its policy, counts exact', async (svc) => {
    const before = await run.restarts(svc);
    let killedAt = 0;
    const kill = async () => {
      killedAt = Date.now();
      await run.kill(svc);
    };
    const result = await load(12, 10 + FAULTS.indexOf(svc), kill);
    await eventually(async () => ((await run.restarts(svc)) > before ? true : undefined), 60_000, `${svc} restarted`);
    await eventually(async () => ((await run.healthy(svc)) ? true : undefined), 180_000, `${svc} healthy`);
    const healed = ((Date.now() - killedAt) / 1000).toFixed(1);
    const { over, under } = await expectExact(result.endedAt);
    const sent = [...result.verdicts.values()].filter((v) => v === 'accepted').length;
    console.log(
      `CONTAINER FAULT ${svc}: accepted ${sent}, over ${over}, under ${under}, healthy ${healed} s after the kill`,
    );
    expect({ over, under }).toEqual({ over: 0, under: 0 });
  });
});

describe('docker compose down, then up', () => {
  it('keeps every count (named volumes)', async () => {
    const want = expectedPerAd();
    await run.compose('down');
    await run.compose('up', '-d');
    const got = await eventually(() => countedPerAd(0), 300_000, 'counts after up');
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(want));
    // And the pipeline runs again: the job came back from its checkpoint and counts new clicks.
    await eventually(async () => ((await fetch(`${run.ingestUrl}/readyz`)).ok ? true : undefined), 120_000, 'ingest');
    const more = await load(6, 99);
    expect(await expectExact(more.endedAt)).toEqual({ over: 0, under: 0 });
  });
});
