/** `tollbooth blocklist add|remove|list ip|user [<value>]`: manages the Redis blocklists (verdict `blocked`). */
import { isIP } from 'node:net';
import type { Config } from '../../shared/config.ts';
import { createRedis } from '../../shared/clients.ts';
import { Blocklist } from '../../dedup/blocklist.ts';
import type { BlocklistKind } from '../../dedup/keys.ts';

const USAGE = 'usage: tollbooth blocklist add|remove <ip|user> <value>\n       tollbooth blocklist list <ip|user>';

function fail(message: string): number {
  process.stderr.write(`${message}\n`);
  return 2;
}

export async function run(args: string[], config: Config): Promise<number> {
  const [action, kind, value] = args;
  if (kind !== 'ip' && kind !== 'user') return fail(USAGE);
  if (action === 'list' ? value !== undefined : action !== 'add' && action !== 'remove') return fail(USAGE);
  if (action !== 'list' && !value) return fail(USAGE);
  // A typo'd ip would never match a click and give a false sense of protection.
  if (action !== 'list' && kind === 'ip' && isIP(value ?? '') === 0) return fail(`not an IP address: ${value}`);

  const redis = createRedis(config);
  try {
    const blocklist = new Blocklist(redis, config.dedup.keyPrefix);
    return await apply(blocklist, action, kind, value ?? '');
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}

async function apply(
  blocklist: Blocklist,
  action: string | undefined,
  kind: BlocklistKind,
  value: string,
): Promise<number> {
  if (action === 'list') {
    for (const v of await blocklist.list(kind)) process.stdout.write(`${v}\n`);
    return 0;
  }
  const changed = action === 'add' ? await blocklist.add(kind, value) : await blocklist.remove(kind, value);
  process.stdout.write(
    `${kind} ${value}: ${changed ? (action === 'add' ? 'added' : 'removed') : action === 'add' ? 'already blocked' : 'was not blocked'}\n`,
  );
  return 0;
}
