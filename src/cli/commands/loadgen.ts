/**
 * `tollbooth loadgen [--rate N] [--seconds S] [--url URL]`: demo traffic into the ingest. It
 * plays an ad server sending for its users, so it sends with an ingest key (the clicks' ip and
 * campaign_id count only then): one created for the run and revoked when it ends.
 */
import type { Config } from '../../shared/config.ts';
import { addKey, revokeKey } from '../../api/auth/keys-file.ts';
import { DemoTraffic } from '../../loadgen/demo-clicks.ts';
import { option, refuse, type Invocation } from '../args.ts';
import { setTimeout as sleep } from 'node:timers/promises';

export async function run(inv: Invocation, config: Config): Promise<number> {
  const rate = Number(option(inv, 'rate') ?? '20');
  const seconds = Number(option(inv, 'seconds') ?? '0');
  const url = option(inv, 'url') ?? `http://${config.host}:${config.ingest.port}/v1/clicks`;
  if (!(rate > 0)) return refuse(inv.path, `--rate: clicks per second above 0, not "${option(inv, 'rate')}"`);
  if (!(seconds >= 0)) return refuse(inv.path, `--seconds: 0 or more, not "${option(inv, 'seconds')}"`);
  const traffic = new DemoTraffic();
  const { key, stored } = await addKey(config.api.keysFile, { kind: 'ingest' }, `loadgen-${process.pid}-${Date.now()}`);
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
  let stopping = false;
  process.once('SIGINT', () => (stopping = true));
  process.once('SIGTERM', () => (stopping = true));
  const end = seconds > 0 ? Date.now() + seconds * 1000 : Number.POSITIVE_INFINITY;
  const totals = { sent: 0, accepted: 0, rejected: 0, failed: 0 };
  // Four batches a second: smooth enough for a live chart, few enough requests to stay cheap.
  const tickMs = 250;
  while (!stopping && Date.now() < end) {
    const started = Date.now();
    const batch = traffic.batch(Math.max(1, Math.round((rate * tickMs) / 1000)), started);
    try {
      const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(batch) });
      const body = (await res.json()) as { accepted?: number; rejected?: number };
      if (res.ok) {
        totals.accepted += body.accepted ?? 0;
        totals.rejected += body.rejected ?? 0;
      } else totals.failed += batch.length;
    } catch {
      totals.failed += batch.length;
    }
    totals.sent += batch.length;
    if (totals.sent % (rate * 10) < batch.length)
      console.error(
        `loadgen: sent ${totals.sent}, accepted ${totals.accepted}, rejected ${totals.rejected}, failed ${totals.failed}`,
      );
    await sleep(Math.max(0, tickMs - (Date.now() - started)));
  }
  await revokeKey(config.api.keysFile, stored.name);
  console.error(`loadgen: done: ${JSON.stringify(totals)}`);
  return 0;
}
