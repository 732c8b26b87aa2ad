/** The ingest app over in-memory dependencies, for the unit tests of its HTTP contract. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { loadConfig } from '../shared/config.ts';
import { logger } from '../shared/logger.ts';
import { topicNames, type OutgoingRecord } from '../shared/messages.ts';
import { anonLimiter } from '../dedup/address.ts';
import { MemoryVerdictStore } from '../dedup/memory-store.ts';
import type { KeyScope } from '../api/auth/scope.ts';
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
const KEYS: Record<string, KeyScope> = { tb_ingest: { kind: 'ingest' }, tb_stats: { kind: 'all' } };
export const config = loadConfig({ TOLLBOOTH_MAX_CLICKS_PER_REQUEST: '100', TOLLBOOTH_MAX_BODY_BYTES: '65536' });
const dirs: string[] = [];
afterEach(async () => Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true }))));

export async function setup(cfg = config) {
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
    maxClicksPerRequest: 100,
    addressLimit: anonLimiter(cfg.dedup.anon),
    now: () => NOW,
  };
  const spool = new Spool(dir);
  await spool.open();
  const linkClicks = new LinkClicks(pipeline, spool, logger);
  const lookupKey = async (key: string) => {
    const scope: KeyScope | undefined = KEYS[key];
    return scope && { name: `sender-of-${key}`, scope };
  };
  const app = buildApp({
    config: cfg,
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
