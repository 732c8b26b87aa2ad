/**
 * The fenced code blocks of the project's pages, and what the docs test does with each: a shell
 * block (sh, bash, console) runs; a psql session (`tollbooth=>` prompts) runs through psql; a
 * block preceded by `<!-- docs-test: skip: REASON -->` is left out, and must say why. Anything
 * else (JSON, a diagram, client code in another language) is data, not a command.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type BlockKind = 'shell' | 'psql' | 'data';

export interface Block {
  page: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  kind: BlockKind;
  body: string;
  /** The reason it is left out, when it carries a skip marker. */
  skip?: string;
}

const SHELL_LANGS = new Set(['sh', 'bash', 'console', 'shell']);
const SKIP = /^<!--\s*docs-test:\s*skip:\s*(.*?)\s*-->$/;

function kindOf(lang: string, body: string): BlockKind {
  if (SHELL_LANGS.has(lang)) return 'shell';
  if (/^tollbooth=> /m.test(body)) return 'psql';
  return 'data';
}

/** The blocks of one page, in order. */
export function blocksOf(page: string, text: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i] ?? '');
    if (open === null) continue;
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    if (end < 0) throw new Error(`${page}:${i + 1}: a code block that never closes`);
    const body = lines.slice(i + 1, end).join('\n');
    const lang = open[1] ?? '';
    const before =
      lines
        .slice(0, i)
        .reverse()
        .find((l) => l.trim() !== '') ?? '';
    const skip = SKIP.exec(before.trim())?.[1];
    blocks.push({ page, line: i + 1, lang, kind: kindOf(lang, body), body, ...(skip === undefined ? {} : { skip }) });
    i = end;
  }
  return blocks;
}

/** README.md, then docs/*.md in name order. */
export function projectPages(root: string): string[] {
  const docs = readdirSync(path.join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`);
  return ['README.md', ...docs];
}

export function projectBlocks(root: string): Block[] {
  return projectPages(root).flatMap((page) => blocksOf(page, readFileSync(path.join(root, page), 'utf8')));
}
