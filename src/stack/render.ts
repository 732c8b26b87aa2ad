/** Writes a service's config from its template in stack/: the one place templates become files. */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../shared/config.ts';
import { fillTemplate } from '../shared/template.ts';

/**
 * Fills `stack/<template>` into `file` (its folder made if missing). `secret`: the file holds a
 * password or its hash, so it is 0600, readable only by the account that runs the server.
 */
export function renderTemplate(
  config: Config,
  template: string,
  file: string,
  values: Record<string, string | number>,
  opts: { secret?: boolean } = {},
): void {
  const text = fillTemplate(readFileSync(path.join(config.repoRoot, 'stack', template), 'utf8'), values);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text, opts.secret === true ? { mode: 0o600 } : {});
  if (opts.secret === true) chmodSync(file, 0o600);
}
