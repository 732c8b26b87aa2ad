/** `tollbooth migrate status | up [--to NAME] | down [--to NAME|0] | new NAME [--flink]` */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../shared/config.ts';
import { logger } from '../../shared/logger.ts';
import { ChangedMigrationError, type Migrator } from '../../migrate/migrator.ts';
import { forEachReplica } from '../../migrate/replica-runs.ts';
import { nextMigrationName } from '../../migrate/migration-files.ts';
import { migrationTemplate } from '../../migrate/new-migration.ts';
import { flag, option, type Invocation } from '../args.ts';

function createFile(config: Config, inv: Invocation): number {
  const name = inv.positionals[0] ?? '';
  const flink = flag(inv, 'flink');
  const file = nextMigrationName(config.migrationsDir, name, flink);
  writeFileSync(path.join(config.migrationsDir, file), migrationTemplate(name, flink), { flag: 'wx' });
  console.log(`created migrations/${file}`);
  return 0;
}

async function runOn(migrator: Migrator, action: string | undefined, to: string | undefined): Promise<number> {
  try {
    if (action === 'up') {
      const { applied, baseline } = await migrator.up(to === undefined ? {} : { to });
      if (baseline === 'baselined')
        console.log('baselined: this database was made by the old migrations; recorded it under the SQL history');
      console.log(applied.length === 0 ? 'up to date' : applied.map((m) => `applied ${m}`).join('\n'));
    } else if (action === 'down') {
      const { reverted } = await migrator.down(to === undefined ? {} : { to: to === '0' ? 0 : to });
      console.log(reverted.length === 0 ? 'nothing to revert' : reverted.map((m) => `reverted ${m}`).join('\n'));
    } else {
      const states = await migrator.status();
      for (const s of states)
        console.log(
          `${s.state.padEnd(8)} ${s.file || s.name}${s.state === 'changed' ? '   <- edited after it was applied' : ''}`,
        );
      return states.some((s) => s.state === 'changed' || s.state === 'missing') ? 1 : 0;
    }
    return 0;
  } catch (err) {
    if (err instanceof ChangedMigrationError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
}

export async function run(inv: Invocation, config: Config): Promise<number> {
  const action = inv.path[1];
  if (action === 'new') return createFile(config, inv);
  const to = option(inv, 'to');
  const kind = action === 'up' || action === 'down' ? action : 'status';
  // On a cluster each replica in turn, under a heading that names it.
  return forEachReplica(config, logger, kind, async ({ address, migrator }) => {
    if (address !== undefined) console.log(`== ClickHouse replica ${address}`);
    return runOn(migrator, action, to);
  });
}
