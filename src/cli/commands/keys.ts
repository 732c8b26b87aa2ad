/**
 * `tollbooth keys create --scope all|campaigns:C1,C2|ad-prefixes:P1,P2|ingest [--name NAME]` prints
 * a new key once (only its hash is stored): a stats API key, or an ingest key for a server that
 * sends clicks for its users (`--sender S`: the sender it sends as, default its name;
 * `--campaigns C1,C2`: the only campaigns its clicks may name, default any);
 * `keys list` shows names and scopes, never keys; `keys revoke NAME` removes one.
 */
import type { Config } from '../../shared/config.ts';
import { KeyNameTakenError, addKey, readKeysFile, revokeKey } from '../../api/auth/keys-file.ts';
import { KEY_NAME, keyId, senderOf } from '../../api/auth/keys.ts';
import { describeScope, ingestScopeWith, parseScopeArg } from '../../api/auth/scope.ts';
import { option, refuse, type Invocation } from '../args.ts';

function fail(message: string): number {
  process.stderr.write(`${message}\n`);
  return 2;
}

async function create(inv: Invocation, keysFile: string): Promise<number> {
  const values = {
    scope: option(inv, 'scope') ?? '',
    name: option(inv, 'name'),
    sender: option(inv, 'sender'),
    campaigns: option(inv, 'campaigns'),
  };
  const parsed = parseScopeArg(values.scope);
  if (!parsed.ok) return refuse(inv.path, parsed.error);
  if ([values.name, values.sender].some((v) => v !== undefined && !KEY_NAME.test(v)))
    return refuse(inv.path, '--name, --sender: 1-100 characters of A-Z a-z 0-9 _ . : @ -');
  const scope = ingestScopeWith(parsed.scope, values);
  if (!scope.ok) return refuse(inv.path, scope.error);
  try {
    const { key, stored } = await addKey(keysFile, scope.scope, values.name, { sender: values.sender });
    process.stderr.write(
      `created key "${stored.name}" (${describeScope(stored.scope)}) in ${keysFile}; it is shown only now:\n`,
    );
    process.stdout.write(`${key}\n`);
    return 0;
  } catch (err) {
    if (err instanceof KeyNameTakenError) return fail(err.message);
    throw err;
  }
}

async function list(keysFile: string): Promise<number> {
  const keys = await readKeysFile(keysFile);
  if (keys.length === 0) process.stderr.write(`no keys in ${keysFile}\n`);
  for (const k of keys) {
    const sender = k.scope.kind === 'ingest' ? `\tsender ${senderOf(k)}` : '';
    process.stdout.write(`${k.name}\t${keyId(k)}\t${k.created_at}\t${describeScope(k.scope)}${sender}\n`);
  }
  return 0;
}

export async function run(inv: Invocation, config: Config): Promise<number> {
  const file = config.api.keysFile;
  const name = inv.positionals[0];
  switch (inv.path[1]) {
    case 'create':
      return create(inv, file);
    case 'list':
      return list(file);
    case 'revoke':
      if (name && (await revokeKey(file, name))) return 0;
      return fail(`no key named "${name}"`);
    default:
      return refuse(inv.path, 'unknown subcommand');
  }
}
