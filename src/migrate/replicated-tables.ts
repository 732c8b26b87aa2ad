/**
 * Moves the project's MergeTree tables to their Replicated* engines on a cluster (migration
 * 0010), and back (its `down`); on one node it does nothing. Each table is converted where it is:
 * a replicated twin is made from SHOW CREATE TABLE (same columns, key and settings; ZooKeeper
 * path /clickhouse/tables/{shard}/<database>/<table>), every partition of the old table is
 * attached to it (ATTACH PARTITION ID ... FROM: parts are hard-linked, not copied), the counts are
 * compared, and the two are swapped by RENAME; views name tables, so they follow.
 *
 * A replica that comes back empty (its disk lost) is still known to ZooKeeper: CREATE would be
 * refused ("Replica ... already exists"), so its twin is ATTACHed with the same definition instead,
 * and ClickHouse fetches every part it lacks from the other replica. schema_migrations stays
 * local: each replica has its own history. Run it with the sinks stopped (in the compose file
 * `migrate` runs before them): a row written to the old table during the swap would be lost.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { Config } from '../shared/config.ts';
import { sqlIdentifier, sqlString } from '../shared/clickhouse.ts';

/** Tables every replica keeps for itself. */
const LOCAL_TABLES = new Set(['schema_migrations']);
const TWIN = '__twin';
const OLD = '__old';

async function rows<T>(client: ClickHouseClient, query: string): Promise<T[]> {
  return (await (await client.query({ query, format: 'JSONEachRow' })).json()) as T[];
}

async function macro(client: ClickHouseClient, name: string): Promise<string> {
  const [found] = await rows<{ substitution: string }>(
    client,
    `SELECT substitution FROM system.macros WHERE macro = ${sqlString(name)}`,
  );
  if (found === undefined)
    throw new Error(`ClickHouse has no <macros><${name}>; render its config with tollbooth images configure`);
  return found.substitution;
}

/** The table's ZooKeeper path, with the {shard} macro as ClickHouse substitutes it. */
const zkPath = (shard: string, db: string, table: string) => `/clickhouse/tables/${shard}/${db}/${table}`;

async function replicaKnown(client: ClickHouseClient, path: string, replica: string): Promise<boolean> {
  try {
    const names = await rows<{ name: string }>(
      client,
      `SELECT name FROM system.zookeeper WHERE path = ${sqlString(`${path}/replicas`)}`,
    );
    return names.some((n) => n.name === replica);
  } catch (err) {
    // 18.16 answers a path that does not exist with an error (Coordination::Exception: No node).
    if (err instanceof Error && /No node/.test(err.message)) return false;
    throw err;
  }
}

async function tablesWith(client: ClickHouseClient, db: string, replicated: boolean): Promise<string[]> {
  const found = await rows<{ name: string }>(
    client,
    `SELECT name FROM system.tables WHERE database = ${sqlString(db)} AND engine LIKE '%MergeTree' AND engine ${replicated ? '' : 'NOT '}LIKE 'Replicated%' ORDER BY name`,
  );
  return found.map((t) => t.name).filter((n) => !LOCAL_TABLES.has(n) && !n.endsWith(TWIN) && !n.endsWith(OLD));
}

async function createStatement(client: ClickHouseClient, db: string, table: string): Promise<string> {
  const [row] = await rows<{ statement: string }>(client, `SHOW CREATE TABLE ${db}.${table}`);
  if (row === undefined) throw new Error(`SHOW CREATE TABLE ${db}.${table} answered nothing`);
  return row.statement;
}

const ENGINE = /ENGINE = (Replicated)?(\w*MergeTree)(?:\(([^)]*)\))?/;

