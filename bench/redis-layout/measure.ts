/**
 * One phase of `npm run bench:redis-layout`: a round's clicks through one layout's script, with
 * what Redis spent on them read from INFO before and after (its main process CPU, the commands
 * it ran, the memory the new keys hold) and the outcome of every click.
 */
import type { Redis } from 'ioredis';
import { DEFAULT_SHAPE, Workload } from '../load/workload.ts';
import { parseCommandStats, perClick } from '../measure/redis-commands.ts';
import type { Layout, LayoutClick } from './layouts.ts';

export interface PhaseSettings {
  clicks: number;
  /** Clicks per second the windows of event time assume: a window holds rate x window seconds. */
  rate: number;
  /** Distinct users of the workload (the bench's is 100,000). */
  users: number;
  windowSeconds: number;
  verdictTtl: number;
  windowTtl: number;
  rateLimit: number;
}

export interface Phase {
  layout: string;
  round: number;
  clicks: number;
  cpuUs: number;
  memoryBytes: number;
  commands: Record<string, number>;
  outcomes: Record<string, number>;
  seconds: number;
}

const BATCH = 200;
const IN_FLIGHT = 4;
const field = (info: string, name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? NaN);

async function readings(redis: Redis) {
  const [cpu, memory, stats] = await Promise.all([redis.info('cpu'), redis.info('memory'), redis.info('commandstats')]);
  return {
    cpuS: field(cpu, 'used_cpu_sys') + field(cpu, 'used_cpu_user'),
    memory: field(memory, 'used_memory'),
    commands: parseCommandStats(stats),
  };
}

/** The same clicks for both layouts of a round: the bench's workload, seeded by the round. */
export function* roundClicks(round: number, s: PhaseSettings): Generator<{ clicks: LayoutClick[]; resend: boolean }> {
  const work = new Workload({ ...DEFAULT_SHAPE, users: s.users, batchSize: BATCH }, 1000 + round, `r${round}`);
  const perWindow = s.rate * s.windowSeconds;
  for (let sent = 0; sent < s.clicks; sent += BATCH) {
    const { clicks, resend } = work.next(0);
    const window = Math.floor(sent / perWindow);
    yield { clicks: clicks.map((c) => ({ ...c, ip: '10.1.0.1', window })), resend };
  }
}

export async function runPhase(
  redis: Redis,
  layout: Layout,
  prefix: string,
  round: number,
  s: PhaseSettings,
): Promise<Phase> {
  await redis.script('LOAD', layout.text);
  const outcomes: Record<string, number> = {};
  const settings = [s.verdictTtl, s.windowTtl, s.rateLimit];
  const send = async (batch: LayoutClick[]) => {
    const { keys, args } = layout.call(prefix, batch);
    const reply = (await redis.evalsha(layout.sha, keys.length, ...keys, ...settings, ...args)) as string[];
    for (const outcome of reply) outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  };
  const before = await readings(redis);
  const started = process.hrtime.bigint();
  const inFlight: Promise<void>[] = [];
  let clicks = 0;
  for (const { clicks: batch, resend } of roundClicks(round, s)) {
    // A resent batch follows its first send, as a client's retry does.
    inFlight.push(resend ? send(batch).then(() => send(batch)) : send(batch));
    clicks += batch.length * (resend ? 2 : 1);
    if (inFlight.length >= IN_FLIGHT) await inFlight.shift();
  }
  await Promise.all(inFlight);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const after = await readings(redis);
  return {
    layout: layout.name,
    round,
    clicks,
    cpuUs: ((after.cpuS - before.cpuS) * 1e6) / clicks,
    memoryBytes: (after.memory - before.memory) / clicks,
    commands: perClick(before.commands, after.commands, clicks),
    outcomes,
    seconds,
  };
}
