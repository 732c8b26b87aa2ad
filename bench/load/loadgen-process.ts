/**
 * The load generator, run as its own process (forked by drive-load.ts), so that its CPU is not
 * the system's. Posts batches to POST /v1/clicks with `concurrency` requests in flight, at a
 * target rate or as fast as replies come, for a fixed time; keeps the ledger of the replies.
 * Talks to its parent over IPC: receives a LoadPlan, sends progress each second, then the ledger.
 */
import http from 'node:http';
import { Ledger, type LoadPlan } from './ledger.ts';
import { DEFAULT_SHAPE, Workload, type BenchClick } from './workload.ts';
import { setTimeout as sleep } from 'node:timers/promises';

interface Reply {
  status: number;
  body: string;
}

function post(agent: http.Agent, url: URL, body: string, plan: LoadPlan): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': plan.userAgent,
          ...(plan.ingestKey === null ? {} : { authorization: `Bearer ${plan.ingestKey}` }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function statusesOf(plan: LoadPlan, body: string): string[] | undefined {
  if (plan.mode === 'stored') return undefined;
  const reply = JSON.parse(body) as { results?: Array<{ status: string }> };
  return (reply.results ?? []).map((r) => r.status);
}

/** Posts one batch until it gets a 200 (a 503 says resending is safe), and returns its statuses. */
async function deliver(
  plan: LoadPlan,
  agent: http.Agent,
  url: URL,
  clicks: BenchClick[],
  ledger: Ledger,
): Promise<string[] | undefined> {
  const body = JSON.stringify(clicks);
  for (;;) {
    const t0 = performance.now();
    const reply = await post(agent, url, body, plan).catch((err: Error) => ({
      status: 0,
      body: err.message,
    }));
    if (reply.status === 200) {
      ledger.latencies.push(performance.now() - t0);
      return statusesOf(plan, reply.body);
    }
    ledger.failures++;
    if (ledger.failures <= 3) process.stderr.write(`load: ${reply.status} ${reply.body.slice(0, 200)}\n`);
    // Back off a little: the system said it is overloaded or down.
    await sleep(200);
  }
}

async function run(plan: LoadPlan): Promise<void> {
  const url = new URL('/v1/clicks', plan.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: plan.concurrency });
  const workload = new Workload(DEFAULT_SHAPE, plan.seed, plan.runId);
  const ledger = new Ledger(plan.windowMs);
  await sleep(plan.startAtMs - Date.now());
  const started = Date.now();
  const end = started + plan.seconds * 1000;
  const batchEveryMs = plan.rate > 0 ? (1000 * DEFAULT_SHAPE.batchSize) / plan.rate : 0;
  let scheduled = 0;
  const progress = setInterval(() => process.send?.({ type: 'progress', taken: ledger.taken }), 1000);
  const worker = async (): Promise<void> => {
    for (;;) {
      const due = started + scheduled++ * batchEveryMs;
      if (due >= end || Date.now() >= end) return;
      if (due > Date.now()) await sleep(due - Date.now());
      const batch = workload.next(Date.now());
      const first = await deliver(plan, agent, url, batch.clicks, ledger);
      ledger.recordFirst(batch.clicks, first);
      if (batch.resend) ledger.recordResend(batch.clicks, first, await deliver(plan, agent, url, batch.clicks, ledger));
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, worker));
  clearInterval(progress);
  agent.destroy();
  const summary = ledger.summary(started, Date.now());
  await new Promise<void>((resolve) => process.send?.({ type: 'done', summary }, () => resolve()));
}

// The bench went away (interrupted): nobody is left to read the ledger.
process.once('disconnect', () => process.exit(0));
process.once('message', (plan: LoadPlan) => {
  run(plan).then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`load generator failed: ${String(err)}\n`);
      process.exit(1);
    },
  );
});
