/** `tollbooth blocklist add|remove|list ip|user [<value>]`: manages the Redis blocklists (verdict `blocked`). */
import { isIP } from 'node:net';
import type { Config } from '../../shared/config.ts';
import { createRedisClient } from '../../shared/clients.ts';
import { Blocklist } from '../../dedup/blocklist.ts';
import type { BlocklistKind } from '../../dedup/keys.ts';
import { refuse, type Invocation } from '../args.ts';

export async function run(inv: Invocation, config: Config): Promise<number> {
  const action = inv.path[1];
  const [kind, value] = inv.positionals;
  if (kind !== 'ip' && kind !== 'user') return refuse(inv.path, `expected ip or user, not "${kind}"`);
  // A typo'd ip would never match a click and give a false sense of protection.
  if (action !== 'list' && kind === 'ip' && isIP(value ?? '') === 0)
    return refuse(inv.path, `not an IP address: ${value}`);

  const redis = createRedisClient(config);
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
