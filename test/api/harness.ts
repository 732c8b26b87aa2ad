/**
 * A stats API over a whole test pipeline: the pipeline's topics, ClickHouse database and Flink
 * job (2-second windows), an ingest on the same topics with heartbeats (wall-clock event time, so
 * windows close within seconds), and the API app on the read-only user with a temp keys file.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect, vi } from 'vitest';
import { buildApp } from '../../src/api/app.ts';
import { cachedKeyVerifier, addKey } from '../../src/api/auth/keys-file.ts';
import type { Scope } from '../../src/api/auth/scope.ts';
import { ApiMetrics } from '../../src/api/metrics.ts';
import { CLIENT_TIMEOUT_MS, clickhouseStats } from '../../src/api/queries/clickhouse-stats.ts';
import type { StatsStore } from '../../src/api/queries/stats-store.ts';
import { startHeartbeats, type Heartbeats } from '../../src/ingest/heartbeats.ts';
import { createClickHouse } from '../../src/shared/clickhouse.ts';
import type { Config } from '../../src/shared/config.ts';
import { logger } from '../../src/shared/logger.ts';
import { partitionsOf } from '../../src/shared/topics.ts';
import { BROWSER, cleanUp, startTestIngest, testEnv, type TestIngest } from '../ingest/harness.ts';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline.ts';
import { setTimeout as sleep } from 'node:timers/promises';

/** Small windows and checkpoints so that counts become final within seconds. */
export const FAST_PIPELINE = {
  TOLLBOOTH_WINDOW_SECONDS: '2',
  TOLLBOOTH_GRACE_MS: '500',
  TOLLBOOTH_CHECKPOINT_INTERVAL_MS: '1000',
};

export interface ApiStack {
  pipeline: TestPipeline;
  ingest: TestIngest;
  api: FastifyInstance;
  store: StatsStore;
  /** Every SQL text the API sent to ClickHouse. */
  sentSql(): string[];
  /** Keys by name, created in the temp keys file. */
  keys: Record<string, string>;
  keysFile: string;
  close(): Promise<void>;
}

const quiet = logger.child({ component: 'api-test' }, { level: 'warn' });

export async function startApiStack(area: string, scopes: Record<string, Scope>): Promise<ApiStack> {
  const pipeline = await startTestPipeline(area, FAST_PIPELINE);
  const ingest = await startTestIngest(
    await testEnv(area, { ...FAST_PIPELINE, TOLLBOOTH_TOPIC_PREFIX: pipeline.config.kafka.topicPrefix }),
  );
  const heartbeats = beat(ingest);
  const keysDir = await mkdtemp(path.join(tmpdir(), 'tollbooth-api-keys-'));
  const config: Config = {
    ...pipeline.config,
    api: { ...pipeline.config.api, keysFile: path.join(keysDir, 'api-keys.json') },
  };
  const keys: Record<string, string> = {};
  for (const [name, scope] of Object.entries(scopes)) keys[name] = (await addKey(config.api.keysFile, scope, name)).key;

  const clickhouse: ClickHouseClient = createClickHouse(config, { role: 'api', requestTimeoutMs: CLIENT_TIMEOUT_MS });
  const querySpy = vi.spyOn(clickhouse, 'query');
  const metrics = new ApiMetrics();
  const store = clickhouseStats(
    clickhouse,
    { database: config.clickhouse.database, windowSeconds: config.pipeline.windowSeconds },
    metrics,
  );
  const api = buildApp({
    store,
    metrics,
    verifyKey: cachedKeyVerifier(config.api.keysFile),
    log: quiet,
    rateLimits: config.api.rateLimits,
  });
  await api.ready();

  const close = async (): Promise<void> => {
    await api.close();
    await clickhouse.close();
    await heartbeats.stop();
    await ingest.close();
    await pipeline.close();
    await cleanUp(ingest.config);
    await rm(keysDir, { recursive: true, force: true });
  };
  return {
    pipeline,
    ingest,
    api,
    store,
    keys,
    keysFile: config.api.keysFile,
    close,
    sentSql: () => querySpy.mock.calls.map(([params]) => params.query),
  };
}

