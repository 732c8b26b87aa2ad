/** Every fault scenario by name: what is injected, and how. */
import { setTimeout as sleep } from 'node:timers/promises';
import { pidFile, stackContext } from '../../src/stack/service.ts';
import { killApp, killService, type Inject } from './scenario.ts';
import { pidOf } from './setup.ts';

export const SCENARIOS: Record<string, Inject> = {
  'SIGKILL Flink TaskManager': killService('flink-taskmanager'),
  'SIGKILL Flink JobManager': killService('flink-jobmanager'),
  'SIGKILL Flink SQL Gateway': killService('flink-sql-gateway'),
  'SIGKILL Kafka broker': killService('kafka'),
  'SIGKILL ClickHouse': killService('clickhouse'),
  'SIGKILL sink': killApp('sink'),
  'SIGKILL ingest (clients resend)': killApp('ingest'),
  // A restart: SIGTERM, so Redis writes its AOF out as it stops; the supervisor starts it again.
  'Redis restart (AOF)': async (run) => void process.kill(pidOf(pidFile(stackContext(run.stack), 'redis')), 'SIGTERM'),
  'SIGKILL TaskManager, then Kafka 5 s later': async (run) => {
    await killService('flink-taskmanager')(run);
    await sleep(5000);
    await killService('kafka')(run);
  },
};
