/**
 * Errors are one line that says what to do; the stack only with --verbose. A dependency that is
 * down is named with its address; a bad setting is named by its environment variable.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { STACK_FRAME, isolatedStack, lines, runCli, type IsolatedStack } from './run-cli.ts';

let stack: IsolatedStack;
beforeAll(async () => {
  stack = await isolatedStack();
});

async function oneLineError(args: string[], env: Record<string, string | undefined> = stack.env): Promise<string> {
  const result = await runCli(args, env);
  expect(result.code).toBe(1);
  expect(STACK_FRAME.test(result.stderr)).toBe(false);
  expect(lines(result.stderr)).toHaveLength(1);
  return result.stderr.trim();
}

describe.concurrent('one line, no stack', () => {
  it('a bad migration name', async () => {
    expect(await oneLineError(['migrate', 'new', 'BadName'])).toBe(
      'tollbooth: migration name "BadName": use snake_case letters, digits and _',
    );
  });

  it('a mistyped service name', async () => {
    expect(await oneLineError(['services', 'status', 'redsi'])).toBe(
      'tollbooth: unknown service "redsi" (known: redis, clickhouse, kafka, flink)',
    );
  });

  it('ClickHouse down: jobs status names it, its address and what to do', async () => {
    const port = stack.ports.CLICKHOUSE_HTTP_PORT;
    expect(await oneLineError(['jobs', 'status'])).toBe(
      `tollbooth: ClickHouse at 127.0.0.1:${port} does not answer (connect ECONNREFUSED); start the services with \`tollbooth services up\``,
    );
  });

  it('Redis down: blocklist list names it, its address and what to do', async () => {
    const port = stack.ports.REDIS_PORT;
    expect(await oneLineError(['blocklist', 'list', 'ip'])).toBe(
      `tollbooth: Redis at 127.0.0.1:${port} does not answer; start the services with \`tollbooth services up\``,
    );
  });

  it('status with everything down reports on stdout and writes nothing to stderr', async () => {
    const result = await runCli(['status'], stack.env);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^NOT HEALTHY: /);
    expect(result.stderr).toBe('');
  });

  it('a bad port names its variable', async () => {
    expect(await oneLineError(['keys', 'list'], { ...stack.env, TOLLBOOTH_KAFKA_PORT: 'abc' })).toBe(
      "tollbooth: TOLLBOOTH_KAFKA_PORT: expected a port number (1-65535), got 'abc'",
    );
  });

  it('a bad number names its variable', async () => {
    expect(await oneLineError(['keys', 'list'], { ...stack.env, TOLLBOOTH_WINDOW_SECONDS: '0' })).toBe(
      "tollbooth: TOLLBOOTH_WINDOW_SECONDS: expected a whole number above 0, got '0'",
    );
  });

  it('a too-short password names its variable', async () => {
    expect(await oneLineError(['keys', 'list'], { ...stack.env, TOLLBOOTH_REDIS_PASSWORD: 'short' })).toBe(
      'tollbooth: TOLLBOOTH_REDIS_PASSWORD: at least 16 characters are required',
    );
  });
});

describe.concurrent('--verbose adds the stack', () => {
  it.each([
    [['migrate', 'new', 'BadName']],
    [['--verbose', 'jobs', 'status']],
    [['blocklist', 'list', 'ip', '--verbose']],
  ])('tollbooth %j', async (args) => {
    const result = await runCli(args.includes('--verbose') ? args : [...args, '--verbose'], stack.env);
    expect(result.code).toBe(1);
    // The libraries' own logs come back too: --verbose hides nothing.
    expect(result.stderr).toMatch(/^tollbooth: /m);
    expect(STACK_FRAME.test(result.stderr)).toBe(true);
  });
});
