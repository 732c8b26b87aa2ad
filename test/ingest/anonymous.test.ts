/**
 * Anonymous callers against the real Redis and Kafka, over a real socket: whatever they claim
 * (user_id, ts, X-Sent-At, user agent, cookie), their address limits the clicks they get
 * accepted, in the minute received; and their ids live apart from a keyed sender's.
 * Each test speaks from an address of its own (X-Forwarded-For from a trusted loopback proxy),
 * so the per-address limits of one test do not spend another's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legacyVerdictKey } from '../../src/dedup/keys.ts';
import { signLink } from '../../src/ingest/link-token.ts';
import { eventually } from '../helpers/prefix.ts';
import { topicNames } from '../../src/shared/names.ts';
import {
  BROWSER,
  cleanUp,
  listenLocally,
  readTopic,
  setUpTopics,
  startTestIngest,
  testEnv,
  type TestIngest,
} from './harness.ts';

const MINUTE = 60_000;
let ingest: TestIngest;
let base = '';
let nextAddress = 0;

beforeAll(async () => {
  ingest = await startTestIngest(await testEnv('anon', { TOLLBOOTH_TRUSTED_PROXIES: '127.0.0.1' }));
  await setUpTopics(ingest.config);
  base = await listenLocally(ingest);
});
afterAll(async () => {
  await ingest?.close();
  if (ingest) await cleanUp(ingest.config);
});

const uniq = () => Math.random().toString(36).slice(2, 10);
/** An address no other test uses. */
const address = () => `198.51.100.${++nextAddress}`;

/** Waits (polling the clock) until at least 20 s of the current minute remain, so a test's requests share one. */
async function freshMinute(): Promise<void> {
  await eventually(async () => (Date.now() % MINUTE < 40_000 ? true : undefined), 30_000, 'a fresh minute');
}

interface Reply {
  accepted: number;
  results: { click_id: string | null; status: string }[];
}

async function post(items: unknown[], from: string, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await fetch(`${base}/v1/clicks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': BROWSER, 'x-forwarded-for': from, ...headers },
    body: JSON.stringify(items),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Reply;
}

const keyed = { authorization: '' };
const click = (over: Record<string, unknown> = {}) => ({
  click_id: `c-${uniq()}`,
  ad_id: 'ad-anon',
  user_id: `u-${uniq()}`,
  ts: Date.now(),
  ...over,
});

describe('anonymous callers are limited by address, in the minute received', () => {
  beforeAll(() => {
    keyed.authorization = `Bearer ${ingest.ingestKey}`;
  });

  it('counts at most 5 of 1,000 clicks from one address with 1,000 user_ids on one ad', async () => {
    await freshMinute();
    const from = address();
    let accepted = 0;
    // Ten requests of 100: the anonymous request size the contract allows.
    for (let r = 0; r < 10; r++)
      accepted += (
        await post(
          Array.from({ length: 100 }, () => click()),
          from,
        )
      ).accepted;
    expect(accepted).toBe(5);
  });

  it('counts at most 30 clicks of one address across ads in a minute', async () => {
    await freshMinute();
    const from = address();
    const items = Array.from({ length: 60 }, (_, i) => click({ ad_id: `ad-${i % 12}` }));
    expect((await post(items, from)).accepted).toBe(30);
  });

  it('counts at most 5 of 60 back-dated clicks of one user in one request', async () => {
    await freshMinute();
    const now = Date.now();
    const user = `u-${uniq()}`;
    const items = Array.from({ length: 60 }, (_, i) =>
      click({ user_id: user, ad_id: `ad-${i}`, ts: now - i * MINUTE }),
    );
    expect((await post(items, address())).accepted).toBe(5);
  });

  it('opens no fresh minutes with X-Sent-At in the future', async () => {
    await freshMinute();
    const from = address();
    const user = `u-${uniq()}`;
    let accepted = 0;
    for (let i = 0; i < 20; i++) {
      const now = Date.now();
      // Sent "59 - i minutes from now": the ingest moves each click back into a past minute of its own.
      const sentAt = String(now + (59 - i) * MINUTE);
      accepted += (await post([click({ user_id: user, ad_id: `ad-${i}`, ts: now })], from, { 'x-sent-at': sentAt }))
        .accepted;
    }
    expect(accepted).toBe(5);
  });

  it('groups IPv6 addresses by /64', async () => {
    await freshMinute();
    const prefix = `2001:db8:${(++nextAddress).toString(16)}:1`;
    let accepted = 0;
    for (let i = 1; i <= 10; i++) accepted += (await post([click()], `${prefix}::${i.toString(16)}`)).accepted;
    expect(accepted).toBe(5);
  });

  it('keeps event-minute limits for a keyed sender: an hour of backlog of one user is accepted', async () => {
    const now = Date.now();
    const user = `u-${uniq()}`;
    const items = Array.from({ length: 30 }, (_, i) =>
      click({ user_id: user, ad_id: `ad-${i}`, ts: now - (i + 1) * MINUTE, ip: '10.9.9.9' }),
    );
    expect((await post(items, address(), keyed)).accepted).toBe(30);
  });

  it('counts a signed link followed 20 times with 20 user agents or made-up cookies at most 5 times', async () => {
    await freshMinute();
    const { linkSecrets, linkKeyId } = ingest.config.ingest;
    const ad = `link-ad-${uniq()}`;
    const token = signLink({ adId: ad, url: 'https://example.com/', campaignId: null }, linkSecrets, linkKeyId);
    const accepted = () => ingest.runtime.pipeline.metrics.clicks.get().then(countOf('accepted'));
    const before = await accepted();
    const from = address();
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${base}/c/${token}`, {
        redirect: 'manual',
        headers: { 'user-agent': `${BROWSER} r${i}`, 'x-forwarded-for': from, cookie: `tb_uid=made-up-${i}` },
      });
      expect(res.status).toBe(302);
    }
    expect((await accepted()) - before).toBe(5);
    const limited = await ingest.runtime.pipeline.metrics.rateLimited.get();
    expect(limited.values.find((v) => v.labels.reason === 'address_ad')?.value).toBeGreaterThanOrEqual(15);
  });
});