function beat(ingest: TestIngest): Heartbeats {
  const { runtime } = ingest;
  return startHeartbeats({
    producer: runtime.producer,
    topics: runtime.pipeline.topics,
    intervalMs: ingest.config.ingest.heartbeatIntervalMs,
    partitions: async () => partitionsOf(await runtime.admin(), runtime.pipeline.topics.clicks),
    now: Date.now,
    log: quiet,
  });
}

export interface SentClick {
  click_id: string;
  ad_id: string;
  user_id: string;
  ts: number;
  campaign_id?: string;
  user_agent?: string;
  ip?: string;
}

export interface IngestResult {
  accepted: number;
  results: { click_id: string | null; status: string }[];
}

let seq = 0;
/** A click from a browser; override what a test needs. */
export function click(over: Partial<SentClick> & { ad_id: string; ts: number }): SentClick {
  const n = `${Date.now().toString(36)}-${++seq}`;
  return { click_id: `c-${n}`, user_id: `u-${n}`, user_agent: BROWSER, ip: '10.1.0.1', ...over };
}

/** Posts clicks through the ingest as a server with an ingest key (so ip and campaign_id count); returns the verdict of each. */
export async function send(stack: ApiStack, clicks: SentClick[]): Promise<IngestResult> {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${stack.ingest.ingestKey}` };
  const res = await stack.ingest.app.inject({
    method: 'POST',
    url: '/v1/clicks',
    headers,
    payload: JSON.stringify(clicks),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as IngestResult;
}

/** Accepted clicks per ad. */
export function acceptedByAd(clicks: SentClick[], result: IngestResult): Map<string, number> {
  const counts = new Map<string, number>();
  clicks.forEach((c, i) => {
    if (result.results[i]?.status === 'accepted') counts.set(c.ad_id, (counts.get(c.ad_id) ?? 0) + 1);
  });
  return counts;
}

export function get(stack: ApiStack, url: string, key?: string): Promise<LightMyRequestResponse> {
  return stack.api.inject({ method: 'GET', url, headers: key === undefined ? {} : { authorization: `Bearer ${key}` } });
}

/** The final watermark (epoch ms): the latest window_end the Flink job has closed. */
export async function finalWatermark(stack: ApiStack): Promise<number> {
  const db = stack.pipeline.config.clickhouse.database;
  const [row] = await stack.pipeline.rows<{ wm: string }>(
    `SELECT toUnixTimestamp(max(window_end)) AS wm FROM ${db}.windows_closed`,
  );
  return Number(row?.wm ?? 0) * 1000;
}

/**
 * The (ad, campaign) pairs that campaign scopes are decided from (`ad_campaigns`), as `ad:campaign`
 * (campaign '' for clicks naming none). They come from the job's partial counts: when the job
 * lags, a window's final count can be published a checkpoint before them, so a test that reads
 * scopes waits for these rows, not for the counts.
 */
export async function campaignPairs(stack: ApiStack): Promise<Set<string>> {
  const db = stack.pipeline.config.clickhouse.database;
  const rows = await stack.pipeline.rows<{ ad_id: string; campaign_id: string }>(
    `SELECT ad_id, campaign_id FROM ${db}.ad_campaigns`,
  );
  return new Set(rows.map((r) => `${r.ad_id}:${r.campaign_id}`));
}

/**
 * Event time for on-time clicks: now, plus a second so that a slow ingest on a busy machine cannot
 * make them late (heartbeats move the watermark to wall-clock time minus the 500 ms grace). If
 * less than 15 s of the UTC minute remain, waits for the next minute, so the minute bucket is
 * still provisional when the test first reads it.
 */
export async function onTimeTs(): Promise<number> {
  // The ingest stores min(ts, receive time): now and now + 1 s must share a minute, with room
  // for the test, or the clicks land in the minute before the one the test expects.
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 16_000) await sleep(left + 100);
  return Date.now() + 1000;
}
