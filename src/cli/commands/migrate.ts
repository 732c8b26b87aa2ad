/** `tollbooth migrate up [--to NAME] | down [--to NAME|0] | status` */
import type { Config } from '../../shared/config.ts';
import { logger } from '../../shared/logger.ts';
import { createMigrator } from '../../migrate/migrator.ts';

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

export async function run(args: string[], config: Config): Promise<number> {
  const [action, ...rest] = args;
  if (!['up', 'down', 'status'].includes(action ?? '')) {
    console.error('usage: tollbooth migrate up [--to NAME] | down [--to NAME|0] | status');
    return 2;
  }
  const migrator = await createMigrator(config, logger);
  try {
    const to = option(rest, '--to');
    if (action === 'up') {
      const done = await migrator.umzug.up(to === undefined ? {} : { to });
      console.log(done.length === 0 ? 'up to date' : done.map((m) => `applied ${m.name}`).join('\n'));
    } else if (action === 'down') {
      const done = await migrator.umzug.down(to === undefined ? {} : { to: to === '0' ? 0 : to });
      console.log(done.length === 0 ? 'nothing to revert' : done.map((m) => `reverted ${m.name}`).join('\n'));
    } else {
      for (const m of await migrator.umzug.executed()) console.log(`applied  ${m.name}`);
      for (const m of await migrator.umzug.pending()) console.log(`pending  ${m.name}`);
    }
    return 0;
  } finally {
    await migrator.close();
  }
}
