/**
 * Failover on the test cluster (redis-cluster.ts): which master owns the most slots, waiting for
 * a replica's promotion, and bringing a lost node back with an EMPTY folder as a replica:
 *
 *   redis-cli -p <each live node> CLUSTER FORGET <old id>      (drop the dead node's entry)
 *   redis-server ... --port <port> --dir <empty folder>         (same flags as the others)
 *   redis-cli --cluster add-node 127.0.0.1:<port> 127.0.0.1:<any live node> \
 *     --cluster-slave --cluster-master-id <id of the master that has no replica>
 *
 * (REDISCLI_AUTH=<password> in the environment, never -a on the command line.)
 */
import { rmSync } from 'node:fs';
import { cli, clusterOk, signalNode, startNode, until, type ClusterNode, type TestCluster } from './redis-cluster.ts';

export interface NodeEntry {
  id: string;
  port: number;
  flags: string[];
  masterId: string | null;
  slots: number;
}

/** CLUSTER NODES as a live node sees it. */
export async function clusterNodes(cluster: TestCluster): Promise<NodeEntry[]> {
  const live = cluster.nodes.find((n) => n.proc);
  if (!live) throw new Error('no live node');
  const text = await cli(cluster.password, ['-p', String(live.port), 'CLUSTER', 'NODES'], 2000);
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const [id = '', address = '', flags = '', master = '-', , , , , ...ranges] = line.trim().split(' ');
      const slots = ranges
        .filter((r) => !r.startsWith('['))
        .reduce((sum, r) => {
          const [a = '0', b = a] = r.split('-');
          return sum + Number(b) - Number(a) + 1;
        }, 0);
      const port = Number(address.split('@')[0]?.split(':')[1]);
      return { id, port, flags: flags.split(','), masterId: master === '-' ? null : master, slots };
    });
}

export function nodeAt(cluster: TestCluster, port: number): ClusterNode {
  const node = cluster.nodes.find((n) => n.port === port);
  if (!node) throw new Error(`no node on port ${port}`);
  return node;
}

const isMaster = (e: NodeEntry) => e.flags.includes('master') && !e.flags.includes('fail');

/** The live master that owns the most slots. */
export async function biggestMaster(cluster: TestCluster): Promise<NodeEntry> {
  const masters = (await clusterNodes(cluster)).filter(isMaster).sort((a, b) => b.slots - a.slots);
  if (!masters[0]) throw new Error('no master');
  return masters[0];
}

/** The replica of a master (its only one on the test cluster). */
export async function replicaOf(cluster: TestCluster, masterId: string): Promise<NodeEntry> {
  const replica = (await clusterNodes(cluster)).find((e) => e.masterId === masterId && !e.flags.includes('fail'));
  if (!replica) throw new Error(`master ${masterId} has no live replica`);
  return replica;
}

/**
 * SIGKILLs a master and waits until its replica is promoted and the cluster is ok again;
 * `meanwhile` runs right after the kill, before the promotion (the node timeout is 2 s).
 */
export async function killMasterAndFailover(
  cluster: TestCluster,
  master: NodeEntry,
  meanwhile: () => Promise<void> = async () => undefined,
): Promise<NodeEntry> {
  const replica = await replicaOf(cluster, master.id);
  await signalNode(nodeAt(cluster, master.port), 'SIGKILL');
  await meanwhile();
  await until(`replica ${replica.port} promoted after master ${master.port} was killed`, async () => {
    const promoted = (await clusterNodes(cluster)).find((e) => e.id === replica.id);
    return promoted !== undefined && isMaster(promoted) && promoted.slots > 0;
  });
  await until('cluster_state:ok after the failover', () => clusterOk(cluster));
  return (await clusterNodes(cluster)).find((e) => e.id === replica.id) as NodeEntry;
}

/**
 * Brings a node back with an empty folder as a replica of the master that has none (the one
 * promoted when this node died), and waits for master_link_status:up.
 */
export async function rejoinEmptyAsReplica(cluster: TestCluster, port: number): Promise<NodeEntry> {
  const node = nodeAt(cluster, port);
  await signalNode(node, 'SIGKILL');
  const entries = await clusterNodes(cluster);
  const old = entries.find((e) => e.port === port);
  const lonely = entries.find(
    (e) => isMaster(e) && !entries.some((r) => r.masterId === e.id && !r.flags.includes('fail')),
  );
  if (!lonely) throw new Error('every master has a replica: nothing to rejoin as');
  if (old) {
    for (const live of cluster.nodes.filter((n) => n.proc))
      await cli(cluster.password, ['-p', String(live.port), 'CLUSTER', 'FORGET', old.id], 2000);
  }
  rmSync(node.dir, { recursive: true, force: true });
  await startNode(node, cluster.password);
  const existing = cluster.nodes.find((n) => n.proc && n.port !== port) as ClusterNode;
  await cli(
    cluster.password,
    [
      ...['--cluster', 'add-node', `127.0.0.1:${port}`, `127.0.0.1:${existing.port}`],
      ...['--cluster-slave', '--cluster-master-id', lonely.id],
    ],
    60_000,
  );
  await until(`node ${port} replicating with master_link_status:up`, async () => {
    const info = await cli(cluster.password, ['-p', String(port), 'INFO', 'replication'], 2000);
    return info.includes('role:slave') && info.includes('master_link_status:up');
  });
  await until('cluster_state:ok after the rejoin', () => clusterOk(cluster));
  return (await clusterNodes(cluster)).find((e) => e.port === port) as NodeEntry;
}
