/** The Lua scripts of the verdict store, read once with their SHA1 for EVALSHA. */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';

export interface Script {
  name: string;
  text: string;
  sha: string;
}

const read = (file: string) => readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');

// The scripts that call room(): window-room.lua goes at their top (Redis scripts cannot import).
const USES_ROOM = new Set(['verdicts.lua', 'cluster-claim.lua', 'cluster-address.lua']);

/** A script of this folder by file name, with the shared functions it uses. */
export function script(file: string): Script {
  const text = (USES_ROOM.has(file) ? read('window-room.lua') : '') + read(file);
  return { name: file, text, sha: createHash('sha1').update(text).digest('hex') };
}
