/**
 * Exactness, once every minute of the run is final. Every ad's final count (on time plus late)
 * must equal the ledger's accepted clicks for it, and each minute its per-minute count: read in
 * one pass from the read-model views the stats API reads (`ad_clicks_minute`, `ad_late_minute`),
 * because 10,000 API calls take minutes on this machine. Then the API itself, for a sample of
 * ads, must answer the same totals with every bucket final.
 */
import { createClickHouse, sqlIdentifier } from '../../src/shared/clickhouse.ts';
import type { Config } from '../../src/shared/config.ts';
import type { StatsClient } from './stats-client.ts';

// Enough ads to catch an API that disagrees with its views, few enough to read in seconds.
const API_SAMPLE = 200;

export interface Exactness {
  exact: boolean;
  adsWrong: number;
  minutesWrong: number;
  apiAdsRead: number;
  apiWrong: number;
  bucketsNotFinal: number;
  counted: number;
  expected: number;
  late: number;
  examples: string[];
}

type Counts = Map<string, Map<number, number>>;

function add(m: Counts, ad: string, minute: number, n: number): void {
  const byMinute = m.get(ad) ?? new Map<number, number>();
  byMinute.set(minute, (byMinute.get(minute) ?? 0) + n);
  m.set(ad, byMinute);
}

const total = (m: Map<number, number> | undefined) =>
  [...(m ?? new Map<number, number>()).values()].reduce((a, b) => a + b, 0);

async function viewCounts(config: Config): Promise<{ onTime: Counts; late: Map<string, number> }> {
  const db = sqlIdentifier(config.clickhouse.database);
  const clickhouse = createClickHouse(config);
  try {
    const read = async (query: string) =>
      (await (await clickhouse.query({ query, format: 'JSONEachRow' })).json()) as Array<{
        ad_id: string;
        m: string;
        n: string;
      }>;
    const onTime: Counts = new Map();
    for (const r of await read(
      `SELECT ad_id, toUInt32(toStartOfMinute(window_start)) AS m, sum(clicks) AS n FROM ${db}.ad_clicks_minute GROUP BY ad_id, m`,
    )) {
      add(onTime, r.ad_id, Number(r.m) * 1000, Number(r.n));
    }
    const late = new Map<string, number>();
    for (const r of await read(`SELECT ad_id, 0 AS m, sum(late) AS n FROM ${db}.ad_late_minute GROUP BY ad_id`))
      late.set(r.ad_id, Number(r.n));
    return { onTime, late };
  } finally {
    await clickhouse.close();
  }
}

export async function verifyCounts(
  config: Config,
  stats: StatsClient,
  ledger: Array<[string, number, number]>,
  range: { fromMs: number; toMs: number },
): Promise<Exactness> {
  const expected: Counts = new Map();
  for (const [ad, minute, n] of ledger) add(expected, ad, minute, n);
  const { onTime, late } = await viewCounts(config);
  const out: Exactness = {
    exact: true,
    adsWrong: 0,
    minutesWrong: 0,
    apiAdsRead: 0,
    apiWrong: 0,
    bucketsNotFinal: 0,
    counted: 0,
    expected: 0,
    late: 0,
    examples: [],
  };
  for (const ad of new Set([...expected.keys(), ...onTime.keys(), ...late.keys()])) {
    const want = expected.get(ad);
    const got = onTime.get(ad);
    const lateN = late.get(ad) ?? 0;
    out.expected += total(want);
    out.counted += total(got) + lateN;
    out.late += lateN;
    if (total(got) + lateN !== total(want)) {
      out.adsWrong++;
      if (out.examples.length < 5)
        out.examples.push(`${ad}: ${total(got)} + ${lateN} late counted, ${total(want)} in the ledger`);
    }
    if (lateN === 0) for (const [m, n] of got ?? []) if (n !== (want?.get(m) ?? 0)) out.minutesWrong++;
  }
  // The API on a sample: the most clicked ads of the ledger and the probes' ads at the end of it.
  const byClicks = [...expected.keys()].sort((a, b) => total(expected.get(b)) - total(expected.get(a)));
  const sample = [...byClicks.slice(0, API_SAMPLE / 2), ...byClicks.slice(-API_SAMPLE / 2)];
  for (const ad of new Set(sample)) {
    const answer = await stats.adClicks(ad, range.fromMs, range.toMs);
    out.apiAdsRead++;
    out.bucketsNotFinal += answer.buckets.filter((b) => !b.final).length;
    if (answer.total !== total(onTime.get(ad))) {
      out.apiWrong++;
      if (out.examples.length < 5)
        out.examples.push(`API says ${ad} has ${answer.total}, its view ${total(onTime.get(ad))}`);
    }
  }
  out.exact = out.adsWrong === 0 && out.minutesWrong === 0 && out.apiWrong === 0 && out.bucketsNotFinal === 0;
  return out;
}
