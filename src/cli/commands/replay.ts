/** `tollbooth replay --from <time> --to <time> [--job NAME]`: recompute final windows from Kafka. */
import type { Config } from '../../shared/config.ts';
import { createClickHouse } from '../../shared/clickhouse.ts';
import { JobRegistry } from '../../flink/job-registry.ts';
import { ReplayRangeError, runReplay } from '../../flink/replay.ts';
import { JobNotDeployedError, deployedJobMigration } from '../../migrate/deployed-job.ts';

/** Epoch milliseconds or ISO-8601 with a zone. */
export function parseTime(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  if (!/(Z|[+-]\d\d:?\d\d)$/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

export async function run(args: string[], config: Config): Promise<number> {
  const at = (flag: string) => args[args.indexOf(flag) + 1];
  const fromMs = args.includes('--from') ? parseTime(at('--from')) : undefined;
  const toMs = args.includes('--to') ? parseTime(at('--to')) : undefined;
  if (fromMs === undefined || toMs === undefined) {
    console.error('usage: tollbooth replay --from <epoch ms | ISO-8601 with zone> --to <same> [--job clicks_pipeline]');
    return 2;
  }
  const clickhouse = createClickHouse(config);
  try {
    const job = args.includes('--job') ? (at('--job') ?? '') : 'clicks_pipeline';
    const deployed = await deployedJobMigration(config, new JobRegistry(clickhouse, config.clickhouse.database), job);
    const result = await runReplay(config, clickhouse, deployed, { fromMs, toMs }, (m) => console.error(m));
    console.log(
      `replay done: ${result.rowsEmitted} rows emitted (${Object.entries(result.byTable)
        .map(([t, n]) => `${t} ${n}`)
        .join(
          ', ',
        )}) for ${new Date(result.fromMs).toISOString()} .. ${new Date(result.toMs).toISOString()}; the sink writes them within seconds`,
    );
    return 0;
  } catch (err) {
    if (err instanceof ReplayRangeError || err instanceof JobNotDeployedError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  } finally {
    await clickhouse.close();
  }
}
