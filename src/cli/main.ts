/** The `tollbooth` command: dispatches to one module per command. */
import { ConfigError, loadConfig, type Config } from '../shared/config.ts';

type Command = (args: string[], config: Config) => Promise<number>;

const COMMANDS: Record<string, { describe: string; load: () => Promise<{ run: Command }> }> = {
  start: {
    describe:
      'start [--rate N]                           the whole system with demo traffic (npm start); Ctrl-C stops it',
    load: () => import('./commands/start.ts'),
  },
  loadgen: {
    describe: 'loadgen [--rate N] [--seconds S]           demo traffic into the ingest',
    load: () => import('./commands/loadgen.ts'),
  },
  services: {
    describe:
      'services up|down|stop|status|logs [name...] | systemd   install, start, stop Kafka, Flink, ClickHouse, Redis (supervised)',
    load: () => import('./commands/services.ts'),
  },
  status: {
    describe:
      'status [--json]                            health on one screen: processes, jobs, lag, newest final window',
    load: () => import('./commands/status.ts'),
  },
  supervise: {
    describe: 'supervise [--services] [--apps a,b]        the supervisor (started by `services up` and `start`)',
    load: () => import('./commands/supervise.ts'),
  },
  migrate: {
    describe: 'migrate up|down|status [--to NAME]         ClickHouse tables and Flink job deploys',
    load: () => import('./commands/migrate.ts'),
  },
  replay: {
    describe: 'replay --from TIME --to TIME               recompute final windows of a time range from Kafka',
    load: () => import('./commands/replay.ts'),
  },
  jobs: {
    describe: 'jobs status|ensure                         the deployed Flink jobs; restart lost ones from checkpoints',
    load: () => import('./commands/jobs.ts'),
  },
  ingest: {
    describe: 'ingest                                     run the HTTP ingest (POST /v1/clicks, GET /c/<token>)',
    load: () => import('./commands/ingest.ts'),
  },
  sink: {
    describe: 'sink                                       run the Kafka-to-ClickHouse sink',
    load: () => import('./commands/sink.ts'),
  },
  tail: {
    describe: 'tail clicks|clicks_rejected|pipeline_out [--max N]   print a topic from the beginning',
    load: () => import('./commands/tail.ts'),
  },
  links: {
    describe: 'links sign --ad AD --url URL [--expires 30d] print a signed click link',
    load: () => import('./commands/links.ts'),
  },
  campaigns: {
    describe: 'campaigns set|unset|list [AD] [CAMPAIGN] which campaign each ad belongs to',
    load: () => import('./commands/campaigns.ts'),
  },
  blocklist: {
    describe: 'blocklist add|remove|list ip|user [VALUE]  manage the blocklists',
    load: () => import('./commands/blocklist.ts'),
  },
  api: {
    describe: 'api                                        run the stats API (REST, /docs, /metrics, dashboard at /)',
    load: () => import('./commands/api.ts'),
  },
  keys: {
    describe:
      'keys create|list|revoke                    API keys: create --scope all|campaigns:C,..|ad-prefixes:P,..|ingest [--name N]',
    load: () => import('./commands/keys.ts'),
  },
  pg: {
    describe: 'pg                                         run the Postgres-wire endpoint (psql, read-only SQL)',
    load: () => import('./commands/pg.ts'),
  },
};

function usage(): void {
  console.error('usage: tollbooth <command> [args]\n');
  for (const c of Object.values(COMMANDS)) console.error(`  ${c.describe}`);
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name === undefined ? undefined : COMMANDS[name];
  if (command === undefined) {
    usage();
    return name === undefined || name === 'help' || name === '--help' ? 0 : 2;
  }
  const config = loadConfig();
  const { run } = await command.load();
  return run(args, config);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  },
);
