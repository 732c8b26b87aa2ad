/**
 * Migrations on a cluster: every replica keeps its own tables and its own schema_migrations, so
 * `migrate up`, `down` and `status` visit each replica of TOLLBOOTH_CLICKHOUSE_REPLICAS in turn
 * (one node: the one). A Flink migration deploys a job for the whole cluster: the first replica
 * to apply it deploys it, the others (and a replica that rejoins empty) only record it. `down`
 * reverts a job once, on the first replica.
 */
import type { Config } from '../shared/config.ts';
import type { Logger } from '../shared/logger.ts';
import { createMigrator, type Migrator, type MigratorTarget } from './migrator.ts';

export interface ReplicaMigrator {
  /** `host:port` of the replica, or undefined on one node. */
  address: string | undefined;
  migrator: Migrator;
}

/** What each replica has applied, read before any of them runs (a replica down stops here). */
async function appliedByReplica(config: Config, log: Logger): Promise<Map<string, Set<string>>> {
  const applied = new Map<string, Set<string>>();
  for (const address of config.clickhouse.replicas) {
    const m = await createMigrator(config, log, { address });
    try {
      const states = await m.status().catch((err: unknown) => {
        throw new Error(
          `ClickHouse replica ${address} does not answer (${String(err)}); start it, then run tollbooth migrate again`,
        );
      });
      applied.set(address, new Set(states.filter((s) => s.state !== 'pending').map((s) => s.name)));
    } finally {
      await m.close();
    }
  }
  return applied;
}

/**
 * Calls `run` with a migrator of each replica in turn, closing each after; returns the highest
 * exit code. `action` decides which Flink migrations a replica only records.
 */
export async function forEachReplica(
  config: Config,
  log: Logger,
  action: 'up' | 'down' | 'status',
  run: (r: ReplicaMigrator) => Promise<number>,
): Promise<number> {
  const { replicas } = config.clickhouse;
  if (replicas.length === 0) {
    const migrator = await createMigrator(config, log);
    return run({ address: undefined, migrator }).finally(() => migrator.close());
  }
  const applied = action === 'up' ? await appliedByReplica(config, log) : new Map<string, Set<string>>();
  let code = 0;
  for (const [i, address] of replicas.entries()) {
    const elsewhere = (name: string) => replicas.some((other) => other !== address && applied.get(other)?.has(name));
    const target: MigratorTarget = { address, recordOnly: action === 'down' ? () => i > 0 : elsewhere };
    const migrator = await createMigrator(config, log, target);
    try {
      code = Math.max(code, await run({ address, migrator }));
      if (action === 'up')
        applied.set(
          address,
          new Set((await migrator.status()).filter((s) => s.state !== 'pending').map((s) => s.name)),
        );
    } finally {
      await migrator.close();
    }
  }
  return code;
}
