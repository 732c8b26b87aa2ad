/**
 * deploy/cluster/compose.yml, run for real: three Kafka brokers, the job at parallelism 2 on two
 * TaskManagers, two ingest nodes behind the balancer, two sinks. A ledger load is counted
 * exactly; then, under steady load and one at a time, a machine is lost (its container killed,
 * and for a storage node its volume deleted and an empty one put in its place): 0 over and
 * 0 under against the ledger, how long clicks were refused, and how long until the node had
 * rejoined and caught up. TOLLBOOTH_CLUSTER_FAULTS picks the faults (`all` in
 * `npm run test:cluster`; a Kafka broker in `npm test`: the Redis master's rejoin is not reliable yet,
 * README "Known limitations"). 2 s windows.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/prefix.ts';
import { composeRun, lastLine, type ComposeRun } from '../../bench/support/compose.ts';
import { loadConfig } from '../../src/shared/config.ts';
import { ComposeLedger } from '../containers/ledger.ts';
import { anonymousFrom } from './anonymous.ts';
import { pipelineJob, quorumVoters, redisNodes, redisWhole, replicaCounts, underReplicated } from './probes.ts';

const settings = loadConfig().clusterTest;
let run: ComposeRun;
let ledger: ComposeLedger;

beforeAll(async () => {
  run = await composeRun(
    'cluster',
    { TOLLBOOTH_WINDOW_SECONDS: '2', TOLLBOOTH_GRACE_MS: '500' },
    'deploy/cluster/compose.yml',
  );
  await run.compose('up', '-d');
  const all = lastLine(await run.cli('keys', 'create', '--scope', 'all', '--name', 'reader'));
  const ingest = lastLine(await run.cli('keys', 'create', '--scope', 'ingest', '--name', 'server'));
  expect(all).toMatch(/^tb_/);
  ledger = new ComposeLedger(run, { all, ingest });
  await eventually(async () => ((await fetch(`${run.ingestUrl}/readyz`)).ok ? true : undefined), 120_000, 'ingest');
});
afterAll(async () => {
  // TOLLBOOTH_CLUSTER_KEEP=1 leaves the cluster up to look into a failure (then `down -v` it).
  if (!settings.keep) await run?.compose('down', '-v', '--remove-orphans');
});

/** Each operator's parallelism as first deployed: 2, and 1 for the job's global operators. */
let fullParallelism = '';

/** The whole pipeline is back: every Kafka replica in sync, the job running at full parallelism. */
async function caughtUp(): Promise<true | undefined> {
  if ((await underReplicated(run)).length > 0) return undefined;
  if ((await quorumVoters(run)).size !== 3) return undefined;
  const job = await pipelineJob(run);
  if (job?.state !== 'RUNNING' || job.parallelism.join(',') !== fullParallelism) return undefined;
  return true;
}

describe('the cluster', () => {
  it('keeps three copies of every partition and runs the job at parallelism 2', async () => {
    const counts = await replicaCounts(run);
    expect(counts.size).toBeGreaterThan(3);
    expect([...counts.values()].every((n) => n === 3)).toBe(true);
    const job = await eventually(
      async () => {
        const j = await pipelineJob(run);
        return j?.state === 'RUNNING' ? j : undefined;
      },
      120_000,
      'the pipeline running',
      5_000,
    );
    expect(Math.max(...job.parallelism)).toBe(2);
    fullParallelism = job.parallelism.join(',');
    expect(await caughtUp()).toBe(true);
  });

  it('counts a ledger load exactly, through the balancer', async () => {
    const result = await ledger.load(6, 1);
    expect(ledger.acceptedCount).toBeGreaterThan(100);
    const { over, under } = await ledger.overUnder(result.endedAt);
    expect({ over, under }).toEqual({ over: 0, under: 0 });
  });
});

describe('the balancer', () => {
  it('passes each caller’s address: per-address limits see callers, not the balancer, and no spoofing', async () => {
    // 30 anonymous clicks a minute per address: the first caller goes over, a forged
    // X-Forwarded-For changes nothing, and a second caller still has its own budget. Each
    // caller's batches must fall in one minute of receive time (the limit's window): a try that
    // straddles a minute (a slow `docker exec`) is tried again in the next one, untouched.
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1 || Date.now() % 60_000 > 30_000) await sleep(61_000 - (Date.now() % 60_000));
      const [first, second] = await Promise.all([
        anonymousFrom(run, ledger, 'api', [{ clicks: 40 }, { clicks: 5, spoofed: '198.51.100.7' }]),
        anonymousFrom(run, ledger, 'pg', [{ clicks: 5 }]),
      ]);
      const oneMinute = [first, second].every((r) => r.minutes[0] === r.minutes[1]);
      if (!oneMinute && attempt < 3) continue;
      expect(oneMinute).toBe(true);
      expect(first.counts).toEqual([{ accepted: 30, rate_limited: 10 }, { rate_limited: 5 }]);
      expect(second.counts).toEqual([{ accepted: 5 }]);
      return;
    }
  });
});

