/**
 * What a page shows a command printing, compared with what it printed. In a shell block the
 * lines `# ...` right after a command are its output; `...` stands for any text (a key, a
 * timestamp, the rest of a list). JSON is compared by structure: both sides with white space
 * outside strings taken out, so a page may wrap a long reply over several lines.
 */
import { matchesJsonShape } from './json-shape.ts';

/** Removes white space outside double-quoted strings (JSON's insignificant white space). */
export function compactJson(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (!/\s/.test(c)) out += c;
  }
  return out;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A pattern in which `...` matches any text, across lines. */
function patternOf(expected: string): RegExp {
  return new RegExp(`^${expected.split('...').map(escape).join('[\\s\\S]*?')}$`);
}

const looksLikeJson = (s: string) => /^\s*[[{]/.test(s);

/** Lines compared one by one after trimming trailing space; JSON compacted. */
function normalize(text: string, json: boolean): string {
  if (json) return compactJson(text);
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trim();
}

/** Whether `actual` is what the page shows; `expected` may use `...`. */
export function matchesExpected(expected: string, actual: string): boolean {
  const json = looksLikeJson(expected);
  const shaped = json ? matchesJsonShape(expected, actual) : undefined;
  if (shaped !== undefined) return shaped;
  return patternOf(normalize(expected, json)).test(normalize(actual, json));
}
