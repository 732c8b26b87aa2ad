/**
 * Whether a lost node of the cluster has rejoined and caught up, asked of the cluster itself:
 * Kafka (every partition of every topic, internal ones included, has all its replicas in sync;
 * the controller quorum has its three voters), Flink (the job RUNNING at full parallelism on
 * registered TaskManagers), the ingest and sink nodes (their containers healthy).
 */
import type { ComposeRun } from '../../bench/support/compose.ts';

const KAFKA_CONTROLLERS = 'kafka-1:9093,kafka-3:9093';
const BOOTSTRAP = 'kafka-1:9092,kafka-3:9092';

async function kafkaTool(run: ComposeRun, ...args: string[]): Promise<string> {
  return run.exec('kafka-1', 'kafka-tool', ...args);
}

/** The controller quorum's voters: node id -> directory id. */
export async function quorumVoters(run: ComposeRun): Promise<Map<number, string>> {
  const status = await kafkaTool(run, 'quorum', '--bootstrap-controller', KAFKA_CONTROLLERS, 'describe', '--status');
  const line = status.split('\n').find((l) => l.startsWith('CurrentVoters:')) ?? '';
  const voters = JSON.parse(line.slice(line.indexOf('['))) as { id: number; directoryId: string }[];
  return new Map(voters.map((v) => [v.id, v.directoryId]));
}

/** Partitions, internal topics included, with fewer in-sync replicas than replicas. */
export async function underReplicated(run: ComposeRun): Promise<string[]> {
  const out = await kafkaTool(
    run,
    'topics',
    '--bootstrap-server',
    BOOTSTRAP,
    '--describe',
    '--under-replicated-partitions',
  );
  return out.split('\n').filter((l) => l.includes('Partition:'));
}

/** Every topic's partitions with their replica count (a cluster's must all be 3). */
export async function replicaCounts(run: ComposeRun): Promise<Map<string, number>> {
  const out = await kafkaTool(run, 'topics', '--bootstrap-server', BOOTSTRAP, '--describe');
  const counts = new Map<string, number>();
  for (const line of out.split('\n')) {
    const m = /Topic: (\S+)\s+Partition: (\d+).*Replicas: ([\d,]+)/.exec(line);
    if (m) counts.set(`${m[1]}/${m[2]}`, (m[3] ?? '').split(',').length);
  }
  return counts;
}

/** The pipeline job's state and its vertices' parallelism, from the JobManager's REST API. */
export async function pipelineJob(run: ComposeRun): Promise<{ state: string; parallelism: number[] } | undefined> {
  const script = `(async () => {
    const base = 'http://jobmanager:8081';
    const { jobs } = await (await fetch(base + '/jobs/overview')).json();
    const job = jobs.find((j) => j.name.startsWith('clicks_pipeline') && j.state === 'RUNNING') ?? jobs.find((j) => j.name.startsWith('clicks_pipeline'));
    if (!job) return console.log('null');
    const detail = await (await fetch(base + '/jobs/' + job.jid)).json();
    console.log(JSON.stringify({ state: job.state, parallelism: detail.vertices.map((v) => v.parallelism),
      running: detail.vertices.every((v) => v.status === 'RUNNING') }));
  })().catch(() => console.log('null'))`;
  const out = await run.exec('api', 'node', '-e', script);
  const parsed = JSON.parse(out.trim() || 'null') as { state: string; parallelism: number[]; running: boolean } | null;
  if (parsed === null) return undefined;
  return {
    state: parsed.running ? parsed.state : `${parsed.state} (vertices not all running)`,
    parallelism: parsed.parallelism,
  };
}

export interface RedisNode {
  id: string;
  /** The compose service (its announced hostname). */
  service: string;
  master: boolean;
  failed: boolean;
  /** For a replica, its master's id. */
  masterId: string;
  slots: number;
}

/** `redis-cli` inside a Redis node, with the password of its config. */
export async function redisCli(run: ComposeRun, service: string, ...args: string[]): Promise<string> {
  const auth = 'REDISCLI_AUTH=$(sed -n "s/^requirepass //p" /etc/tollbooth/redis/redis.conf)';
  return run.exec(service, 'sh', '-c', `${auth} redis-cli ${args.join(' ')}`);
}

/** The Redis Cluster's nodes as `CLUSTER NODES` on `from` lists them. */
export async function redisNodes(run: ComposeRun, from = 'redis-1'): Promise<RedisNode[]> {
  const out = await redisCli(run, from, 'cluster', 'nodes');
  return out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [id = '', address = '', flags = '', masterId = '', , , , , ...ranges] = line.split(' ');
      const slots = ranges
        .filter((r) => !r.startsWith('['))
        .reduce((n, r) => {
          const [a = 0, b = a] = r.split('-').map(Number);
          return n + (b - a + 1);
        }, 0);
      return {
        id,
        service: address.split(',')[1] ?? address,
        master: flags.includes('master'),
        failed: /\bfail\b/.test(flags),
        masterId,
        slots,
      };
    });
}

/** Whole again: six nodes, none failed, three masters serving every slot, each with a replica. */
export async function redisWhole(run: ComposeRun, from: string): Promise<boolean> {
  const nodes = await redisNodes(run, from);
  const masters = nodes.filter((n) => n.master && !n.failed);
  const replicas = nodes.filter((n) => !n.master && !n.failed);
  const info = await redisCli(run, from, 'info', 'replication');
  return (
    nodes.length === 6 &&
    masters.length === 3 &&
    masters.reduce((n, m) => n + m.slots, 0) === 16384 &&
    masters.every((m) => replicas.some((r) => r.masterId === m.id)) &&
    (info.includes('role:master') || info.includes('master_link_status:up'))
  );
}
