/**
 * The verdict store on Redis Cluster (docs/ingest.md, "Atomicity and Redis Cluster"). A click's
 * keys live in up to four slots, so a batch is decided in phases, each one script call per slot
 * (cluster-calls.ts), in waves (cluster-plan.ts), each wave in rounds:
 *   read     memory of (sender, click_id), and the unscoped memory while legacy reads are on;
 *            a known click resolves from its memory without any claim;
 *   phase 1  slot of (sender, user): duplicate claim and rule 5 (blocklists and bot are
 *            decided before, from the blocklists read once per batch);
 *   phase 2  slot of the address group (anonymous only): address limits;
 *   release  slot of (sender, user): a click over an address limit gives its claim and rate
 *            entry back;
 *   phase 3  slot of (sender, click_id): the verdict memory, SET NX, written last: a decision
 *            is final only once every other write of it is on a replica.
 * Every writing round ends with WAIT on each master it wrote to; a master without a replica's
 * acknowledgement makes decide() throw ReplicaNotAcknowledged (the ingest answers 503).
 */
import type { Cluster } from 'ioredis';
import { scopedSinceKey, verdictKey } from './keys.ts';
import { readGlobals, type Globals } from './cluster-globals.ts';
import { bySlot, ClusterUnavailable, runRound, type RoundOptions, type SlotCall } from './cluster-calls.ts';
import { decided, fromMemory, itemOf, resolve, strings, waves, type Item } from './cluster-plan.ts';
import type { RedisStoreOptions } from './redis-store.ts';
import { script } from './scripts.ts';
import type { Decision, PendingClick, VerdictStore, WrittenClick } from './store.ts';

const READ = script('cluster-read.lua');
const CLAIM = script('cluster-claim.lua');
const ADDRESS = script('cluster-address.lua');
const RELEASE = script('cluster-release.lua');
const REMEMBER = script('cluster-remember.lua');
const MARK_WRITTEN = script('mark-written.lua');

export interface ClusterStoreOptions extends RedisStoreOptions {
  /** Replicas each master's WAIT must hear from (0: no WAIT). */
  waitReplicas: number;
  /** Below the node clients' command timeout, or a slow WAIT is a timeout, not a 0. */
  waitTimeoutMs: number;
  /** How long a round retries through MOVED, ASK, TRYAGAIN, CLUSTERDOWN and lost connections. */
  deadlineMs?: number;
}

export class ClusterVerdictStore implements VerdictStore {
  private scopedSince: number | null = null;
  private readonly writes: RoundOptions;
  private readonly reads: RoundOptions;

  constructor(
    private readonly cluster: Cluster,
    private readonly opts: ClusterStoreOptions,
  ) {
    const deadlineMs = opts.deadlineMs ?? 3000;
    this.writes = { replicas: opts.waitReplicas, waitTimeoutMs: opts.waitTimeoutMs, deadlineMs };
    this.reads = { replicas: 0, waitTimeoutMs: 0, deadlineMs };
  }

  async decide(batch: readonly PendingClick[]): Promise<Decision[]> {
    if (batch.length === 0) return [];
    // Plain commands through the cluster client (its own redirection handling): any fault of
    // theirs is the cluster's unavailability too.
    const [legacy, globals] = await Promise.all([
      this.readsLegacy(),
      readGlobals(this.cluster, this.opts.keyPrefix, batch),
    ]).catch((err: unknown) => {
      throw new ClusterUnavailable(this.writes.deadlineMs, err);
    });
    const items = batch.map((p) => itemOf(p, this.opts.keyPrefix));
    for (const wave of waves(items)) await this.decideWave(wave, legacy, globals);
    return items.map(({ p, outcome }) => {
      if (!outcome) throw new Error(`click ${p.click.click_id} left undecided`);
      const { unscoped, ...rest } = outcome;
      const campaignId = globals.campaigns.get(p.click.ad_id) ?? (p.click.campaign_id || null);
      return { ...rest, campaignId, ...(unscoped ? { unscoped: true } : {}) };
    });
  }

  /** Marks per slot, without WAIT: a mark lost in a failover only makes a resend produced again. */
  async markWritten(clicks: readonly WrittenClick[]): Promise<void> {
    if (clicks.length === 0) return;
    const keys = clicks.map((c) => verdictKey(this.opts.keyPrefix, c.sender, c.clickId));
    await runRound(
      this.cluster,
      bySlot(keys, (k) => k).map((slotKeys) => ({ script: MARK_WRITTEN, keys: slotKeys, args: [] })),
      this.reads,
    );
  }

