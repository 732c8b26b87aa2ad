/**
 * What checking the keys file on every request costs: the ingest's and the stats API's key
 * lookup (one stat, a re-read only when the file changed) against a lookup in a list already
 * in memory, over a file of 100 keys.
 *   node --import tsx bench/keys-lookup.ts [--calls 20000]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { addKey, cachedKeyLookup, readKeysFile } from '../src/api/auth/keys-file.ts';
import { findKey } from '../src/api/auth/keys.ts';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '20000' } } });
const calls = Number(values.calls);
const dir = await mkdtemp(path.join(tmpdir(), 'tollbooth-keys-bench-'));
try {
  const file = path.join(dir, 'api-keys.json');
  let key = '';
  // A realistic file: an operator's keys, one ingest key per server and region.
  for (let i = 0; i < 100; i++) key = (await addKey(file, { kind: 'ingest' }, `server-${i}`)).key;
  const lookup = cachedKeyLookup(file);
  const inMemory = await readKeysFile(file);
  const time = async (name: string, once: () => Promise<unknown>): Promise<void> => {
    for (let i = 0; i < 1000; i++) await once(); // warm-up
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) await once();
    const us = Number(process.hrtime.bigint() - start) / 1000 / calls;
    process.stdout.write(`${name}: ${us.toFixed(1)} µs per request\n`);
  };
  await time('in memory (no check of the file)', async () => findKey(inMemory, key));
  await time('stat per request', () => lookup(key));
} finally {
  await rm(dir, { recursive: true, force: true });
}
