/** `tollbooth replay --from <time> --to <time>`: recompute final windows from Kafka. */
import type { Config } from '../../shared/config.ts';
import { createClickHouse } from '../../shared/clickhouse.ts';
import { ReplayRangeError, runReplay } from '../../replay/replay.ts';

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
    console.error('usage: tollbooth replay --from <epoch ms | ISO-8601 with zone> --to <same>');
    return 2;
  }
  const clickhouse = createClickHouse(config);
  try {
    const result = await runReplay(config, clickhouse, { fromMs, toMs }, (m) => console.error(m));
    console.log(
      `replay done: ${result.rowsEmitted} rows emitted (${Object.entries(result.byTable)
        .map(([t, n]) => `${t} ${n}`)
        .join(
          ', ',
        )}) for ${new Date(result.fromMs).toISOString()} .. ${new Date(result.toMs).toISOString()}; the sink writes them within seconds`,
    );
    return 0;
  } catch (err) {
    if (err instanceof ReplayRangeError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  } finally {
    await clickhouse.close();
  }
}
