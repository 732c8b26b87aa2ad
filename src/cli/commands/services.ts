/** `tollbooth services up | down | status | logs [service...]` */
import path from 'node:path';
import type { Config } from '../../shared/config.ts';
import { writeClickHouseConfig } from '../services/clickhouse.ts';
import { stackContext } from '../services/service.ts';
import { tail } from '../services/process.ts';
import { servicesDown, servicesReady, servicesStatus, servicesUp } from '../services/stack.ts';
import { runCommand, waitUntil } from '../services/run.ts';

const progress = (m: string) => process.stderr.write(`• ${m}\n`);

export async function run(args: string[], config: Config): Promise<number> {
  const [action, ...names] = args;
  switch (action) {
    case 'up': {
      if (names.includes('--docker')) return dockerUp(config);
      const started = Date.now();
      const reports = await servicesUp(config, names, progress);
      for (const r of reports) console.log(`${r.ok ? 'up  ' : 'DOWN'} ${r.name.padEnd(10)} ${r.endpoint}  ${r.detail}`);
      console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
      return reports.every((r) => r.ok) ? 0 : 1;
    }
    case 'down':
      await servicesDown(config, names, progress);
      return 0;
    case 'status':
      for (const s of servicesStatus(config, names)) {
        const state = s.pid === undefined ? 'stopped' : `running (pid ${s.pid})`;
        console.log(`${s.process.padEnd(18)} ${state.padEnd(22)} ${s.endpoint}\n${' '.repeat(19)}log: ${s.log}`);
      }
      return 0;
    case 'logs':
      for (const s of servicesStatus(config, names)) console.log(`--- ${s.process} (${s.log})\n${tail(s.log, 40)}`);
      return 0;
    default:
      console.error('usage: tollbooth services up|down|status|logs [redis|clickhouse|kafka|flink ...]');
      return 2;
  }
}

/** Where a Docker engine exists: the same services from docker-compose.yml (not run in our CI). */
async function dockerUp(config: Config): Promise<number> {
  // The same users and passwords as the native stack: users.xml written here, Redis's password passed in.
  const usersXml = path.join(path.dirname(writeClickHouseConfig(stackContext(config))), 'users.xml');
  const env = { TOLLBOOTH_CLICKHOUSE_USERS_XML: usersXml, TOLLBOOTH_REDIS_PASSWORD: config.redis.password };
  await runCommand('docker', ['compose', '-f', `${config.repoRoot}/docker-compose.yml`, 'up', '-d'], { echo: 'docker', env });
  // Five minutes: image pulls on a first run.
  const ok = await waitUntil(() => servicesReady(config), 300_000, 1000);
  console.log(ok ? 'all services answer' : 'services did not answer within 5 minutes: docker compose logs');
  return ok ? 0 : 1;
}
