/**
 * Known counts for the stats readers (the psql endpoint and the dashboard): a test pipeline fed
 * through the real ingest with clicks in the last few minutes (closed, final windows and an open,
 * provisional one), rejected clicks (duplicate, bot) and one late click; plus the stats API over
 * that pipeline's database and a keys file with an "all" key and an advertiser key.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.ts';
import { writeKeysFile } from '../../src/api/auth/keys-file.ts';
import { generateKey, hashKey } from '../../src/api/auth/keys.ts';
import { createApiDeps } from '../../src/api/main.ts';
import { toDateTime } from '../../src/shared/clickhouse.ts';
import type { Config } from '../../src/shared/config.ts';
import { topicNames } from '../../src/shared/messages.ts';
import { BROWSER, cleanUp, setUpTopics, startTestIngest, testEnv, type TestIngest } from '../ingest/harness.ts';
import { heartbeat } from '../helpers/ledger.ts';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline.ts';
import { eventually } from '../helpers/prefix.ts';
import { setTimeout as sleep } from 'node:timers/promises';

const MINUTE = 60_000;
const BOT = 'Googlebot/2.1 (+http://www.google.com/bot.html)';

/** What the fixture sent, as the stats API must report it for the last hour. */
export const EXPECTED = {
  top: [
    { ad_id: 'ad-alpha', clicks: 14 },
    { ad_id: 'ad-beta', clicks: 9 },
    { ad_id: 'ad-gamma', clicks: 2 },
  ],
  provisional: { 'ad-alpha': 2, 'ad-beta': 1 } as Record<string, number>,
  rejected: {
    'ad-alpha': { duplicate: 2, rate_limited: 0, bot: 0, blocked: 0 },
    'ad-beta': { duplicate: 0, rate_limited: 0, bot: 1, blocked: 0 },
  },
  late: [{ ad_id: 'ad-beta', late: 1 }],
};

export interface StatsFixture {
  /** The config of the ingest and API: the pipeline's topics and database, the test keys file. */
  config: Config;
  keys: { all: string; advertiser: string };
  api: FastifyInstance;
  pipeline: TestPipeline;
  /** Posts clicks through the fixture's ingest; rejects unless the reply is a 200. */
  postClicks(body: ClickBody[]): Promise<void>;
  close(): Promise<void>;
}

export interface ClickBody {
  click_id: string;
  ad_id: string;
  user_id: string;
  ts: number;
  user_agent: string;
}

/** Accepted clicks per minute, oldest first; the last minute (m0) stays open, so provisional. */
function clicks(m0: number, now: number): ClickBody[] {
  const perMinute: Record<string, number[]> = {
    'ad-alpha': [3, 3, 3, 3, 2],
    'ad-beta': [2, 2, 2, 2, 1],
    'ad-gamma': [0, 1, 0, 1, 0],
  };
  const out: ClickBody[] = [];
  for (const [ad, counts] of Object.entries(perMinute)) {
    counts.forEach((n, i) => {
      const start = m0 - (4 - i) * MINUTE;
      const end = Math.min(start + MINUTE, now);
      for (let k = 0; k < n; k++) {
        const ts = start + Math.floor(((k + 1) * (end - start)) / (n + 1));
        out.push({ click_id: `${ad}-${i}-${k}`, ad_id: ad, user_id: `u-${ad}-${i}-${k}`, ts, user_agent: BROWSER });
      }
    });
  }
  // Rejected: the same user again on the same ad and minute (duplicate, twice), and a crawler.
  const again = out.find((c) => c.ad_id === 'ad-alpha' && c.ts < m0 - 2 * MINUTE);
  if (again) for (const n of [1, 2]) out.push({ ...again, click_id: `${again.click_id}-dup${n}`, ts: again.ts + n });
  out.push({ click_id: 'ad-beta-bot', ad_id: 'ad-beta', user_id: 'crawler', ts: m0 - 3 * MINUTE, user_agent: BOT });
  // In event-time order, as live traffic arrives: an old click sent after a new one would be late.
  return out.sort((a, b) => a.ts - b.ts);
}

async function post(ingest: TestIngest, body: ClickBody[], userAgent = BROWSER): Promise<void> {
  // As an ad server with an ingest key (anonymous callers are limited per address): the body's
  // user agent counts, a browser's or a crawler's.
  const res = await ingest.app.inject({
    method: 'POST',
    url: '/v1/clicks',
    headers: { 'user-agent': userAgent, authorization: `Bearer ${ingest.ingestKey}` },
    payload: body,
  });
  if (res.statusCode !== 200) throw new Error(`ingest answered ${res.statusCode}: ${res.body}`);
}

