/**
 * Reproduces the ClickHouse 18.16 segfaults that Tollbooth must never trigger (docs/stack.md,
 * "ClickHouse 18.16 crashes"), on a throwaway server of its own: free loopback ports, a temporary
 * data folder, removed at the end. Never aimed at the stack's server.
 *   create-insert: one loop drops and re-creates a MergeTree table, three loops INSERT into it;
 *   drop-create:   three loops create a database and five tables in it, one loop drops it.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { closedPort } from '../support/ports.ts';

const USAGE = `usage: npx tsx bench/clickhouse-crash/repro.ts [--race create-insert|drop-create] [--seconds 60]
Starts its own ClickHouse on free loopback ports, runs the race until the server dies or the
time is up, prints one line: "ClickHouse crashed after …" or "no crash in …", and removes
what it made. Exit 1 only when the throwaway server cannot be started.`;
const RACES = ['create-insert', 'drop-create'] as const;
type Race = (typeof RACES)[number];

const TABLE = (name: string) =>
  `CREATE TABLE IF NOT EXISTS ${name} (ad_id String, window_start DateTime, clicks UInt64) ` +
  'ENGINE = ReplacingMergeTree PARTITION BY toYYYYMM(window_start) ORDER BY (ad_id, window_start)';

function writeConfig(dir: string, http: number, native: number): string {
  writeFileSync(
    path.join(dir, 'users.xml'),
    '<yandex><profiles><default/></profiles><quotas><default/></quotas><users><default><password></password>' +
      '<networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users></yandex>\n',
  );
  const file = path.join(dir, 'config.xml');
  writeFileSync(
    file,
    `<yandex><logger><level>warning</level><log>${dir}/server.log</log><errorlog>${dir}/server.err.log</errorlog></logger>
<listen_host>127.0.0.1</listen_host><http_port>${http}</http_port><tcp_port>${native}</tcp_port>
<path>${dir}/data/</path><tmp_path>${dir}/data/tmp/</tmp_path><users_config>${dir}/users.xml</users_config>
<mark_cache_size>67108864</mark_cache_size><default_profile>default</default_profile><default_database>default</default_database>
<timezone>UTC</timezone></yandex>\n`,
  );
  return file;
}

async function race(kind: Race, url: string, until: () => boolean): Promise<number> {
  let statements = 0;
  const q = async (sql: string) => {
    // Refusals (a table that is not there yet) are part of the race; a dead server ends it.
    await fetch(url, { method: 'POST', body: sql }).then((r) => r.text());
    statements++;
  };
  const loop = async (step: () => Promise<void>) => {
    while (!until()) await step().catch(() => sleep(5));
  };
  const loops =
    kind === 'create-insert'
      ? [
          loop(async () => {
            await q('DROP TABLE IF EXISTS default.race_t');
            await q(TABLE('default.race_t'));
          }),
          ...[1, 2, 3].map(() => loop(() => q("INSERT INTO default.race_t VALUES ('ad-1', now(), 1)"))),
        ]
      : [
          ...[1, 2, 3].map(() =>
            loop(async () => {
              await q('CREATE DATABASE IF NOT EXISTS race_db');
              for (let t = 0; t < 5; t++) await q(TABLE(`race_db.t${t}`));
            }),
          ),
          loop(async () => {
            await sleep(Math.random() * 30);
            await q('DROP DATABASE IF EXISTS race_db');
          }),
        ];
  await Promise.all(loops);
  return statements;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      race: { type: 'string', default: 'create-insert' },
      seconds: { type: 'string', default: '60' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const kind = values.race as Race;
  const seconds = Number(values.seconds);
  if (!RACES.includes(kind)) throw new Error(`--race must be one of ${RACES.join(', ')}`);
  if (!Number.isInteger(seconds) || seconds < 1) throw new Error('--seconds must be a whole number ≥ 1');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tollbooth-ch-crash-'));
  const [http, native] = [await closedPort(), await closedPort()];
  const server = spawn('/usr/sbin/clickhouse-server', [`--config-file=${writeConfig(dir, http, native)}`], {
    stdio: 'ignore',
  });
  let exited = false;
  server.once('exit', () => (exited = true));
  const url = `http://127.0.0.1:${http}/`;
  try {
    for (
      let i = 0;
      !(await fetch(`${url}?query=SELECT%201`).then(
        (r) => r.ok,
        () => false,
      ));
      i++
    ) {
      if (exited || i > 120) throw new Error(`the throwaway ClickHouse did not start: see ${dir}/server.err.log`);
      await sleep(250);
    }
    const started = Date.now();
    const deadline = started + seconds * 1000;
    const statements = await race(kind, url, () => exited || Date.now() > deadline);
    await sleep(500);
    if (!exited) {
      console.log(`${kind}: no crash in ${seconds} s (${statements} statements)`);
      return 0;
    }
    const log = readFileSync(path.join(dir, 'server.err.log'), 'utf8');
    const signal = /Received signal ([^\n]+?)\.?\n/.exec(log)?.[1] ?? 'no signal logged';
    // "0. /lib/…/libclickhouse.so.18.16(DB::BackgroundProcessingPoolTaskInfo::wake()+0x2f) [0x7f…]"
    const frame = /BaseDaemon: 0\. [^(]*\((.*)\) \[0x/.exec(log)?.[1] ?? 'no frame logged';
    const after = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`${kind}: ClickHouse crashed after ${after} s (${statements} statements): ${signal} in ${frame}`);
    return 0;
  } finally {
    if (!exited) {
      server.kill('SIGKILL');
      await once(server, 'exit');
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`repro: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