/** The statement with the twin's name and the engine made replicated (or not). */
export function twinStatement(statement: string, db: string, table: string, replicatedPath?: string): string {
  const renamed = statement.replace(`CREATE TABLE ${db}.${table} `, `CREATE TABLE ${db}.${table}${TWIN} `);
  if (renamed === statement)
    throw new Error(`unexpected SHOW CREATE TABLE for ${db}.${table}: ${statement.slice(0, 80)}`);
  return renamed.replace(ENGINE, (_all, _replicated: string | undefined, engine: string, args: string | undefined) => {
    const rest = (args ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean);
    if (replicatedPath === undefined)
      return `ENGINE = ${engine}${rest.length > 2 ? `(${rest.slice(2).join(', ')})` : ''}`;
    const all = [sqlString(replicatedPath), "'{replica}'", ...rest];
    return `ENGINE = Replicated${engine}(${all.join(', ')})`;
  });
}

async function count(client: ClickHouseClient, table: string): Promise<number> {
  const [row] = await rows<{ n: string }>(client, `SELECT count() AS n FROM ${table}`);
  return Number(row?.n ?? 0);
}

/** Builds the twin, moves every partition into it, checks the counts, swaps the names. */
async function convert(client: ClickHouseClient, db: string, table: string, twinSql: string): Promise<void> {
  const name = `${db}.${table}`;
  await client.command({ query: twinSql });
  const partitions = await rows<{ partition_id: string }>(
    client,
    `SELECT DISTINCT partition_id FROM system.parts WHERE database = ${sqlString(db)} AND table = ${sqlString(table)} AND active`,
  );
  for (const p of partitions)
    await client.command({
      query: `ALTER TABLE ${name}${TWIN} ATTACH PARTITION ID ${sqlString(p.partition_id)} FROM ${name}`,
    });
  const [before, after] = [await count(client, name), await count(client, `${name}${TWIN}`)];
  // A twin that fetched rows from another replica may hold more; fewer means rows were written meanwhile.
  if (after < before)
    throw new Error(
      `${name}: ${before} rows, its replicated twin ${after}; stop the sinks and run tollbooth migrate up again`,
    );
  await client.command({ query: `RENAME TABLE ${name} TO ${name}${OLD}, ${name}${TWIN} TO ${name}` });
  await client.command({ query: `DROP TABLE ${name}${OLD}` });
}

/** Drops twins an interrupted run left behind (a replicated one leaves ZooKeeper with it). */
async function dropLeftovers(client: ClickHouseClient, db: string): Promise<void> {
  const left = await rows<{ name: string }>(
    client,
    `SELECT name FROM system.tables WHERE database = ${sqlString(db)} AND name LIKE ${sqlString(`%${TWIN}`)}`,
  );
  for (const t of left) await client.command({ query: `DROP TABLE ${db}.${sqlIdentifier(t.name)}` });
}

/** `up`: every non-replicated MergeTree table of the database becomes Replicated* (clusters only). */
export async function replicateTables(client: ClickHouseClient, config: Config): Promise<string[]> {
  if (config.clickhouse.replicas.length === 0) return [];
  const db = sqlIdentifier(config.clickhouse.database);
  const [shard, replica] = [await macro(client, 'shard'), await macro(client, 'replica')];
  await dropLeftovers(client, db);
  const tables = await tablesWith(client, db, false);
  for (const table of tables) {
    const path = zkPath(shard, db, table);
    let twin = twinStatement(
      await createStatement(client, db, table),
      db,
      table,
      path.replace(`/${shard}/`, '/{shard}/'),
    );
    // A replica that lost its disk: ZooKeeper still knows it, so it rejoins by ATTACH and refetches.
    if (await replicaKnown(client, path, replica)) twin = twin.replace(/^CREATE TABLE/, 'ATTACH TABLE');
    await convert(client, db, table, twin);
  }
  return tables;
}

/** `down`: every Replicated* table of the database back to its plain engine (this replica only). */
export async function unreplicateTables(client: ClickHouseClient, config: Config): Promise<string[]> {
  if (config.clickhouse.replicas.length === 0) return [];
  const db = sqlIdentifier(config.clickhouse.database);
  await dropLeftovers(client, db);
  const tables = await tablesWith(client, db, true);
  for (const table of tables)
    await convert(client, db, table, twinStatement(await createStatement(client, db, table), db, table));
  return tables;
}
