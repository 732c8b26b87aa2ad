/**
 * The migrations, in order. Listed here (not globbed) so they load the same way under the CLI
 * and under the test runner; a unit test checks that every file of this folder is listed.
 */
import type { MigrationContext } from '../src/migrate/migrator.ts';
import * as m0000 from './0000_kafka_topics.ts';
import * as m0001 from './0001_clickhouse_tables.ts';
import * as m0002 from './0002_clickhouse_views.ts';
import * as m0003 from './0003_deploy_clicks_pipeline.ts';
import * as m0004 from './0004_minute_view_without_tuples.ts';

type Step = (params: { context: MigrationContext }) => Promise<void>;

export const MIGRATIONS: Array<{ name: string; up: Step; down: Step }> = [
  { name: '0000_kafka_topics', ...m0000 },
  { name: '0001_clickhouse_tables', ...m0001 },
  { name: '0002_clickhouse_views', ...m0002 },
  { name: '0003_deploy_clicks_pipeline', ...m0003 },
  { name: '0004_minute_view_without_tuples', ...m0004 },
];
