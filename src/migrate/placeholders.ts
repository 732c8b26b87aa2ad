/**
 * The placeholders a ClickHouse migration may use, filled by the runner from the typed config:
 * the fixed set below and nothing else (docs/migrations.md lists the same). ClickHouse 18.16
 * does not qualify table names inside a view's subqueries, so ClickHouse files name the
 * database. A Flink job's placeholders live with the job's rendering (src/flink/job-placeholders.ts).
 */
import type { Config } from '../shared/config.ts';
import { sqlIdentifier } from '../shared/clickhouse.ts';

/** For ClickHouse files. */
export function clickhousePlaceholders(config: Config): Record<string, string | number> {
  return {
    DB: sqlIdentifier(config.clickhouse.database),
    WINDOW_SECONDS: config.pipeline.windowSeconds,
  };
}
