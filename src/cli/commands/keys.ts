/**
 * `tollbooth keys create --scope all|campaigns:C1,C2|ad-prefixes:P1,P2|ingest [--name NAME]` prints
 * a new key once (only its hash is stored): a stats API key, or an ingest key for a server that
 * sends clicks for its users (`--sender S`: the sender it sends as, default its name;
 * `--campaigns C1,C2`: the only campaigns its clicks may name, default any);
 * `keys list` shows names and scopes, never keys; `keys revoke NAME` removes one.
 */
import { parseArgs } from 'node:util';
import type { Config } from '../../shared/config.ts';
import { KeyNameTakenError, addKey, readKeysFile, revokeKey } from '../../api/auth/keys-file.ts';
import { FileLockedError } from '../../api/auth/keys-lock.ts';
import { KEY_NAME, keyId, senderOf } from '../../api/auth/keys.ts';
import { describeScope, ingestScopeWith, parseScopeArg } from '../../api/auth/scope.ts';

const USAGE = `usage: tollbooth keys create --scope all|campaigns:C1,C2|ad-prefixes:P1,P2|ingest [--name NAME]
                              [--sender SENDER] [--campaigns C1,C2]   (both for --scope ingest only)
       tollbooth keys list
       tollbooth keys revoke NAME`;

function fail(message: string): number {
  process.stderr.write(`${message}\n`);
  return 2;
}

async function create(args: string[], keysFile: string): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      scope: { type: 'string' },
      name: { type: 'string' },
      sender: { type: 'string' },
      campaigns: { type: 'string' },
    },
    strict: true,
  });
  if (values.scope === undefined) return fail(USAGE);
  const parsed = parseScopeArg(values.scope);
  if (!parsed.ok) return fail(parsed.error);
  if ([values.name, values.sender].some((v) => v !== undefined && !KEY_NAME.test(v)))
    return fail('--name, --sender: 1-100 characters of A-Z a-z 0-9 _ . : @ -');
  const scope = ingestScopeWith(parsed.scope, values);
  if (!scope.ok) return fail(scope.error);
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

export async function run(args: string[], config: Config): Promise<number> {
  const [action, ...rest] = args;
  const file = config.api.keysFile;
  try {
    if (action === 'create') return await create(rest, file);
    if (action === 'list' && rest.length === 0) return await list(file);
    if (action === 'revoke' && rest.length === 1 && rest[0]) {
      if (await revokeKey(file, rest[0])) return 0;
      return fail(`no key named "${rest[0]}"`);
    }
  } catch (err) {
    // parseArgs reports unknown or valueless options as TypeErrors with a clear message.
    if (err instanceof TypeError) return fail(`${err.message}\n${USAGE}`);
    if (err instanceof FileLockedError) return fail(err.message);
    throw err;
  }
  return fail(USAGE);
}
