/**
 * The cluster's decisions are the single node's: random sequences of batches (keyed and
 * anonymous senders, resends with the same and with other content, bots, blocklists, campaigns,
 * unscoped memory, acknowledgements, tight limits so every rule fires) decided by
 * RedisVerdictStore (verdicts.lua on one redis-server) and by ClusterVerdictStore on the test
 * cluster must give equal Decision objects, batch after batch. Seeded: a failure names its seed.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../bench/support/random.ts';
import { anonLimiter } from '../../src/dedup/address.ts';
import { decideVerdicts } from '../../src/dedup/decide.ts';
import { blocklistKey, campaignsKey, legacyVerdictKey } from '../../src/dedup/keys.ts';
import { RedisVerdictStore } from '../../src/dedup/redis-store.ts';
import type { WrittenClick } from '../../src/dedup/store.ts';
import type { Click } from '../../src/shared/click.ts';
import { startStandaloneRedis } from '../helpers/redis-cluster.ts';
import { clusterStore, prefix, useTestCluster } from './cluster-model.ts';

const MINUTE = 60_000;
const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';
const cluster = useTestCluster();
let one: Awaited<ReturnType<typeof startStandaloneRedis>>;
let single: Redis;

beforeAll(async () => {
  one = await startStandaloneRedis();
  single = new Redis({ port: one.port, host: '127.0.0.1', password: one.password });
});
afterAll(async () => {
  single?.disconnect();
  await one?.stop();
});

const addressLimit = anonLimiter({ perAddressAd: 1, perAddress: 6, natRanges: [] });

async function compare(seed: number, batches: number): Promise<void> {
  const client = cluster.client;
  if (!client) throw new Error('no cluster');
  const random = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const p = prefix();
  const now = () => T0;
  const limits = { keyPrefix: p, horizonSeconds: 3600, windowMs: MINUTE, ratePerWindow: 3, now };
  const onOne = new RedisVerdictStore(single, limits);
  const onCluster = clusterStore(client, limits);
  // The same global keys and unscoped memories on both.
  for (const r of [single, client] as const) {
    await r.sadd(blocklistKey(p, 'ip'), '10.0.0.66');
    await r.sadd(blocklistKey(p, 'user'), 'mallory');
    await r.hset(campaignsKey(p), 'ad1', 'cmp-owner');
  }
  const seen: Click[] = [];
  let n = 0;
  for (let b = 0; b < batches; b++) {
    const receivedAt = T0 + Math.floor(random() * 2) * MINUTE + 1000;
    const clicks: Click[] = [];
    const size = 1 + Math.floor(random() * (random() < 0.2 ? 40 : 8));
    for (let i = 0; i < size; i++) {
      const old = seen.length > 0 && random() < 0.3 ? pick(seen) : null;
      if (old) {
        clicks.push(random() < 0.7 ? old : { ...old, ad_id: pick(['ad0', 'ad1', 'ad2']) });
        continue;
      }
      const ts = T0 + Math.floor(random() * 2) * MINUTE + Math.floor(random() * 50) * 1000;
      const click: Click = {
        click_id: `c${seed}-${n++}`,
        ad_id: pick(['ad0', 'ad1', 'ad2', 'ad3']),
        user_id: pick(['u0', 'u1', 'u2', 'mallory']),
        ts,
        client_ts: ts,
        ip: pick(['10.0.0.1', '10.0.0.2', '10.0.0.66', '2001:db8::1']),
        user_agent: random() < 0.1 ? 'curl/8.5.0' : BROWSER,
        campaign_id: random() < 0.5 ? null : 'cmp-own',
        sender: pick(['server-a', 'server-b', null, null]),
      };
      if (random() < 0.05) {
        const memory = `${random() < 0.5 ? 1 : 0}\naccepted\n${ts}\n${click.ad_id}\n${click.user_id}\n${ts}`;
        for (const r of [single, client] as const) await r.set(legacyVerdictKey(p, click.click_id), memory, 'EX', 3600);
      }
      clicks.push(click);
      seen.push(click);
    }
    const arrival = { windowMs: MINUTE, receivedAt, addressLimit };
    const expected = await decideVerdicts(onOne, clicks, arrival);
    const actual = await decideVerdicts(onCluster, clicks, arrival);
    expect(actual, `seed ${seed}, batch ${b}`).toEqual(expected);
    const acked: WrittenClick[] = clicks
      .filter(() => random() < 0.5)
      .map((c) => ({ sender: c.sender, clickId: c.click_id }));
    await onOne.markWritten(acked);
    await onCluster.markWritten(acked);
  }
}

describe('ClusterVerdictStore against verdicts.lua on one node', () => {
  it.each(Array.from({ length: 24 }, (_, i) => i + 1))(
    'decides as one node does, batch after batch (seed %i)',
    async (seed) => {
      await compare(seed, 40);
    },
  );
});
