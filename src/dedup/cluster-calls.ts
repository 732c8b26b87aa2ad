/**
 * One round of a decision's phase on Redis Cluster: script calls, each over the keys of one
 * slot, grouped by the master that owns the slot and pipelined to it, followed on each master
 * by `WAIT <replicas> <timeout>` so that a round is done only once a replica has its writes.
 * Redirections and failover (MOVED, ASK, TRYAGAIN, CLUSTERDOWN, a lost connection) refresh the
 * slot map and send the failed calls again until a deadline: every phase is idempotent per
 * click_id, so a call that did run before its node failed is safe to run again.
 */
import type { Cluster, Redis } from 'ioredis';
import { keySlot } from './key-slot.ts';
import type { Script } from './scripts.ts';

/** A master did not get `replicas` acknowledgements of a round's writes within the WAIT timeout. */
export class ReplicaNotAcknowledged extends Error {
  constructor(
    readonly node: string,
    readonly acknowledged: number,
    readonly wanted: number,
    readonly timeoutMs: number,
  ) {
    super(
      `no replica acknowledged the verdict writes on ${node} within ${timeoutMs} ms (${acknowledged} of ${wanted})`,
    );
    this.name = 'ReplicaNotAcknowledged';
  }
}

/** The cluster did not serve a round before the deadline (failover longer than it, or down). */
export class ClusterUnavailable extends Error {
  constructor(deadlineMs: number, cause: unknown) {
    super(
      `redis cluster did not serve the verdict phase within ${deadlineMs} ms: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = 'ClusterUnavailable';
  }
}

export interface SlotCall {
  script: Script;
  /** Keys of one slot. */
  keys: string[];
  args: (string | number)[];
}

export interface RoundOptions {
  /** Replicas a WAIT must hear from (0: no WAIT, e.g. for read-only rounds). */
  replicas: number;
  waitTimeoutMs: number;
  /** How long a round may retry through redirections and failover. */
  deadlineMs: number;
}

export const slotOf = keySlot;

/** Groups items by the slot of their key, keeping their order within a slot. */
export function bySlot<T>(items: readonly T[], keyOf: (item: T) => string): T[][] {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const slot = slotOf(keyOf(item));
    const group = groups.get(slot);
    if (group) group.push(item);
    else groups.set(slot, [item]);
  }
  return [...groups.values()];
}

const RETRYABLE = /^(MOVED|ASK|TRYAGAIN|CLUSTERDOWN|LOADING|MASTERDOWN|READONLY|NOSCRIPT)\b/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const nodeKey = (r: Redis) => `${r.options.host ?? ''}:${r.options.port ?? ''}`;

/** A reply error that is no fault of the cluster's topology (e.g. a script error): not retried. */
function isFatal(err: Error): boolean {
  return err.name === 'ReplyError' && !RETRYABLE.test(err.message);
}

/** Runs the calls, each on the master of its slot, and returns their replies in order. */
export async function runRound(cluster: Cluster, calls: readonly SlotCall[], opts: RoundOptions): Promise<unknown[]> {
  const replies: unknown[] = new Array(calls.length);
  const ask = new Map<number, string>();
  let pending = calls.map((_, i) => i);
  const deadline = Date.now() + opts.deadlineMs;
  let lastError: unknown = null;
  while (pending.length > 0) {
    // A topology fault (not just a script to load) waits for a fresh slot map before the retry.
    let topology = false;
    const byNode = new Map<string, number[]>();
    const nodes = new Map(cluster.nodes('all').map((r) => [nodeKey(r), r]));
    const retry: number[] = [];
    for (const i of pending) {
      const key = ask.get(i) ?? cluster.slots[slotOf(calls[i]?.keys[0] ?? '')]?.[0];
      if (key === undefined || !nodes.has(key)) {
        lastError = new Error(`no master known for slot of ${calls[i]?.keys[0]}`);
        topology = true;
        retry.push(i);
        continue;
      }
      const group = byNode.get(key);
      if (group) group.push(i);
      else byNode.set(key, [i]);
    }
    await Promise.all(
      [...byNode].map(async ([key, indices]) => {
        const node = nodes.get(key) as Redis;
        const failed = await runOnNode(node, key, calls, indices, replies, ask, opts);
        if (failed.error) {
          lastError = failed.error;
          topology = true;
        }
        retry.push(...failed.indices);
      }),
    );
    pending = retry;
    if (pending.length === 0) break;
    if (Date.now() >= deadline) throw new ClusterUnavailable(opts.deadlineMs, lastError);
    if (topology) {
      await new Promise<void>((resolve) => cluster.refreshSlotsCache(() => resolve()));
      await sleep(100);
    }
  }
  return replies;
}

/** One pipeline to one master: its calls, then WAIT. Returns the calls to send again. */
async function runOnNode(
  node: Redis,
  key: string,
  calls: readonly SlotCall[],
  indices: number[],
  replies: unknown[],
  ask: Map<number, string>,
  opts: RoundOptions,
): Promise<{ indices: number[]; error?: unknown }> {
  const pipeline = node.pipeline();
  for (const i of indices) {
    const c = calls[i] as SlotCall;
    if (ask.has(i)) pipeline.asking();
    pipeline.evalsha(c.script.sha, c.keys.length, ...c.keys, ...c.args);
  }
  if (opts.replicas > 0) pipeline.call('WAIT', opts.replicas, opts.waitTimeoutMs);
  let results: [Error | null, unknown][];
  try {
    results = (await pipeline.exec()) ?? [];
  } catch (err) {
    return { indices, error: err };
  }
  const retry: number[] = [];
  const loaded = new Set<string>();
  let error: unknown;
  let offset = 0;
  for (const i of indices) {
    if (ask.has(i)) offset++; // ASKING's own reply
    const [err, reply] = results[offset++] ?? [new Error('no reply'), null];
    if (!err) {
      replies[i] = reply;
      ask.delete(i);
      continue;
    }
    if (isFatal(err)) throw new Error(`${calls[i]?.script.name} on ${key}: ${err.message}`, { cause: err });
    retry.push(i);
    ask.delete(i);
    const s = (calls[i] as SlotCall).script;
    if (err.message.startsWith('NOSCRIPT')) {
      // A restarted or new master: load the script once and send the call again at once.
      if (!loaded.has(s.sha)) await node.script('LOAD', s.text);
      loaded.add(s.sha);
      continue;
    }
    error = err;
    const asked = /^ASK \d+ (\S+)/.exec(err.message);
    if (asked?.[1]) ask.set(i, asked[1]);
  }
  if (opts.replicas > 0) {
    const [err, acknowledged] = results[offset] ?? [new Error('no reply to WAIT'), null];
    // Without WAIT's answer nothing of this node counts as done: send all of it again.
    if (err) return { indices, error: err };
    if (Number(acknowledged) < opts.replicas)
      throw new ReplicaNotAcknowledged(key, Number(acknowledged), opts.replicas, opts.waitTimeoutMs);
  }
  return { indices: retry, error };
}
