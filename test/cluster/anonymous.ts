/**
 * Anonymous clicks from inside a cluster node's container, through the balancer: what the
 * per-address limits see of a caller behind it (test/cluster/cluster.test.ts, "the balancer").
 */
import { lastLine, type ComposeRun } from '../../bench/support/compose.ts';
import type { ComposeLedger } from '../containers/ledger.ts';

/** One batch of anonymous clicks, optionally with a forged X-Forwarded-For. */
export interface AnonBatch {
  clicks: number;
  spoofed?: string;
}

/** Statuses counted per batch, and the receive minute of the first and the last answer. */
export interface AnonResult {
  counts: Record<string, number>[];
  minutes: [number, number];
}

/**
 * Anonymous batches sent one after the other from inside a node's container through the balancer,
 * in one process: milliseconds apart, so all in one minute of the rate limit unless it turns.
 */
export async function anonymousFrom(
  run: ComposeRun,
  ledger: ComposeLedger,
  service: string,
  batches: AnonBatch[],
): Promise<AnonResult> {
  const script = `(async () => {
    const ua = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';
    const counts = [], accepted = [], minutes = [];
    for (const [b, { clicks, spoofed }] of ${JSON.stringify(batches)}.entries()) {
      const now = Date.now();
      const batch = Array.from({ length: clicks }, (_, i) => ({ click_id: '${service}-' + now + '-' + b + '-' + i,
        ad_id: 'anon-ad-' + i, user_id: 'anon-' + now + '-' + b + '-' + i, ts: now, user_agent: ua }));
      const headers = { 'content-type': 'application/json', 'user-agent': ua };
      if (spoofed) headers['x-forwarded-for'] = spoofed;
      minutes.push(Math.floor(Date.now() / 60000));
      const res = await fetch('http://lb:8080/v1/clicks', { method: 'POST', headers, body: JSON.stringify(batch) });
      const tally = {};
      (await res.json()).results.forEach((r, i) => {
        tally[r.status] = (tally[r.status] ?? 0) + 1;
        if (r.status === 'accepted') accepted.push([batch[i].click_id, batch[i].ad_id]);
      });
      minutes.push(Math.floor(Date.now() / 60000));
      counts.push(tally);
    }
    console.log(JSON.stringify({ counts, accepted, minutes: [minutes[0], minutes.at(-1)] }));
  })()`;
  const out = lastLine(await run.exec(service, 'node', '-e', script));
  const parsed = JSON.parse(out) as AnonResult & { accepted: [string, string][] };
  // Counted like any other click: the ledger must know them.
  for (const [id, ad] of parsed.accepted) ledger.addAccepted(id, ad);
  return { counts: parsed.counts, minutes: parsed.minutes };
}
