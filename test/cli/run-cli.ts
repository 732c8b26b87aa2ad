/**
 * Runs `node bin/tollbooth.js` as a user would, against a stack that does not exist: a stack
 * folder that is not there yet, an empty migrations folder and ports where nothing listens. A
 * command that loads its config creates the stack folder (its secrets); one that connects
 * anywhere is refused.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { environmentWith } from '../../src/shared/config.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The services and where the isolated run looks for them. */
export const PORT_VARIABLES = [
  'KAFKA_PORT',
  'KAFKA_CONTROLLER_PORT',
  'FLINK_REST_PORT',
  'SQL_GATEWAY_PORT',
  'FLINK_RPC_PORT',
  'CLICKHOUSE_HTTP_PORT',
  'CLICKHOUSE_NATIVE_PORT',
  'REDIS_PORT',
  'INGEST_PORT',
  'API_PORT',
  'PG_PORT',
  'SINK_PORT',
] as const;

/** A port nothing listens on: one the kernel just gave out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface IsolatedStack {
  stackDir: string;
  migrationsDir: string;
  ports: Record<(typeof PORT_VARIABLES)[number], number>;
  env: Record<string, string | undefined>;
  /** Whether anything was written: the stack folder exists, or a migration file appeared. */
  touched(): boolean;
}

export async function isolatedStack(): Promise<IsolatedStack> {
  const base = mkdtempSync(path.join(tmpdir(), 'tollbooth-cli-'));
  const stackDir = path.join(base, 'stack');
  const migrationsDir = mkdtempSync(path.join(base, 'migrations-'));
  const ports = {} as IsolatedStack['ports'];
  for (const name of PORT_VARIABLES) ports[name] = await closedPort();
  const env = environmentWith({
    TOLLBOOTH_STACK_DIR: stackDir,
    TOLLBOOTH_MIGRATIONS_DIR: migrationsDir,
    TOLLBOOTH_HOST: '127.0.0.1',
    TOLLBOOTH_TOPIC_PREFIX: 'test_cli_',
    TOLLBOOTH_API_KEYS_FILE: path.join(stackDir, 'api-keys.json'),
    TOLLBOOTH_SPOOL_DIR: path.join(stackDir, 'spool'),
    ...Object.fromEntries(PORT_VARIABLES.map((n) => [`TOLLBOOTH_${n}`, String(ports[n])])),
  });
  return {
    stackDir,
    migrationsDir,
    ports,
    env,
    touched: () => existsSync(stackDir) || readdirSync(migrationsDir).length > 0,
  };
}

/** `tollbooth <args>`; killed after `timeoutMs` (a command that acted instead of answering). */
export function runCli(
  args: string[],
  env: Record<string, string | undefined>,
  timeoutMs = 30_000,
): Promise<CliResult> {
  const child = spawn(process.execPath, [path.join(root, 'bin', 'tollbooth.js'), ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

/** The lines of a stream's text, without the final newline. */
export function lines(text: string): string[] {
  return text === '' ? [] : text.replace(/\n$/, '').split('\n');
}

/** A JavaScript stack frame, as Node prints them. */
export const STACK_FRAME = /^\s+at .+/m;
