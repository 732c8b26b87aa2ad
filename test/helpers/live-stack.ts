/**
 * A running ingest, sink and stats API as separate processes over a test pipeline (its own
 * topics, ClickHouse database, Flink job and Redis prefix), with an API key of scope `all`.
 * For tests that look at the system from outside: the fuzzer, and the logs' contents.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addKey } from '../../src/api/auth/keys-file.ts';
import { loadConfig, type Config } from '../../src/shared/config.ts';
import { cleanUp, closedPort, testEnv } from '../ingest/harness.ts';
import { startTestPipeline, type TestPipeline } from './pipeline.ts';
import { startTollbooth, type TollboothProcess } from './tollbooth-process.ts';

export interface LiveStack {
  pipeline: TestPipeline;
  config: Config;
  ingestUrl: string;
  apiUrl: string;
  apiKey: string;
  processes: TollboothProcess[];
  close(): Promise<void>;
}

export async function startLiveStack(area: string, extraEnv: Record<string, string> = {}): Promise<LiveStack> {
  const pipeline = await startTestPipeline(area);
  const keysDir = await mkdtemp(path.join(tmpdir(), 'tollbooth-live-keys-'));
  const env = await testEnv(area, {
    TOLLBOOTH_TOPIC_PREFIX: pipeline.config.kafka.topicPrefix,
    TOLLBOOTH_CLICKHOUSE_DATABASE: pipeline.config.clickhouse.database,
    TOLLBOOTH_API_KEYS_FILE: path.join(keysDir, 'api-keys.json'),
    TOLLBOOTH_INGEST_PORT: String(await closedPort()),
    TOLLBOOTH_API_PORT: String(await closedPort()),
    ...extraEnv,
  });
  const config = loadConfig(env);
  const { key } = await addKey(config.api.keysFile, { kind: 'all' }, `${area}-key`);
  const ingestUrl = `http://${config.host}:${config.ingest.port}`;
  const apiUrl = `http://${config.host}:${config.api.port}`;
  const processes: TollboothProcess[] = [];
  const close = async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await pipeline.close();
    await cleanUp(config);
    await rm(keysDir, { recursive: true, force: true });
  };
  try {
    processes.push(await startTollbooth('ingest', ['ingest'], env, `${ingestUrl}/readyz`));
    processes.push(await startTollbooth('api', ['api'], env, `${apiUrl}/readyz`));
    // The sink runs as a process of its own, alone in its consumer group (two would rebalance).
    await pipeline.sink.stop();
    processes.push(await startTollbooth('sink', ['sink'], env));
  } catch (err) {
    await close();
    throw err;
  }
  return { pipeline, config, ingestUrl, apiUrl, apiKey: key, processes, close };
}
