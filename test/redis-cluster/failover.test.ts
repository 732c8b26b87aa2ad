/**
 * ClusterVerdictStore through the failures WAIT is for, on a real 6-node cluster: a master
 * killed (SIGKILL) after a batch was decided loses nothing of it once its replica is promoted,
 * and comes back with an empty folder as a replica; a replica that stops acknowledging makes
 * decide() throw ReplicaNotAcknowledged, and the resend after it heals gets the same verdicts.
 */
import { describe, expect, it } from 'vitest';
import { ClusterUnavailable, ReplicaNotAcknowledged } from '../../src/dedup/cluster-calls.ts';
import { decideVerdicts } from '../../src/dedup/decide.ts';
import { anonLimiter } from '../../src/dedup/address.ts';
import { MemoryVerdictStore } from '../../src/dedup/memory-store.ts';
import type { Decision } from '../../src/dedup/store.ts';
import type { Click } from '../../src/shared/click.ts';
import {
  biggestMaster,
  cli,
  clusterNodes,
  killMasterAndFailover,
  nodeAt,
  rejoinEmptyAsReplica,
  replicaOf,
  signalNode,
  until,
} from '../helpers/redis-cluster.ts';
import { clusterStore, useTestCluster } from './cluster-model.ts';

const MINUTE = 60_000;
const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';
const arrival = {
  windowMs: MINUTE,
  receivedAt: T0 + 1000,
  addressLimit: anonLimiter({ perAddressAd: 5, perAddress: 30, natRanges: [] }),
};
const t = useTestCluster();

/** 200 users over many slots, each with clicks that are accepted, duplicate and rate limited. */
function batch(tag: string): Click[] {
  const clicks: Click[] = [];
  for (let u = 0; u < 200; u++) {
    for (let a = 0; a < (u % 4) + 3; a++) {
      const ad = a === 1 ? 'ad0' : `ad${a}`; // the second click of each user is a duplicate
      clicks.push({
        click_id: `${tag}-${u}-${a}`,
        ad_id: ad,
        user_id: `user-${u}`,
        ts: T0 + a * 1000,
        client_ts: T0 + a * 1000,
        ip: '10.1.0.1',
        user_agent: BROWSER,
        campaign_id: null,
        sender: u % 10 === 0 ? null : 'server-a',
      });
    }
  }
  return clicks;
}

const firstVerdicts = (ds: Decision[]) => ds.map(({ verdict, ts, produce }) => ({ verdict, ts, produce }));

describe('failover', () => {
  it('a killed master forgets no verdict and no claim once its replica is promoted; it rejoins empty as a replica', async () => {
    const cluster = t.cluster!;
    const store = clusterStore(t.client!);
    const clicks = batch('f');
    const first = await decideVerdicts(store, clicks, arrival);
    expect(new Set(first.map((d) => d.verdict))).toEqual(new Set(['accepted', 'duplicate', 'rate_limited']));

    const master = await biggestMaster(cluster);
    // While the master is down and not yet replaced, a batch gets 503 within the deadline.
    const hurried = clusterStore(t.client!, { deadlineMs: 500 });
    const promoted = await killMasterAndFailover(cluster, master, async () => {
      const started = Date.now();
      await expect(decideVerdicts(hurried, batch('outage'), arrival)).rejects.toBeInstanceOf(ClusterUnavailable);
      // The deadline, plus at most one command timeout (2 s) of a call already sent.
      expect(Date.now() - started).toBeLessThan(3000);
    });
    const kept = await cli(cluster.password, ['-p', String(promoted.port), 'DBSIZE']);
    expect(Number(kept)).toBeGreaterThan(0);

    // Every click gets its first verdict and first ts (resent: produced again, not yet acknowledged).
    expect(firstVerdicts(await decideVerdicts(store, clicks, arrival))).toEqual(firstVerdicts(first));
    // Until a replica is attached to it, the promoted master cannot acknowledge new writes: 503.
    const others = (tag: string) =>
      clicks
        .filter((_, i) => first[i]?.verdict === 'accepted')
        .map((c) => ({ ...c, click_id: `${c.click_id}-${tag}` }));
    await expect(decideVerdicts(store, others('early'), arrival)).rejects.toBeInstanceOf(ReplicaNotAcknowledged);

    const rejoined = await rejoinEmptyAsReplica(cluster, master.port);
    expect(rejoined.flags).toContain('slave');
    expect(rejoined.masterId).toBe(promoted.id);
    // Every (user, ad, minute) claim is still there: another click on an accepted one's is a duplicate.
    const again = others('again');
    expect((await decideVerdicts(store, again, arrival)).map((d) => d.verdict)).toEqual(again.map(() => 'duplicate'));
    const info = await cli(cluster.password, ['-p', String(master.port), 'INFO', 'replication']);
    expect(info).toContain('master_link_status:up');
    await until('the rejoined replica holds the data', async () => {
      const keys = await cli(cluster.password, ['-p', String(master.port), 'DBSIZE']);
      return Number(keys) === Number(await cli(cluster.password, ['-p', String(promoted.port), 'DBSIZE']));
    });
  });

  it('throws ReplicaNotAcknowledged when a replica stops acknowledging, and the resend after it heals gets the same verdicts', async () => {
    const cluster = t.cluster!;
    const store = clusterStore(t.client!, { waitTimeoutMs: 300 });
    const clicks = batch('w');
    const masters = (await clusterNodes(cluster)).filter((e) => e.flags.includes('master') && e.slots > 0);
    const replica = nodeAt(cluster, (await replicaOf(cluster, masters[0]!.id)).port);
    await signalNode(replica, 'SIGSTOP');
    try {
      await expect(decideVerdicts(store, clicks, arrival)).rejects.toBeInstanceOf(ReplicaNotAcknowledged);
    } finally {
      await signalNode(replica, 'SIGCONT');
    }
    await until('the replica acknowledging again', async () => {
      const info = await cli(cluster.password, ['-p', String(replica.port), 'INFO', 'replication']);
      return info.includes('master_link_status:up');
    });
    const expected = await decideVerdicts(new MemoryVerdictStore({ ratePerWindow: 5 }), clicks, arrival);
    const resent = await decideVerdicts(store, clicks, arrival);
    expect(firstVerdicts(resent)).toEqual(firstVerdicts(expected));
  });

  it('a batch cut by the death of a master completes after the failover with the verdicts one decision gives', async () => {
    const cluster = t.cluster!;
    const store = clusterStore(t.client!);
    // Ten resends of each click: ten waves, so the kill lands in the middle of the decision.
    const once = batch('cut');
    const clicks = Array.from({ length: 10 }, () => once).flat();
    const master = await biggestMaster(cluster);
    // Its rejection is taken at once: it comes while the failover is awaited.
    const deciding = decideVerdicts(store, clicks, arrival).then(
      () => null,
      (err: unknown) => err,
    );
    await new Promise((r) => setTimeout(r, 50));
    await killMasterAndFailover(cluster, master);
    expect(await deciding).toBeInstanceOf(Error);
    await rejoinEmptyAsReplica(cluster, master.port);
    const expected = await decideVerdicts(new MemoryVerdictStore({ ratePerWindow: 5 }), clicks, arrival);
    expect(firstVerdicts(await decideVerdicts(store, clicks, arrival))).toEqual(firstVerdicts(expected));
  });
});
