/** `tollbooth pg`: runs the Postgres-wire endpoint alone, until SIGTERM/SIGINT. */
import type { Config } from '../../shared/config.ts';
import type { Invocation } from '../args.ts';
import { startPgEndpoint } from '../../api/pg/main.ts';

export async function run(_inv: Invocation, config: Config): Promise<number> {
  const pg = await startPgEndpoint(config);
  console.error(
    `psql -h ${config.host} -p ${pg.port} -U analyst ${config.clickhouse.database}   (password: an API key of scope "all")`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  await pg.close();
  return 0;
}