const countOf =
  (verdict: string) =>
  (metric: { values: { labels: Record<string, string | number>; value: number }[] }): number =>
    metric.values.find((v) => v.labels.verdict === verdict)?.value ?? 0;

describe('identities are scoped to their sender', () => {
  it('counts a keyed click whose click_id an anonymous click took first', async () => {
    const id = `squat-${uniq()}`;
    const ts = Date.now();
    const squat = click({ click_id: id, ad_id: 'attacker-ad', ts });
    const from = address();
    expect((await post([squat], from)).results[0]?.status).toBe('accepted');
    const genuine = click({ click_id: id, ad_id: 'victim-ad', ts, ip: '10.1.1.1' });
    expect((await post([genuine], address(), keyed)).results[0]?.status).toBe('accepted');
    // Nor the reverse: the anonymous click's retry is still its own.
    expect((await post([squat], from)).results[0]?.status).toBe('accepted');
  });

  it('counts a keyed click whose user an anonymous click claimed on the same ad and minute', async () => {
    const user = `victim-${uniq()}`;
    const ts = Date.now();
    expect((await post([click({ user_id: user, ad_id: 'ad-v', ts })], address())).accepted).toBe(1);
    const genuine = click({ user_id: user, ad_id: 'ad-v', ts, ip: '10.1.1.2', campaign_id: 'cmp-v' });
    expect((await post([genuine], address(), keyed)).results[0]?.status).toBe('accepted');
  });

  it('reads the unscoped verdict memory of a click decided before the upgrade (same content only)', async () => {
    const ts = Date.now() - 2 * MINUTE;
    const old = click({ ts, ip: '10.1.1.3' });
    // What the store wrote before sender namespaces: a first verdict that no rule would give now.
    const memory = `1\nrate_limited\n${ts}\n${old.ad_id}\n${old.user_id}\n${ts}`;
    const p = ingest.config.dedup.keyPrefix;
    await ingest.runtime.redis.set(legacyVerdictKey(p, old.click_id), memory, 'EX', 600);
    expect((await post([old], address(), keyed)).results[0]?.status).toBe('rate_limited');
    // Another sender's content under the same click_id is not this sender's retry.
    const other = click({ ts, ip: '10.1.1.4' });
    await ingest.runtime.redis.set(
      legacyVerdictKey(p, other.click_id),
      `1\naccepted\n${ts}\nad-x\nu-x\n${ts}`,
      'EX',
      600,
    );
    expect((await post([other], address(), keyed)).results[0]?.status).toBe('accepted');
  });

  it('writes the resend of a pre-upgrade click whose write was never acknowledged without a sender, as its first copy', async () => {
    const ts = Date.now() - 2 * MINUTE;
    const pending = click({ ts, ip: '10.1.1.5' });
    const p = ingest.config.dedup.keyPrefix;
    // Decided accepted before namespaces, its Kafka write never acknowledged (first byte 0).
    const memory = `0\naccepted\n${ts}\n${pending.ad_id}\n${pending.user_id}\n${ts}`;
    await ingest.runtime.redis.set(legacyVerdictKey(p, pending.click_id), memory, 'EX', 600);
    expect((await post([pending], address(), keyed)).results[0]?.status).toBe('accepted');
    const msgs = await readTopic(ingest.config, topicNames(ingest.config).clicks, (m) =>
      m.some((d) => d.message.kind === 'click' && d.message.click_id === pending.click_id),
    );
    const record = msgs.find((d) => d.message.kind === 'click' && d.message.click_id === pending.click_id);
    // The engine counts (sender, click_id): an unscoped first copy and this resend are one click.
    expect(record?.message.kind === 'click' ? record.message.sender : 'none').toBeUndefined();
    // Acknowledged now: another resend is a retry and is written nowhere.
    expect((await post([pending], address(), keyed)).results[0]?.status).toBe('accepted');
  });
});
