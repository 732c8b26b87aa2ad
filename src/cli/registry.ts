/** Every `tollbooth` command, in the order `tollbooth help` lists them. */
import { adminCommands } from './specs/admin.ts';
import type { Command } from './specs/command.ts';
import { dataCommands } from './specs/data.ts';
import { stackCommands } from './specs/stack.ts';

export const COMMANDS: Record<string, Command> = { ...stackCommands, ...dataCommands, ...adminCommands };

/** Each command and subcommand as its words: `migrate`, `migrate down`, ... */
export function commandPaths(): string[] {
  return Object.entries(COMMANDS).flatMap(([name, c]) => [
    name,
    ...Object.keys(c.subcommands ?? {}).map((sub) => `${name} ${sub}`),
  ]);
}
