/** The Lua scripts of the verdict store, read once with their SHA1 for EVALSHA. */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';

export interface Script {
  name: string;
  text: string;
  sha: string;
}

/** A script of this folder by file name. */
export function script(file: string): Script {
  const text = readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');
  return { name: file, text, sha: createHash('sha1').update(text).digest('hex') };
}