interface Fault {
  name: string;
  lose(): Promise<void>;
  rejoined(): Promise<true | undefined>;
}

let lostVoter = '';
let lostRedis = '';
const FAULTS: Fault[] = [
  {
    name: 'kafka-2',
    async lose() {
      lostVoter = (await quorumVoters(run)).get(2) ?? '';
      await run.replace('kafka-2', 'kafka-2');
    },
    // Back in the quorum with a new directory (its old one went with the disk), and every
    // partition it holds re-replicated.
    rejoined: async () => {
      const voter = (await quorumVoters(run)).get(2);
      return voter !== undefined && voter !== lostVoter ? caughtUp() : undefined;
    },
  },
  {
    // The master owning the most slots, lost with its disk: its replica takes over, and the node
    // comes back empty as the replica of that new master (deploy/images/redis/cluster-node.sh).
    name: 'redis-master',
    async lose() {
      const biggest = (await redisNodes(run)).filter((n) => n.master).sort((a, b) => b.slots - a.slots)[0];
      lostRedis = biggest?.service ?? 'redis-1';
      await run.replace(lostRedis, lostRedis);
    },
    rejoined: async () => ((await redisWhole(run, lostRedis)) ? caughtUp() : undefined),
  },
  { name: 'taskmanager-1', lose: () => run.kill('taskmanager-1'), rejoined: caughtUp },
  {
    name: 'ingest-1 and sink-1',
    lose: async () => {
      await run.kill('ingest-1');
      await run.kill('sink-1');
    },
    rejoined: async () => ((await run.healthy('ingest-1')) && (await run.healthy('sink-1')) ? caughtUp() : undefined),
  },
  { name: 'jobmanager', lose: () => run.kill('jobmanager'), rejoined: caughtUp },
];

const wanted = settings.faults;
const chosen = FAULTS.filter((f) => wanted.includes('all') || wanted.includes(f.name.split(' ')[0] ?? ''));

describe('a machine lost under steady load', () => {
  it.each(chosen.map((f) => [f.name, f] as const))('%s: 0 over, 0 under, rejoined', async (_name, fault) => {
    let lostAt = 0;
    let losing: Promise<void> = Promise.resolve();
    // The loss runs beside the load (replacing a node takes seconds): clicks keep coming.
    const result = await ledger.load(14, 20 + FAULTS.indexOf(fault), async () => {
      lostAt = Date.now();
      losing = fault.lose();
    });
    await losing;
    // Fourteen minutes: a replaced broker's rejoin took 173 s after the loss on a slow day
    // (2026-12-05, docs/cluster.md), and 300 to 572 s before its entrypoint's tool calls stopped
    // being killed at 30 s; the time is reported below, the test asserts that it happens. Every
    // 10 s: a probe is a `docker exec` and a tool's JVM in kafka-1 (about 3 s of CPU).
    await eventually(fault.rejoined, 840_000, `${fault.name} rejoined`, 10_000);
    const rejoined = (Date.now() - lostAt) / 1000;
    const { over, under, visibleAt } = await ledger.overUnder(result.endedAt);
    const refused = result.refusedAt.filter((t) => t >= lostAt);
    const refusedFor = refused.length === 0 ? 0 : ((refused.at(-1) ?? 0) - (refused[0] ?? 0)) / 1000;
    const accepted = [...result.verdicts.values()].filter((v) => v === 'accepted').length;
    console.log(
      `CLUSTER FAULT ${fault.name}: accepted ${accepted}, over ${over}, under ${under}, ` +
        `refused requests ${refused.length} over ${refusedFor.toFixed(1)} s, ` +
        `exact ${((visibleAt - result.endedAt) / 1000).toFixed(1)} s after the load, rejoined ${rejoined.toFixed(1)} s after the loss`,
    );
    expect({ over, under }).toEqual({ over: 0, under: 0 });
  });
});
