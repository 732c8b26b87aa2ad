import { describe, expect, it } from 'vitest';
import { parseCommandLine, type CommandSpec } from './args.ts';

const COMMANDS: Record<string, CommandSpec> = {
  migrate: {
    summary: 'migrations',
    subcommands: {
      down: { summary: 'revert', options: { to: { type: 'string', value: 'NAME', describe: 'where to stop' } } },
      new: {
        summary: 'create',
        args: 'NAME',
        arity: [1, 1],
        options: { flink: { type: 'boolean', describe: 'a job' } },
      },
    },
  },
  replay: {
    summary: 'replay',
    options: { from: { type: 'string', value: 'T', required: true, describe: 'start' } },
  },
};

const parse = (...argv: string[]) => parseCommandLine(COMMANDS, argv, (path) => `usage of [${path.join(' ')}]`);

describe('parseCommandLine', () => {
  it('gives the invocation: path, arguments, option values, --verbose anywhere', () => {
    expect(parse('migrate', 'new', 'add_table', '--flink', '--verbose')).toEqual({
      kind: 'run',
      invocation: { path: ['migrate', 'new'], positionals: ['add_table'], values: { flink: true }, verbose: true },
    });
    expect(parse('--verbose', 'migrate', 'down', '--to', '0')).toMatchObject({
      kind: 'run',
      invocation: { path: ['migrate', 'down'], values: { to: '0' }, verbose: true },
    });
  });

  it('answers --help, -h and help before anything else on the line', () => {
    expect(parse()).toEqual({ kind: 'help', text: 'usage of []' });
    expect(parse('help')).toEqual({ kind: 'help', text: 'usage of []' });
    expect(parse('-h')).toEqual({ kind: 'help', text: 'usage of []' });
    expect(parse('migrate', 'down', '--to', '0', '--help')).toEqual({ kind: 'help', text: 'usage of [migrate down]' });
    expect(parse('migrate', 'down', '--bogus', '-h')).toEqual({ kind: 'help', text: 'usage of [migrate down]' });
    expect(parse('migrate', '--help')).toEqual({ kind: 'help', text: 'usage of [migrate]' });
    expect(parse('migrate', 'sideways', '--help')).toEqual({ kind: 'help', text: 'usage of [migrate]' });
    expect(parse('help', 'migrate', 'new')).toEqual({ kind: 'help', text: 'usage of [migrate new]' });
    expect(parse('help', 'replay')).toEqual({ kind: 'help', text: 'usage of [replay]' });
  });

  it('takes --help after -- as an argument', () => {
    expect(parse('migrate', 'new', '--', '--help')).toMatchObject({
      kind: 'run',
      invocation: { positionals: ['--help'] },
    });
  });

  it.each([
    [['frobnicate'], 'unknown command "frobnicate"; see `tollbooth --help`'],
    [['help', 'frobnicate'], 'unknown command "frobnicate"; see `tollbooth --help`'],
    [['migrate'], 'missing subcommand (down|new); see `tollbooth migrate --help`'],
    [['migrate', 'up'], 'unknown subcommand "up" (down|new); see `tollbooth migrate --help`'],
    [['migrate', 'down', '--bogus'], 'unknown option --bogus; see `tollbooth migrate down --help`'],
    [['migrate', 'down', '-x'], 'unknown option -x; see `tollbooth migrate down --help`'],
    [['migrate', 'down', '--to'], 'option --to needs a value; see `tollbooth migrate down --help`'],
    [['migrate', 'down', 'extra'], 'unexpected argument "extra"; see `tollbooth migrate down --help`'],
    [['migrate', 'new'], 'missing NAME; see `tollbooth migrate new --help`'],
    [['migrate', 'new', 'a', 'b'], 'unexpected argument "b"; see `tollbooth migrate new --help`'],
    [['replay'], '--from is required; see `tollbooth replay --help`'],
  ])('refuses %j in one line', (argv, message) => {
    expect(parse(...argv)).toEqual({ kind: 'refused', message });
  });
});
