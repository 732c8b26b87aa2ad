/**
 * A CLI that is safe to explore: `--help` on every command and subcommand prints its usage to
 * stdout and exits 0 without acting (no config loaded, nothing written, nothing connected), and
 * a flag or subcommand the command does not know is refused in one line.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { commandPaths } from '../../src/cli/registry.ts';
import { isolatedStack, lines, runCli, type IsolatedStack } from './run-cli.ts';

/** Every command and subcommand there is; the registry must declare exactly these. */
const EVERY_COMMAND = [
  'start',
  'loadgen',
  'services',
  'services up',
  'services down',
  'services stop',
  'services status',
  'services logs',
  'services systemd',
  'images',
  'images build',
  'images configure',
  'status',
  'supervise',
  'migrate',
  'migrate up',
  'migrate down',
  'migrate status',
  'migrate new',
  'replay',
  'jobs',
  'jobs status',
  'jobs ensure',
  'jobs watch',
  'ingest',
  'sink',
  'api',
  'pg',
  'tail',
  'links',
  'links sign',
  'campaigns',
  'campaigns set',
  'campaigns unset',
  'campaigns list',
  'blocklist',
  'blocklist add',
  'blocklist remove',
  'blocklist list',
  'keys',
  'keys create',
  'keys list',
  'keys revoke',
];

let stack: IsolatedStack;
beforeAll(async () => {
  stack = await isolatedStack();
});

it('the registry declares every command and subcommand', () => {
  expect(commandPaths().sort()).toEqual([...EVERY_COMMAND].sort());
});

describe.concurrent('--help prints usage and acts on nothing', () => {
  it.each(EVERY_COMMAND)('tollbooth %s --help', async (command) => {
    const words = command.split(' ');
    for (const flag of ['--help', '-h']) {
      const result = await runCli([...words, flag], stack.env);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toMatch(new RegExp(`^usage: tollbooth ${command}\\b`));
    }
    expect(stack.touched()).toBe(false);
  });

  it('--help after arguments and options still only prints usage', async () => {
    for (const args of [
      ['migrate', 'down', '--to', '0', '--help'],
      ['migrate', 'new', 'some_table', '-h'],
      ['keys', 'create', '--scope', 'all', '--help'],
      ['start', '--rate', '5', '--help'],
      ['--verbose', 'migrate', 'up', '--help'],
    ]) {
      const result = await runCli(args, stack.env);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toMatch(/^usage: tollbooth /);
    }
    expect(stack.touched()).toBe(false);
  });

  it('help, --help and no arguments list every command on stdout', async () => {
    for (const args of [['help'], ['--help'], ['-h'], []]) {
      const result = await runCli(args, stack.env);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      for (const command of EVERY_COMMAND.filter(
        (c) => !['services', 'migrate', 'jobs', 'links', 'campaigns', 'blocklist', 'keys'].includes(c),
      ))
        expect(result.stdout).toContain(`tollbooth ${command}`);
      // Options the old list left out.
      expect(result.stdout).toMatch(/tollbooth images configure .*--out/);
      expect(result.stdout).toMatch(/tollbooth links sign .*--campaign .*--base/);
      expect(result.stdout).toMatch(/tollbooth loadgen .*--url/);
      expect(result.stdout).toMatch(/tollbooth migrate new .*--flink/);
    }
  });

  it("help COMMAND prints that command's usage", async () => {
    const result = await runCli(['help', 'migrate', 'down'], stack.env);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^usage: tollbooth migrate down\b/);
  });
});

describe.concurrent('what a command does not know is refused in one line', () => {
  it.each([
    [['migrate', 'down', '--bogus'], /--bogus.*tollbooth migrate down --help/],
    [['loadgen', '--rat', '5'], /--rat.*tollbooth loadgen --help/],
    [['status', '--jsn'], /--jsn.*tollbooth status --help/],
    [['ingest', '--port', '1'], /--port.*tollbooth ingest --help/],
    [['migrate', 'sideways'], /sideways.*tollbooth migrate --help/],
    [['keys', 'delete', 'x'], /delete.*tollbooth keys --help/],
    [['migrate'], /tollbooth migrate --help/],
    [['frobnicate'], /frobnicate.*tollbooth --help/],
    [['migrate', 'down', '--to'], /--to.*tollbooth migrate down --help/],
    [['jobs', 'status', 'extra'], /extra.*tollbooth jobs status --help/],
    [['keys', 'create'], /--scope.*tollbooth keys create --help/],
  ])('tollbooth %j', async (args, message) => {
    const result = await runCli(args, stack.env);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(stack.touched()).toBe(false);
  });
});
