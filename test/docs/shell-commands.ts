/**
 * A shell block as the reader sees it: commands (a command runs on while a quote is open or a
 * line ends in `\`), each followed by the `# ` lines that show its output. A `#` line that
 * follows no command (the first line, or after a blank line) is a comment.
 */
export interface DocCommand {
  /** 1-based line in the page. */
  line: number;
  text: string;
  /** What the page shows it printing, or undefined when it shows nothing. */
  expected?: string;
}

const openQuote = (text: string) => (text.match(/'/g)?.length ?? 0) % 2 === 1;

export function commandsOf(body: string, firstLine: number): DocCommand[] {
  const commands: DocCommand[] = [];
  let current: DocCommand | undefined;
  let output: string[] | undefined;
  const finish = () => {
    if (current === undefined) return;
    commands.push(output && output.length > 0 ? { ...current, expected: output.join('\n') } : current);
    current = undefined;
    output = undefined;
  };
  body.split('\n').forEach((raw, i) => {
    if (current !== undefined && output === undefined && (openQuote(current.text) || current.text.endsWith('\\'))) {
      current.text += `\n${raw}`;
      return;
    }
    if (raw.trim() === '') return finish();
    if (raw.startsWith('#')) {
      if (current !== undefined) (output ??= []).push(raw.replace(/^# ?/, ''));
      return;
    }
    finish();
    current = { line: firstLine + i, text: raw };
  });
  finish();
  return commands;
}
