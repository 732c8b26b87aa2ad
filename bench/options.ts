/** `npm run bench -- [flags]`: the bench's flags, parsed once. */
import { parseArgs } from 'node:util';

export const SYSTEMS = ['tollbooth', 'pg-upsert', 'pg-batched', 'clickhouse-raw'] as const;
export type SystemName = (typeof SYSTEMS)[number];

/**
 * The stats API's buckets are UTC minutes (the contract), and a bucket is final when its minute
 * is: the ledger and the freshness probes work per minute, whatever the job's window size.
 */
export const BUCKET_MS = 60_000;

export interface BenchOptions {
  /** Seconds of load per system. */
  seconds: number;
  /** Target clicks per second; 0 = as fast as each system takes them. */
  rate: number;
  /** Batches in flight: eight clients, as in the first measurement. */
  concurrency: number;
  seed: number;
  systems: SystemName[];
  json: boolean;
  /** Folder for `node --cpu-prof` profiles of the ingest and sink; none when undefined. */
  profileDir: string | undefined;
  /** Seconds between read-latency samples. */
  readEvery: number;
  outDir: string;
  /** `--compare REF`: Tollbooth from this checkout against REF's, alternated (bench/compare/). */
  compare: string | undefined;
  /** Rounds of A and B for --compare. */
  rounds: number;
}

const USAGE = `usage: npm run bench -- [--seconds 30] [--rate 0 (as fast as taken)] [--concurrency 8]
  [--systems ${SYSTEMS.join(',')}] [--seed 1] [--read-every 5] [--profile DIR] [--out bench/results] [--json]
  [--compare REF [--rounds 2]]   Tollbooth from this checkout against REF's (a commit), alternated`;

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      seconds: { type: 'string', default: '30' },
      rate: { type: 'string', default: '0' },
      concurrency: { type: 'string', default: '8' },
      seed: { type: 'string', default: '1' },
      systems: { type: 'string' },
      'read-every': { type: 'string', default: '5' },
      profile: { type: 'string' },
      out: { type: 'string', default: 'bench/results' },
      json: { type: 'boolean', default: false },
      compare: { type: 'string' },
      rounds: { type: 'string', default: '2' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.error(USAGE);
    process.exit(0);
  }
  const int = (name: string, v: string, min: number): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}\n${USAGE}`);
    return n;
  };
  if (values.compare !== undefined && (values.systems ?? 'tollbooth') !== 'tollbooth')
    throw new Error(`--compare runs Tollbooth only: leave out --systems\n${USAGE}`);
  const systems = (values.systems ?? (values.compare === undefined ? SYSTEMS.join(',') : 'tollbooth'))
    .split(',')
    .map((s) => s.trim());
  const unknown = systems.filter((s) => !(SYSTEMS as readonly string[]).includes(s));
  if (unknown.length > 0) throw new Error(`unknown system ${unknown.join(', ')}\n${USAGE}`);
  return {
    seconds: int('seconds', values.seconds, 5),
    rate: int('rate', values.rate, 0),
    concurrency: int('concurrency', values.concurrency, 1),
    seed: int('seed', values.seed, 0),
    systems: systems as SystemName[],
    json: values.json,
    profileDir: values.profile,
    readEvery: int('read-every', values['read-every'], 1),
    outDir: values.out,
    compare: values.compare,
    rounds: int('rounds', values.rounds, 1),
  };
}
