/**
 * docker-compose.yml, run for real from the images `tollbooth images build` makes: a batch of
 * clicks is counted exactly and final (stats API and psql); a container whose process is
 * SIGKILLed mid-stream is restarted by its policy and nothing is lost or counted twice; `down`
 * then `up` keeps every count (named volumes). 2 s windows, as the host fault tests use.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/prefix.ts';
import { composeRun, lastLine, type ComposeRun } from '../../bench/support/compose.ts';
import { ComposeLedger } from './ledger.ts';

let run: ComposeRun;
let allKey: string;
let ledger: ComposeLedger;

beforeAll(async () => {
  run = await composeRun('compose', { TOLLBOOTH_WINDOW_SECONDS: '2', TOLLBOOTH_GRACE_MS: '500' });
  await run.compose('up', '-d');
  allKey = lastLine(await run.cli('keys', 'create', '--scope', 'all', '--name', 'reader'));
  const ingestKey = lastLine(await run.cli('keys', 'create', '--scope', 'ingest', '--name', 'server'));
  expect(allKey).toMatch(/^tb_/);
  ledger = new ComposeLedger(run, { all: allKey, ingest: ingestKey });
  await eventually(async () => ((await fetch(`${run.ingestUrl}/readyz`)).ok ? true : undefined), 120_000, 'ingest');
});
afterAll(async () => {
  await run?.compose('down', '-v', '--remove-orphans');
});

async function expectExact(through: number): Promise<{ over: number; under: number }> {
  const { over, under } = await ledger.overUnder(through);
  return { over, under };
}

describe('docker compose up', () => {
  it('counts a batch exactly and final, through the stats API and psql', async () => {
    const result = await ledger.load(6, 1);
    expect(ledger.acceptedCount).toBeGreaterThan(100);
    expect(await expectExact(result.endedAt)).toEqual({ over: 0, under: 0 });
    // The stats API agrees (on time and late), and says final once the minute has passed.
    const [ad, n] = [...ledger.expectedPerAd()][0] ?? ['', 0];
    const range = `from=${result.faultAt - 3_600_000}&to=${result.endedAt}`;
    type Counts = { total: number; late_total: number; buckets: { final: boolean }[] };
    const body = await eventually(
      async () => {
        const res = await fetch(`${run.apiUrl}/v1/ads/${ad}/clicks?${range}`, {
          headers: { authorization: `Bearer ${allKey}` },
        });
        const counts = (await res.json()) as Counts;
        return counts.buckets.every((b) => b.final) ? counts : undefined;
      },
      120_000,
      'the minute final in the stats API',
    );
    expect(body.total + body.late_total).toBe(n);
  });
});

const FAULTS = ['kafka', 'taskmanager', 'jobmanager', 'clickhouse', 'ingest'];

describe('a container killed mid-stream (SIGKILL of its process)', () => {
  it.each(FAULTS)('%s: restarted by its policy, counts exact', async (svc) => {
    const before = await run.restarts(svc);
    let killedAt = 0;
    const kill = async () => {
      killedAt = Date.now();
      await run.kill(svc);
    };
    const result = await ledger.load(12, 10 + FAULTS.indexOf(svc), kill);
    await eventually(async () => ((await run.restarts(svc)) > before ? true : undefined), 60_000, `${svc} restarted`);
    await eventually(async () => ((await run.healthy(svc)) ? true : undefined), 180_000, `${svc} healthy`);
    const healed = ((Date.now() - killedAt) / 1000).toFixed(1);
    const { over, under } = await expectExact(result.endedAt);
    const sent = [...result.verdicts.values()].filter((v) => v === 'accepted').length;
    console.log(
      `CONTAINER FAULT ${svc}: accepted ${sent}, over ${over}, under ${under}, healthy ${healed} s after the kill`,
    );
    expect({ over, under }).toEqual({ over: 0, under: 0 });
  });
});

describe('docker compose down, then up', () => {
  it('keeps every count (named volumes)', async () => {
    const want = ledger.expectedPerAd();
    await run.compose('down');
    await run.compose('up', '-d');
    const got = await eventually(() => ledger.countedPerAd(0), 300_000, 'counts after up');
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(want));
    // And the pipeline runs again: the job came back from its checkpoint and counts new clicks.
    await eventually(async () => ((await fetch(`${run.ingestUrl}/readyz`)).ok ? true : undefined), 120_000, 'ingest');
    const more = await ledger.load(6, 99);
    expect(await expectExact(more.endedAt)).toEqual({ over: 0, under: 0 });
  });
});
