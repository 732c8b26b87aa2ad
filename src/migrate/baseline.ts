/**
 * Brings a database made before migrations were SQL files under the new history (Flyway's
 * baseline). The old runner applied five TypeScript migrations that read edited SQL files; the
 * schema they left is exactly what the new files 0000-0003 make, so those are recorded as applied
 * (with their checksums) and the old names are marked `baselined`. Nothing in the schema changes.
 */
import type { ClickhouseMigrationStorage } from './clickhouse-storage.ts';
import type { MigrationFile } from './migration-files.ts';

/** The old runner's migrations, all of which must be applied for a baseline. */
export const LEGACY_MIGRATIONS = [
  '0000_kafka_topics',
  '0001_clickhouse_tables',
  '0002_clickhouse_views',
  '0003_deploy_clicks_pipeline',
  '0004_minute_view_without_tuples',
] as const;

/** The new files that reproduce the legacy schema. */
export const BASELINE_MIGRATIONS = ['0000_kafka_topics', '0001_tables', '0002_views', '0003_clicks_pipeline'] as const;

export type BaselineOutcome = 'not-needed' | 'baselined';

export async function baselineLegacyLog(
  storage: ClickhouseMigrationStorage,
  files: MigrationFile[],
): Promise<BaselineOutcome> {
  const applied = new Map((await storage.applied()).map((m) => [m.name, m.checksum]));
  const legacy = LEGACY_MIGRATIONS.filter((n) => applied.has(n));
  // A legacy log leaves 0000_kafka_topics without a checksum; a new one always records it.
  const isLegacy = legacy.length > 0 && applied.get('0000_kafka_topics') === '' && !applied.has('0001_tables');
  if (!isLegacy) return 'not-needed';
  if (legacy.length !== LEGACY_MIGRATIONS.length) {
    throw new Error(
      `cannot baseline: the old log has ${legacy.join(', ')} applied but not all of ${LEGACY_MIGRATIONS.join(', ')}; run the old release's "migrate up" first`,
    );
  }
  for (const name of BASELINE_MIGRATIONS) {
    const file = files.find((f) => f.name === name);
    if (file === undefined) throw new Error(`cannot baseline: migrations/${name} is missing`);
    await storage.record(name, 'up', file.checksum);
  }
  for (const name of LEGACY_MIGRATIONS)
    if (!(BASELINE_MIGRATIONS as readonly string[]).includes(name)) await storage.record(name, 'baselined');
  return 'baselined';
}
