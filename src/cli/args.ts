/**
 * The one argument parser of the `tollbooth` command, over `node:util` parseArgs. Each command
 * declares its options, arguments and usage once (registry.ts); this turns a command line into
 * help to print, a refusal to print, or an invocation to run, before any config is loaded.
 */
import { parseArgs } from 'node:util';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** The value's placeholder in usage lines, e.g. `N` in `--rate N`. */
  value?: string;
  /** Refused when missing. */
  required?: boolean;
  describe: string;
}

export interface CommandSpec {
  summary: string;
  /** The arguments after the options in the usage line, e.g. `NAME...`. */
  args?: string;
  /** How many arguments it takes: [at least, at most]; none when not given. */
  arity?: readonly [number, number];
  options?: Record<string, OptionSpec>;
  subcommands?: Record<string, CommandSpec>;
}

/** What to run: the command's path (`['migrate', 'down']`), its arguments and option values. */
export interface Invocation {
  path: string[];
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
  verbose: boolean;
}

export type ParsedLine =
  { kind: 'help'; text: string } | { kind: 'refused'; message: string } | { kind: 'run'; invocation: Invocation };

const HELP = new Set(['--help', '-h']);
const VERBOSE = '--verbose';

/** A one-line refusal that points to the usage of the command it is about. */
export function refusal(path: string[], problem: string): string {
  return `${problem}; see \`${['tollbooth', ...path, '--help'].join(' ')}\``;
}

/** The value of a string option, when given. */
export function option(inv: Invocation, name: string): string | undefined {
  const v = inv.values[name];
  return typeof v === 'string' ? v : undefined;
}

/** Whether a boolean option was given. */
export function flag(inv: Invocation, name: string): boolean {
  return inv.values[name] === true;
}

/** Takes `--help`, `-h` and `--verbose` out of the line (options after `--` are arguments). */
function takeGlobalFlags(argv: string[]): { rest: string[]; help: boolean; verbose: boolean } {
  const end = argv.includes('--') ? argv.indexOf('--') : argv.length;
  const head = argv.slice(0, end);
  const rest = [...head.filter((a) => !HELP.has(a) && a !== VERBOSE), ...argv.slice(end)];
  return { rest, help: head.some((a) => HELP.has(a)), verbose: head.includes(VERBOSE) };
}

function parseOptions(
  path: string[],
  spec: CommandSpec,
  args: string[],
): { values: Invocation['values']; positionals: string[] } | string {
  const options = Object.fromEntries(Object.entries(spec.options ?? {}).map(([n, o]) => [n, { type: o.type }]));
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: values as Invocation['values'], positionals };
  } catch (err) {
    // parseArgs' own messages run to several sentences; the offending option is what matters.
    const code = (err as { code?: string }).code;
    const named = /'(-[^'\s]*)/.exec((err as Error).message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return refusal(path, `unknown option ${named}`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
      return refusal(path, `option ${named.split(' ')[0]} needs a value`);
    return refusal(path, (err as Error).message.split('\n')[0] ?? 'bad arguments');
  }
}

function checkArguments(path: string[], spec: CommandSpec, positionals: string[], values: Invocation['values']) {
  const missing = Object.entries(spec.options ?? {}).find(([n, o]) => o.required && values[n] === undefined);
  if (missing) return refusal(path, `--${missing[0]} is required`);
  const [least, most] = spec.arity ?? [0, 0];
  if (positionals.length > most) return refusal(path, `unexpected argument "${positionals[most]}"`);
  if (positionals.length < least) return refusal(path, `missing ${spec.args ?? 'arguments'}`);
  return undefined;
}

/**
 * Reads a command line against the commands' specs. `render` turns a path into its usage text;
 * help wins over everything else on the line, so `--help` never acts.
 */
export function parseCommandLine(
  commands: Record<string, CommandSpec>,
  argv: string[],
  render: (path: string[]) => string,
): ParsedLine {
  const { rest, help, verbose } = takeGlobalFlags(argv);
  const [first, ...afterFirst] = rest;
  if (first === undefined) return { kind: 'help', text: render([]) };
  if (first === 'help') return helpFor(commands, afterFirst, render);
  const command = commands[first];
  if (command === undefined) return { kind: 'refused', message: refusal([], `unknown command "${first}"`) };
  let path = [first];
  let spec = command;
  let args = afterFirst;
  if (command.subcommands !== undefined) {
    const [sub, ...afterSub] = afterFirst;
    const subSpec = sub === undefined ? undefined : command.subcommands[sub];
    if (subSpec === undefined || sub === undefined) {
      if (help) return { kind: 'help', text: render(path) };
      const known = Object.keys(command.subcommands).join('|');
      const problem = sub === undefined ? `missing subcommand (${known})` : `unknown subcommand "${sub}" (${known})`;
      return { kind: 'refused', message: refusal(path, problem) };
    }
    path = [first, sub];
    spec = subSpec;
    args = afterSub;
  }
  if (help) return { kind: 'help', text: render(path) };
  const parsed = parseOptions(path, spec, args);
  if (typeof parsed === 'string') return { kind: 'refused', message: parsed };
  const problem = checkArguments(path, spec, parsed.positionals, parsed.values);
  if (problem !== undefined) return { kind: 'refused', message: problem };
  return { kind: 'run', invocation: { path, ...parsed, verbose } };
}

/** `tollbooth help [COMMAND [SUBCOMMAND]]`. */
function helpFor(commands: Record<string, CommandSpec>, words: string[], render: (p: string[]) => string): ParsedLine {
  const [name, sub] = words;
  const command = name === undefined ? undefined : commands[name];
  if (name === undefined) return { kind: 'help', text: render([]) };
  if (command === undefined) return { kind: 'refused', message: refusal([], `unknown command "${name}"`) };
  const known = sub !== undefined && command.subcommands?.[sub] !== undefined;
  return { kind: 'help', text: render(known ? [name, sub] : [name]) };
}

/** Refuses an argument a command found wrong: one line on stderr, exit code 2. */
export function refuse(path: string[], problem: string): number {
  process.stderr.write(`tollbooth: ${refusal(path, problem)}\n`);
  return 2;
}