export async function startStatsFixture(area: string): Promise<StatsFixture> {
  // One-second checkpoints: final counts show up within a couple of seconds.
  const pipeline = await startTestPipeline(area, { TOLLBOOTH_CHECKPOINT_INTERVAL_MS: '1000' });
  const keysDir = await mkdtemp(path.join(tmpdir(), `${area}-keys-`));
  const keysFile = path.join(keysDir, 'api-keys.json');
  const keys = { all: generateKey(), advertiser: generateKey() };
  const created_at = new Date().toISOString();
  await writeKeysFile(keysFile, [
    { name: 'analyst', hash: hashKey(keys.all), scope: { kind: 'all' }, created_at },
    {
      name: 'advertiser',
      hash: hashKey(keys.advertiser),
      scope: { kind: 'ad_prefixes', prefixes: ['ad-alpha'] },
      created_at,
    },
  ]);
  const env = await testEnv(area, {
    TOLLBOOTH_TOPIC_PREFIX: pipeline.config.kafka.topicPrefix,
    TOLLBOOTH_CLICKHOUSE_DATABASE: pipeline.config.clickhouse.database,
    TOLLBOOTH_API_KEYS_FILE: keysFile,
  });
  const ingest = await startTestIngest(env);
  await setUpTopics(ingest.config);
  const deps = createApiDeps(ingest.config);
  const api = buildApp(deps);
  const close = async () => {
    await api.close();
    await deps.close();
    await ingest.close();
    await pipeline.close();
    await cleanUp(ingest.config);
    await rm(keysDir, { recursive: true, force: true });
  };
  try {
    await feed(pipeline, ingest);
  } catch (err) {
    await close();
    throw err;
  }
  return { config: ingest.config, keys, api, pipeline, postClicks: (body) => post(ingest, body), close };
}

async function feed(pipeline: TestPipeline, ingest: TestIngest): Promise<void> {
  let now = Date.now();
  // The watermark (latest event time - grace) must pass m0, so that the minutes before it close.
  const grace = pipeline.config.pipeline.graceMs;
  if (now % MINUTE < grace + 1000) await sleep(grace + 1000 - (now % MINUTE));
  now = Date.now();
  const m0 = Math.floor(now / MINUTE) * MINUTE;
  const all = clicks(m0, now);
  await post(
    ingest,
    all.filter((c) => c.user_agent !== BOT),
  );
  await post(
    ingest,
    all.filter((c) => c.user_agent === BOT),
    BOT,
  );
  // Heartbeats move every partition's watermark to `now`, as the ingest's heartbeat timer would.
  const topic = topicNames(pipeline.config).clicks;
  const partitions = [...Array(pipeline.config.kafka.partitions).keys()];
  await pipeline.producer.send({
    topic,
    messages: partitions.map((partition) => ({ partition, value: JSON.stringify(heartbeat(now)) })),
  });
  const db = pipeline.config.clickhouse.database;
  await eventually(
    async () => {
      const rows = await pipeline.rows<{ n: string }>(
        `SELECT count() AS n FROM ${db}.windows_closed WHERE window_start = '${toDateTime(m0 - MINUTE)}'`,
      );
      return Number(rows[0]?.n) > 0 ? true : undefined;
    },
    150_000,
    'the minute before m0 to close',
  );
  // Behind the watermark now: counted as late, never in a minute's count.
  await post(ingest, [
    {
      click_id: 'ad-beta-late',
      ad_id: 'ad-beta',
      user_id: 'u-late',
      ts: m0 - 3 * MINUTE + 30_000,
      user_agent: BROWSER,
    },
  ]);
  await eventually(
    async () => {
      const rows = await pipeline.rows<{ n: string }>(`SELECT count() AS n FROM ${db}.clicks_late`);
      const raw = await pipeline.rows<{ n: string }>(
        `SELECT sum(clicks) AS n FROM ${db}.ad_clicks_provisional WHERE window_start >= '${toDateTime(m0)}'`,
      );
      if (Number(rows[0]?.n) === 1 && Number(raw[0]?.n) === 3) return true;
      throw new Error(`late clicks: ${rows[0]?.n}, provisional clicks: ${raw[0]?.n}`); // the last one is reported on timeout
    },
    60_000,
    'the late click and the provisional clicks in ClickHouse',
  );
}
