/**
 * `npm run bench:redis-layout`: Redis's CPU per click on today's key layout and on the folded one
 * of issue 19 (docs/bench.md), alternated round by round on the running Redis, with the same
 * clicks for both. Writes bench/results/redis-layout-<date>.md; exits 1 if the layouts decided
 * any round's clicks differently.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createRedis } from '../../src/shared/clients.ts';
import { loadConfig } from '../../src/shared/config.ts';
import { handleInterrupts, onInterrupt } from '../interrupt.ts';
import { deleteKeysWithPrefix } from '../support/clean-prefix.ts';
import { testPrefix } from '../support/prefix.ts';
import { layout, LAYOUTS } from './layouts.ts';
import { runPhase, type Phase, type PhaseSettings } from './measure.ts';
import { report } from './report.ts';

const USAGE = `usage: npm run bench:redis-layout -- [--clicks 300000] [--rounds 6] [--rate 5000] [--users 100000] [--out bench/results]
  Redis's CPU, commands and memory per click on today's key layout and on the folded one (the
  (user, ad) claim and the (user, ip) rate list as fields of one hash per user and window),
  A/B by round with the same clicks (the bench's workload: 100,000 users, Zipf ads). --rate sets
  how many clicks share a window of event time, --users how many users
  send them (fewer users: more clicks per user and window). Needs the services running (Redis).`;

function settingsOf(
  argv: string[],
): { help: true } | { help: false; rounds: number; out: string; clicks: number; rate: number; users: number } {
  const { values } = parseArgs({
    args: argv,
    options: {
      clicks: { type: 'string', default: '300000' },
      rounds: { type: 'string', default: '6' },
      rate: { type: 'string', default: '5000' },
      users: { type: 'string', default: '100000' },
      out: { type: 'string', default: 'bench/results' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return { help: true };
  const numbers = {
    clicks: Number(values.clicks),
    rounds: Number(values.rounds),
    rate: Number(values.rate),
    users: Number(values.users),
  };
  for (const [name, n] of Object.entries(numbers))
    if (!Number.isSafeInteger(n) || n < 1)
      throw new Error(
        `--${name} must be a positive whole number, not ${JSON.stringify(values[name as keyof typeof values])}`,
      );
  return { help: false, out: values.out, ...numbers };
}

const say = (m: string) => process.stderr.write(`${m}\n`);

async function main(): Promise<number> {
  const args = settingsOf(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const config = loadConfig();
  const redis = createRedis(config);
  const base = testPrefix('rlayout');
  const clean = () => deleteKeysWithPrefix(redis, base);
  handleInterrupts(say);
  const unregister = onInterrupt(async () => {
    await clean();
    redis.disconnect();
  });
  const { horizonSeconds, windowMs, rateLimitPerMinute } = config.dedup;
  const windowSeconds = Math.ceil(windowMs / 1000);
  const s: PhaseSettings = {
    clicks: args.clicks,
    rate: args.rate,
    users: args.users,
    windowSeconds,
    verdictTtl: horizonSeconds,
    windowTtl: horizonSeconds + windowSeconds,
    rateLimit: rateLimitPerMinute,
  };
  // Each script read and hashed once for the run.
  const layouts = LAYOUTS.map(layout);
  const phases: Phase[] = [];
  try {
    for (let round = 1; round <= args.rounds; round++) {
      // Alternate which layout goes first: the keyspace grows under both alike.
      const order = round % 2 === 1 ? layouts : [...layouts].reverse();
      for (const l of order) {
        const phase = await runPhase(redis, l, `${base}${l.name}${round}:`, round, s);
        say(`round ${round} ${l.name}: ${phase.cpuUs.toFixed(1)} µs of Redis CPU per click (${phase.clicks} clicks)`);
        phases.push(phase);
      }
    }
  } finally {
    await clean();
    unregister();
  }
  const info = await redis.info('server');
  redis.disconnect();
  const { text, agree } = report(phases, s, /^redis_version:(.+)$/m.exec(info)?.[1]?.trim() ?? '?');
  const stamp = new Date().toISOString().slice(0, 16).replace(':', '');
  const file = path.join(args.out, `redis-layout-${stamp}.md`);
  mkdirSync(args.out, { recursive: true });
  writeFileSync(file, text);
  process.stdout.write(`${text}\nwritten to ${file}\n`);
  if (!agree) say('bench:redis-layout: the two layouts decided some clicks differently (see the outcomes table)');
  return agree ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    say(`bench:redis-layout: ${err instanceof Error ? err.message : String(err)} (--help)`);
    process.exit(2);
  },
);
