/** The `tollbooth` command: dispatches to one module per command. */
import { ConfigError, loadConfig, type Config } from '../shared/config.ts';

type Command = (args: string[], config: Config) => Promise<number>;

const COMMANDS: Record<string, { describe: string; load: () => Promise<{ run: Command }> }> = {
  services: { describe: 'services up|down|status|logs [name...]   install, start and stop Kafka, Flink, ClickHouse, Redis', load: () => import('./commands/services.ts') },
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
