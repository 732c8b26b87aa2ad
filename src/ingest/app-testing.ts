/**
 * The ingest app over in-memory dependencies, for the unit tests of its HTTP contract. Nothing
 * happens at import, and nothing reads or writes a stack folder: the config's secrets are made
 * in memory and its stack folder is a path that is never created.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { loadConfig, type Config } from '../shared/config.ts';
import { logger } from '../shared/logger.ts';
import { topicNames, type OutgoingRecord } from '../shared/messages.ts';
import { anonLimiter } from '../dedup/address.ts';
import { MemoryVerdictStore } from '../dedup/memory-store.ts';
import type { KeyIdentity } from '../api/auth/keys.ts';
import { buildApp } from './app.ts';
import { InFlight } from './in-flight.ts';
import { LinkClicks } from './link-clicks.ts';
import { IngestMetrics } from './metrics.ts';
import type { RecordProducer } from './producer.ts';
import { Spool } from './spool.ts';
import { WrittenMarks } from './written-marks.ts';

export class MemoryProducer implements RecordProducer {
  records: OutgoingRecord[] = [];
  down = false;
  async send(records: readonly OutgoingRecord[]): Promise<void> {
    if (this.down) throw new Error('broker down');
    this.records.push(...records);
  }
}

export const NOW = Date.UTC(2025, 0, 1, 12, 0, 30);
export const BROWSER =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';
const KEYS: Record<string, KeyIdentity> = {
  tb_ingest: { name: 'ingest', scope: { kind: 'ingest' } },
  tb_stats: { name: 'stats', scope: { kind: 'all' } },
};
const secret = () => randomBytes(24).toString('base64url');

/** A config for the in-memory app: every secret given, so loadConfig generates none into a folder. */
export function appConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    TOLLBOOTH_STACK_DIR: path.join(tmpdir(), `tb-unit-no-stack-${randomBytes(4).toString('hex')}`),
    TOLLBOOTH_CLICKHOUSE_READER_PASSWORD: secret(),
    TOLLBOOTH_CLICKHOUSE_API_PASSWORD: secret(),
    TOLLBOOTH_CLICKHOUSE_WRITER_PASSWORD: secret(),
    TOLLBOOTH_CLICKHOUSE_DEFAULT_PASSWORD: secret(),
    TOLLBOOTH_REDIS_PASSWORD: secret(),
    TOLLBOOTH_LINK_SECRETS: `k1:${secret()}`,
    TOLLBOOTH_LINK_USER_SECRET: secret(),
    // Small limits, so the tests of the limits stay small.
    TOLLBOOTH_MAX_CLICKS_PER_REQUEST: '100',
    TOLLBOOTH_MAX_BODY_BYTES: '65536',
    ...env,
  });
}

const dirs: string[] = [];
afterEach(async () => Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true }))));

export async function setup(config: Config) {
  const dir = await mkdtemp(path.join(tmpdir(), 'tb-app-'));
  dirs.push(dir);
  const sink = new MemoryProducer();
  const metrics = new IngestMetrics();
  const store = new MemoryVerdictStore({ ratePerWindow: 5 });
  const inFlight = new InFlight();
  const written = new WrittenMarks(store, metrics, logger);
  const pipeline = {
    store,
    producer: sink,
    topics: topicNames(config),
    metrics,
    inFlight,
    written,
    windowMs: 60_000,
    horizonMs: 3_600_000,
    addressLimit: anonLimiter(config.dedup.anon),
    now: () => NOW,
  };
  const spool = new Spool(dir);
  await spool.open();
  const linkClicks = new LinkClicks(pipeline, spool, logger);
  const lookupKey = async (key: string): Promise<KeyIdentity | undefined> => KEYS[key];
  const app = buildApp({
    config,
    pipeline,
    linkClicks,
    metrics,
    log: logger,
    lookupKey,
    readiness: async () => ({ redis: true, kafka: !sink.down }),
  });
  return { app, sink, spool, linkClicks, store, written, inFlight };
}

export const post = (body: string, type = 'application/json') => ({
  method: 'POST' as const,
  url: '/v1/clicks',
  headers: { 'content-type': type, 'user-agent': BROWSER },
  payload: body,
});
export const click = (id: string, over: Record<string, unknown> = {}) => ({
  click_id: id,
  ad_id: 'ad1',
  user_id: 'u1',
  ts: NOW,
  ...over,
});
