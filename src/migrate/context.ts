/** What every migration receives (TypeScript migrations use it; SQL files get it through the runner). */
import type { ClickHouseClient } from '@clickhouse/client';
import type { Config } from '../shared/config.ts';
import type { JobDeployer } from '../flink/deploy.ts';

export interface MigrationContext {
  config: Config;
  clickhouse: ClickHouseClient;
  jobs: JobDeployer;
}
