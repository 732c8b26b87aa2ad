/** Usage text, rendered from the commands' specs: the full list, one command, or one subcommand. */
import type { CommandSpec, OptionSpec } from './args.ts';

const GLOBAL_OPTIONS: [string, string][] = [
  ['--verbose', 'print the stack trace of an error'],
  ['-h, --help', 'print this usage and do nothing else'],
];

function optionWords(name: string, o: OptionSpec): string {
  const words = o.value === undefined ? `--${name}` : `--${name} ${o.value}`;
  return o.required ? words : `[${words}]`;
}

/** `tollbooth migrate down [--to NAME|0]`. */
export function synopsis(path: string[], spec: CommandSpec): string {
  const options = Object.entries(spec.options ?? {}).map(([n, o]) => optionWords(n, o));
  return ['tollbooth', ...path, ...(spec.args === undefined ? [] : [spec.args]), ...options].join(' ');
}

/** Every runnable path under a command: itself, or each of its subcommands. */
function leaves(name: string, spec: CommandSpec): [string[], CommandSpec][] {
  if (spec.subcommands === undefined) return [[[name], spec]];
  return Object.entries(spec.subcommands).map(([sub, s]) => [[name, sub], s]);
}

function entry(path: string[], spec: CommandSpec): string {
  return `  ${synopsis(path, spec)}\n      ${spec.summary}`;
}

function table(rows: [string, string][]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}

function fullList(commands: Record<string, CommandSpec>): string {
  const out = ['usage: tollbooth <command> [options]', '', 'commands:'];
  for (const [name, spec] of Object.entries(commands)) for (const [p, s] of leaves(name, spec)) out.push(entry(p, s));
  out.push('', 'options of every command:', ...table(GLOBAL_OPTIONS));
  out.push('', '`tollbooth <command> --help` (or `tollbooth help <command>`) shows one command.');
  return out.join('\n');
}

function commandWithSubcommands(name: string, spec: CommandSpec, subs: Record<string, CommandSpec>): string {
  const out = [`usage: tollbooth ${name} ${Object.keys(subs).join('|')} ...`, '', spec.summary, ''];
  for (const [p, s] of leaves(name, spec)) out.push(entry(p, s));
  out.push('', `\`tollbooth ${name} <subcommand> --help\` shows one subcommand's options.`);
  return out.join('\n');
}

function leaf(path: string[], spec: CommandSpec): string {
  const options: [string, string][] = Object.entries(spec.options ?? {}).map(([n, o]) => [
    o.value === undefined ? `--${n}` : `--${n} ${o.value}`,
    o.describe,
  ]);
  return [
    `usage: ${synopsis(path, spec)}`,
    '',
    spec.summary,
    '',
    'options:',
    ...table([...options, ...GLOBAL_OPTIONS]),
  ].join('\n');
}

/** The usage of a path: [] for the full list; a path the specs do not have also gets the full list. */
export function renderUsage(commands: Record<string, CommandSpec>, path: string[]): string {
  const [name, sub] = path;
  const command = name === undefined ? undefined : commands[name];
  if (name === undefined || command === undefined) return `${fullList(commands)}\n`;
  const subs = command.subcommands;
  if (subs === undefined) return `${leaf([name], command)}\n`;
  const subSpec = sub === undefined ? undefined : subs[sub];
  if (sub === undefined || subSpec === undefined) return `${commandWithSubcommands(name, command, subs)}\n`;
  return `${leaf([name, sub], subSpec)}\n`;
}
