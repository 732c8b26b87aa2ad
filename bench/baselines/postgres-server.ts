/**
 * A PostgreSQL server of the bench's own: Debian's package (installed with apt if missing),
 * a data folder under the bench's git-ignored work folder, a loopback port nothing else uses,
 * run as the `postgres` user (it refuses root), stopped by the bench when it is done.
 * Settings are the package defaults (fsync and synchronous_commit on): what a user gets.
 */
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { aptInstall } from '../../src/stack/apt.ts';
import { runCommand } from '../../src/stack/run.ts';
import { closedPort } from '../support/ports.ts';

const PG_ROOT = '/usr/lib/postgresql';

export interface PostgresServer {
  host: string;
  port: number;
  user: string;
  /** The postmaster: its descendants are the backends. */
  pid: number;
  createDatabase(name: string): Promise<void>;
  dropDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

function binDir(): string | undefined {
  const versions = existsSync(PG_ROOT)
    ? readdirSync(PG_ROOT)
        .filter((v) => existsSync(path.join(PG_ROOT, v, 'bin', 'initdb')))
        .sort()
    : [];
  const newest = versions.at(-1);
  return newest === undefined ? undefined : path.join(PG_ROOT, newest, 'bin');
}

const asPostgres = (bin: string, args: string[]) => runCommand('runuser', ['-u', 'postgres', '--', bin, ...args]);

async function admin(host: string, port: number, sql: string): Promise<void> {
  const client = new pg.Client({ host, port, user: 'postgres', database: 'postgres' });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function startPostgres(workDir: string, say: (m: string) => void): Promise<PostgresServer> {
  let bin = binDir();
  if (bin === undefined) {
    await aptInstall(['postgresql'], say);
    bin = binDir();
    if (bin === undefined) throw new Error('postgresql installed, but no initdb under /usr/lib/postgresql');
  }
  const dataDir = path.join(workDir, 'pgdata');
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    // The server refuses to run as root: its folder belongs to the package's `postgres` user.
    const id = async (flag: string) => Number((await runCommand('id', [flag, 'postgres'])).trim());
    chownSync(dataDir, await id('-u'), await id('-g'));
    say(`postgres: initdb ${dataDir}`);
    await asPostgres(path.join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust']);
  }
  const host = '127.0.0.1';
  const port = await closedPort();
  const options = `-p ${port} -k ${dataDir} -c listen_addresses=${host}`;
  await asPostgres(path.join(bin, 'pg_ctl'), [
    '-D',
    dataDir,
    '-o',
    options,
    '-l',
    path.join(dataDir, 'server.log'),
    '-w',
    'start',
  ]);
  const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  say(`postgres: running on ${host}:${port} (pid ${pid})`);
  // Databases left by an interrupted run: this server is the bench's own, so all of them go.
  const client = new pg.Client({ host, port, user: 'postgres', database: 'postgres' });
  await client.connect();
  const { rows } = await client.query<{ datname: string }>(
    "SELECT datname FROM pg_database WHERE datname LIKE 'bench\\_%'",
  );
  await client.end();
  for (const r of rows) await admin(host, port, `DROP DATABASE IF EXISTS ${r.datname}`);
  const pgBin = bin;
  return {
    host,
    port,
    user: 'postgres',
    pid,
    createDatabase: (name) => admin(host, port, `CREATE DATABASE ${name}`),
    dropDatabase: (name) => admin(host, port, `DROP DATABASE IF EXISTS ${name}`),
    stop: async () => {
      await asPostgres(path.join(pgBin, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
    },
  };
}
