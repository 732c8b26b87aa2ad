/**
 * Where the docs' shell commands run: a test pipeline (its own topics, database and Flink job),
 * the reader's `tollbooth` on PATH, free ports for the apps the README starts, and the pages'
 * default ports (8080, 8090, 5433) rewritten to them, so a running system is never touched.
 */
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cleanUp, closedPort, testEnv } from '../ingest/harness.ts';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline.ts';
import { environmentWith, loadConfig } from '../../src/shared/config.ts';

export interface DocsEnvironment {
  env: Record<string, string | undefined>;
  ports: { ingest: number; api: number; pg: number; sink: number };
  logDir: string;
  pipeline: TestPipeline;
  /** The command as a reader types it, with the default ports replaced by this environment's. */
  localize(command: string): string;
  close(): Promise<void>;
}

export async function startDocsEnvironment(root: string): Promise<DocsEnvironment> {
  const pipeline = await startTestPipeline('docs');
  const ports = {
    ingest: await closedPort(),
    api: await closedPort(),
    pg: await closedPort(),
    sink: await closedPort(),
  };
  const scratch = await mkdtemp(path.join(tmpdir(), 'tollbooth-docs-'));
  // `tollbooth ...` as the API docs write it: the project's own bin, as `npm link` would give it.
  await symlink(path.join(root, 'bin', 'tollbooth.js'), path.join(scratch, 'tollbooth'));
  const env = await testEnv('docs', {
    TOLLBOOTH_TOPIC_PREFIX: pipeline.config.kafka.topicPrefix,
    TOLLBOOTH_CLICKHOUSE_DATABASE: pipeline.config.clickhouse.database,
    TOLLBOOTH_INGEST_PORT: String(ports.ingest),
    TOLLBOOTH_API_PORT: String(ports.api),
    TOLLBOOTH_PG_PORT: String(ports.pg),
    TOLLBOOTH_SINK_PORT: String(ports.sink),
    PATH: `${scratch}:${environmentWith({}).PATH ?? ''}`,
  });
  const localize = (command: string) =>
    command
      .replace(/(localhost|127\.0\.0\.1):8080\b/g, `127.0.0.1:${ports.ingest}`)
      .replace(/(localhost|127\.0\.0\.1):8090\b/g, `127.0.0.1:${ports.api}`)
      .replace(/-p 5433\b/g, `-p ${ports.pg}`);
  return {
    env,
    ports,
    logDir: scratch,
    pipeline,
    localize,
    close: async () => {
      await pipeline.close();
      await cleanUp(loadConfig(env));
      await rm(scratch, { recursive: true, force: true });
    },
  };
}
