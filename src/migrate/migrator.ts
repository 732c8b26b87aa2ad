/**
 * One umzug runner for both targets: ClickHouse DDL and Flink job deploys. The migration log
 * and the job registry live in ClickHouse, in the configured database.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { Umzug } from 'umzug';
import type { Config } from '../shared/config.ts';
import { createClickHouse } from '../shared/clickhouse.ts';
import type { Logger } from '../shared/logger.ts';
import { JobDeployer } from '../flink/deploy.ts';
import { JobRegistry } from '../flink/job-registry.ts';
import { MIGRATIONS } from '../../migrations/index.ts';
import { ClickhouseMigrationStorage } from './clickhouse-storage.ts';
import { applyClickhouseFile, dropObjects, ensureDatabase } from './clickhouse-sql.ts';

/** What every migration receives. */
export interface MigrationContext {
  config: Config;
  clickhouse: ClickHouseClient;
  jobs: JobDeployer;
  /** Runs a file of sql/clickhouse/ against the configured database. */
  applyClickhouse: (file: string) => Promise<void>;
  /** Drops tables or views of the configured database. */
  dropClickhouse: (names: string[]) => Promise<void>;
}

export interface Migrator {
  umzug: Umzug<MigrationContext>;
  context: MigrationContext;
  close: () => Promise<void>;
}

export async function createMigrator(config: Config, log: Logger): Promise<Migrator> {
  const clickhouse = createClickHouse(config);
  await ensureDatabase(clickhouse, config);
  const storage = new ClickhouseMigrationStorage(clickhouse, config.clickhouse.database);
  await storage.ensureTable();
  const registry = new JobRegistry(clickhouse, config.clickhouse.database);
  await registry.ensureTable();
  const context: MigrationContext = {
    config,
    clickhouse,
    jobs: new JobDeployer(config, registry, log),
    applyClickhouse: (file) => applyClickhouseFile(clickhouse, config, file),
    dropClickhouse: (names) => dropObjects(clickhouse, config, names),
  };
  const umzug = new Umzug<MigrationContext>({
    migrations: MIGRATIONS,
    context,
    storage,
    logger: {
      info: (m) => log.info(m, 'migration'),
      warn: (m) => log.warn(m, 'migration'),
      error: (m) => log.error(m, 'migration'),
      debug: () => {},
    },
  });
  return { umzug, context, close: () => clickhouse.close() };
}
