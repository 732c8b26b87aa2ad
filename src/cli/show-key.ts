/**
 * The demo key of `tollbooth start`, shown once. On a terminal, in full (the dashboard link
 * carries it in the URL fragment, which the browser never sends and the page removes at once).
 * When the output goes to a file or a pipe (a log), only into a 0600 file of the state folder,
 * whose path is printed instead.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { secretsDir } from '../shared/secrets.ts';

export interface ShownKey {
  /** What to print after "API key:". */
  key: string;
  /** What to print after the dashboard's URL. */
  fragment: string;
}

export function showKeyOnce(stackDir: string, key: string, isTerminal: boolean): ShownKey {
  if (isTerminal)
    return {
      key: `${key}   (shown once; more with \`tollbooth keys create\`)`,
      fragment: `#key=${encodeURIComponent(key)}`,
    };
  const file = path.join(secretsDir(stackDir), 'demo-api-key');
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return {
    key: `in ${file} (not printed: this output is not a terminal)`,
    fragment: '   (paste the key into the box at the top right)',
  };
}