  private async decideWave(wave: Item[], legacy: boolean, globals: Globals): Promise<void> {
    const { horizonSeconds, windowMs, ratePerWindow } = this.opts;
    const windowTtl = horizonSeconds + Math.ceil(windowMs / 1000);
    // Read: the memory, and the unscoped memory (phase 0) while legacy reads are on.
    const read = (key: (it: Item) => string): SlotCall[] =>
      bySlot(wave, key).map((g) => ({ script: READ, keys: g.map(key), args: [] }));
    const scoped = bySlot(wave, (it) => it.verdict);
    const unscoped = legacy ? bySlot(wave, (it) => it.legacy) : [];
    const replies = await runRound(
      this.cluster,
      [...read((it) => it.verdict), ...(legacy ? read((it) => it.legacy) : [])],
      this.reads,
    );
    const memory = new Map<Item, string>();
    const old = new Map<Item, [string, number]>();
    [...scoped, ...unscoped].forEach((group, g) => {
      const values = strings(replies[g], group.length * 2, 'cluster-read.lua');
      group.forEach((it, j) => {
        if (g < scoped.length) memory.set(it, values[j * 2] ?? '');
        else old.set(it, [values[j * 2] ?? '', Number(values[j * 2 + 1])]);
      });
    });
    const claimers = resolve(wave, memory, old, globals);
    // Phase 1: claim and rule 5.
    // Each phase takes its clicks in batch order (a round's replies come back per slot).
    const pending = new Set<Item>();
    await this.perSlot(
      claimers,
      (it) => it.dup,
      CLAIM,
      [windowTtl, ratePerWindow],
      (it) => [[it.dup, it.rate], `${it.p.click.click_id}\n${it.p.address ? 1 : 0}`],
    ).then((results) =>
      results.forEach(([it, r]) => {
        if (r === 'pending') pending.add(it);
        else if (r === 'duplicate' || r === 'accepted') decided(it, r, null);
        else if (r === 'rate_limited') decided(it, r, 'user');
        else throw new Error(`cluster-claim.lua returned ${r}`);
      }),
    );
    // Phase 2: address limits; then the claims of clicks over one are given back.
    const over = new Set<Item>();
    await this.perSlot(
      wave.filter((it) => pending.has(it)),
      (it) => it.addr ?? '',
      ADDRESS,
      [windowTtl],
      (it) => [
        [it.addrAd ?? '', it.addr ?? ''],
        `${it.p.click.click_id}\n${it.p.address?.perAddressAd}\n${it.p.address?.perAddress}`,
      ],
    ).then((results) =>
      results.forEach(([it, r]) => {
        if (r === 'accepted') decided(it, 'accepted', null);
        else if (r === 'address_ad' || r === 'address') {
          decided(it, 'rate_limited', r);
          over.add(it);
        } else throw new Error(`cluster-address.lua returned ${r}`);
      }),
    );
    await this.perSlot(
      wave.filter((it) => over.has(it)),
      (it) => it.dup,
      RELEASE,
      [],
      (it) => [[it.dup, it.rate], it.p.click.click_id],
    );
    // Phase 3: the memory, last; another decider's memory, there first, wins as in verdicts.lua.
    const writers = wave.filter((it) => it.write);
    await this.perSlot(
      writers,
      (it) => it.verdict,
      REMEMBER,
      [horizonSeconds],
      (it) => [[it.verdict], `${it.write?.pttl}\n${it.write?.memory}`],
    ).then((results) =>
      results.forEach(([it, r]) => {
        if (r !== '') it.outcome = fromMemory(r, it.content, it.p.click.ts);
      }),
    );
  }

  /** One writing round: per slot of slotKey, one call of s over the items' keys and arguments. */
  private async perSlot(
    items: Item[],
    slotKey: (it: Item) => string,
    s: SlotCall['script'],
    head: (string | number)[],
    each: (it: Item) => [string[], string],
  ): Promise<[Item, string][]> {
    if (items.length === 0) return [];
    const groups = bySlot(items, slotKey);
    const calls = groups.map((g) => ({
      script: s,
      keys: g.flatMap((it) => each(it)[0]),
      args: [...head, ...g.map((it) => each(it)[1])],
    }));
    const replies = await runRound(this.cluster, calls, this.writes);
    return groups.flatMap((g, i) => {
      const values = strings(replies[i], g.length, s.name);
      return g.map((it, j): [Item, string] => [it, values[j] ?? '']);
    });
  }

  /** As RedisVerdictStore: legacy reads last one horizon after namespaces were first seen. */
  private async readsLegacy(): Promise<boolean> {
    const now = (this.opts.now ?? Date.now)();
    if (this.scopedSince === null) {
      const key = scopedSinceKey(this.opts.keyPrefix);
      await this.cluster.set(key, String(now), 'NX');
      this.scopedSince = Number(await this.cluster.get(key)) || now;
    }
    return now < this.scopedSince + this.opts.horizonSeconds * 1000;
  }
}
