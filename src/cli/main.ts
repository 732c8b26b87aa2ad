/**
 * The `tollbooth` command. The line is read against the commands' specs first: help and
 * refusals are answered before any config is loaded, so exploring never acts. Then the command
 * runs; an error is one line on stderr, with its stack only under --verbose.
 */
import { loadConfig, type Config } from '../shared/config.ts';
import { logger } from '../shared/logger.ts';
import { parseCommandLine } from './args.ts';
import { describeError } from './errors.ts';
import { COMMANDS } from './registry.ts';
import { renderUsage } from './usage.ts';

/** An error as one line on stderr; its stack too under --verbose. */
function report(err: unknown, config: Config | undefined, verbose: boolean): void {
  process.stderr.write(`tollbooth: ${describeError(err, config)}\n`);
  if (verbose) process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
}

async function main(argv: string[]): Promise<number> {
  const line = parseCommandLine(COMMANDS, argv, (path) => renderUsage(COMMANDS, path));
  if (line.kind === 'help') {
    process.stdout.write(line.text);
    return 0;
  }
  if (line.kind === 'refused') {
    process.stderr.write(`tollbooth: ${line.message}\n`);
    return 2;
  }
  const inv = line.invocation;
  const command = COMMANDS[inv.path[0] ?? ''];
  if (command === undefined) return 2;
  if (command.quiet && !inv.verbose) logger.level = 'silent';
  let config: Config | undefined;
  // A library's error outside any await of ours ends the process as Node would (exit 1), in one line.
  const crash = (err: unknown) => {
    report(err, config, inv.verbose);
    process.exit(1);
  };
  process.once('uncaughtException', crash);
  process.once('unhandledRejection', crash);
  try {
    config = loadConfig();
    const { run } = await command.load();
    return await run(inv, config);
  } catch (err) {
    report(err, config, inv.verbose);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    // Only a fault of this file itself lands here; commands' errors are handled above.
    console.error(err);
    process.exit(1);
  },
);
