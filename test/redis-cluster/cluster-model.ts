/**
 * The verdict model's fixtures (src/dedup/rules-testing.ts) over ClusterVerdictStore on the
 * test cluster: a store with the same surface as MemoryVerdictStore (blocklists, campaigns and
 * unscoped memory as plain sets and maps), written to Redis before each decide, so the model's
 * tests run on the cluster unchanged.
 */
import { randomBytes } from 'node:crypto';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { anonLimiter } from '../../src/dedup/address.ts';
import { ClusterVerdictStore, type ClusterStoreOptions } from '../../src/dedup/cluster-store.ts';
import { decideVerdicts } from '../../src/dedup/decide.ts';
import { blocklistKey, campaignsKey, legacyVerdictKey } from '../../src/dedup/keys.ts';
import type { Decision, PendingClick, VerdictStore, WrittenClick } from '../../src/dedup/store.ts';
import type { Click } from '../../src/shared/click.ts';
import type { DecidedVerdict } from '../../src/shared/verdict.ts';
import { startRedisCluster, type TestCluster } from '../helpers/redis-cluster.ts';

const MINUTE = 60_000;
const HORIZON_SECONDS = 3600;

export const testCluster: { cluster: TestCluster | null; client: Cluster | null } = { cluster: null, client: null };

export function clusterClient(cluster: TestCluster): Cluster {
  return new Cluster(
    cluster.nodes.map((n) => ({ host: '127.0.0.1', port: n.port })),
    {
      redisOptions: { password: cluster.password, connectTimeout: 1000, commandTimeout: 3000, maxRetriesPerRequest: 1 },
    },
  );
}

/** Starts the test cluster for this file and stops it after. */
export function useTestCluster(): typeof testCluster {
  beforeAll(async () => {
    testCluster.cluster = await startRedisCluster();
    testCluster.client = clusterClient(testCluster.cluster);
  });
  afterAll(async () => {
    testCluster.client?.disconnect();
    await testCluster.cluster?.stop();
  });
  return testCluster;
}

export const prefix = () => `tbtest:cluster:${randomBytes(4).toString('hex')}:`;

export function clusterStore(client: Cluster, over: Partial<ClusterStoreOptions> = {}): ClusterVerdictStore {
  return new ClusterVerdictStore(client, {
    keyPrefix: prefix(),
    horizonSeconds: HORIZON_SECONDS,
    windowMs: MINUTE,
    ratePerWindow: 5,
    waitReplicas: 1,
    // Generous: a loaded test machine's replicas lag; tests of the timeout set their own.
    waitTimeoutMs: 1500,
    ...over,
  });
}

interface Memory {
  verdict: DecidedVerdict;
  ts: number;
  content: string;
  acked: boolean;
}

/** ClusterVerdictStore with MemoryVerdictStore's public sets and maps, synced before each decide. */
export class ClusterModelStore implements VerdictStore {
  readonly blockedIps = new Set<string>();
  readonly blockedUsers = new Set<string>();
  readonly campaigns = new Map<string, string>();
  readonly legacy = new Map<string, Memory>();
  readonly keyPrefix = prefix();
  private readonly store: ClusterVerdictStore;

  constructor(private readonly client: Cluster) {
    this.store = clusterStore(client, { keyPrefix: this.keyPrefix });
  }

  async decide(batch: readonly PendingClick[]): Promise<Decision[]> {
    const p = this.keyPrefix;
    const sets: [string, Set<string>][] = [
      [blocklistKey(p, 'ip'), this.blockedIps],
      [blocklistKey(p, 'user'), this.blockedUsers],
    ];
    for (const [key, values] of sets) {
      await this.client.del(key);
      if (values.size > 0) await this.client.sadd(key, ...values);
    }
    await this.client.del(campaignsKey(p));
    if (this.campaigns.size > 0) await this.client.hset(campaignsKey(p), Object.fromEntries(this.campaigns));
    for (const [id, m] of this.legacy) {
      const memory = `${m.acked ? 1 : 0}\n${m.verdict}\n${m.ts}\n${m.content}`;
      await this.client.set(legacyVerdictKey(p, id), memory, 'EX', HORIZON_SECONDS);
    }
    return this.store.decide(batch);
  }

  markWritten(clicks: readonly WrittenClick[]): Promise<void> {
    return this.store.markWritten(clicks);
  }
}

const addressLimit = anonLimiter({
  perAddressAd: 5,
  perAddress: 30,
  natRanges: [{ cidr: '100.64.0.0/10', perAddress: 60 }],
});

/** rules-testing.ts's setup(), over the cluster. */
export function clusterSetup(receivedAt: number | null = null) {
  if (!testCluster.client) throw new Error('useTestCluster() first');
  const store = new ClusterModelStore(testCluster.client);
  const decisions = (clicks: Click[], at = receivedAt) =>
    decideVerdicts(store, clicks, { windowMs: MINUTE, receivedAt: at, addressLimit });
  return {
    store,
    decisions,
    decide: async (clicks: Click[], at = receivedAt) => (await decisions(clicks, at)).map((d) => d.verdict),
  };
}
