import { describe, expect, it } from 'vitest';
import { clickIdOf, parseIsoWithZone, validateClick } from './click.ts';
import { receiveClock } from './event-time.ts';

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
const HOUR = 3_600_000;
const clock = { receivedAt: NOW, offsetMs: 0, horizonMs: HOUR };
const DEFAULTS = { ip: '192.0.2.1', userAgent: 'Mozilla/5.0', trusted: false, sender: null, clock };
const TRUSTED = { ...DEFAULTS, trusted: true, sender: 'server-a' };
const good = { click_id: 'c-1', ad_id: 'ad.1:x', user_id: 'user 1', ts: NOW };
const check = (over: Record<string, unknown>) => validateClick({ ...good, ...over }, TRUSTED);

describe('validateClick', () => {
  it('fills in ip and user_agent from the request and campaign_id as null', () => {
    expect(validateClick(good, DEFAULTS)).toEqual({
      ok: true,
      click: {
        ...good,
        client_ts: NOW,
        ip: '192.0.2.1',
        user_agent: 'Mozilla/5.0',
        campaign_id: null,
        sender: null,
      },
    });
  });

  it("scopes a click to the keyed caller's sender, never to one an anonymous caller names", () => {
    expect(validateClick(good, { ...TRUSTED, sender: 'acme' })).toMatchObject({ ok: true, click: { sender: 'acme' } });
    expect(validateClick(good, { ...DEFAULTS, sender: 'acme' })).toMatchObject({ ok: true, click: { sender: null } });
  });

  it('honours the body ip, user_agent and campaign_id only from a trusted (ingest key) caller', () => {
    const claimed = { ...good, ip: '198.51.100.7', user_agent: 'Claimed/1.0', campaign_id: 'cmp-1' };
    expect(validateClick(claimed, DEFAULTS)).toMatchObject({
      ok: true,
      click: { ip: '192.0.2.1', user_agent: 'Mozilla/5.0', campaign_id: null },
    });
    expect(validateClick(claimed, TRUSTED)).toMatchObject({
      ok: true,
      click: { ip: '198.51.100.7', user_agent: 'Claimed/1.0', campaign_id: 'cmp-1', sender: 'server-a' },
    });
  });

  it('takes the earlier of ts and the receive time as event time, keeping the ts as sent', () => {
    expect(check({ ts: NOW + 4 * 60_000 })).toMatchObject({
      ok: true,
      click: { ts: NOW, client_ts: NOW + 4 * 60_000 },
    });
    expect(check({ ts: NOW - 1000 })).toMatchObject({ ok: true, click: { ts: NOW - 1000, client_ts: NOW - 1000 } });
  });

  it('corrects ts by X-Sent-At before the bounds and the min', () => {
    // The device clock is 10 minutes ahead: its click 1 s before sending happened 1 s before receipt.
    const skewed = { ...TRUSTED, clock: receiveClock(NOW, String(NOW + 10 * 60_000), HOUR) };
    expect(validateClick({ ...good, ts: NOW + 10 * 60_000 - 1000 }, skewed)).toMatchObject({
      ok: true,
      click: { ts: NOW - 1000, client_ts: NOW + 10 * 60_000 - 1000 },
    });
    // A sent-at further off than the horizon is ignored: the same click is then too far ahead.
    const wild = { ...TRUSTED, clock: receiveClock(NOW, String(NOW + 2 * HOUR), HOUR) };
    expect(validateClick({ ...good, ts: NOW + 2 * HOUR }, wild)).toEqual({
      ok: false,
      error: 'ts: is more than 5 minutes in the future',
    });
    expect(receiveClock(NOW, 'soon', HOUR).offsetMs).toBe(0);
  });

  it('takes user_id in NFC and refuses look-alikes, naming why', () => {
    expect(check({ user_id: 'jose\u0301' })).toMatchObject({ ok: true, click: { user_id: 'jos\u00e9' } });
    expect(check({ user_id: 'u\u2060' })).toEqual({
      ok: false,
      error: 'user_id: must not contain format characters (zero-width, BOM, direction marks)',
    });
    expect(check({ user_id: '\u2029u' })).toEqual({
      ok: false,
      error: 'user_id: must not contain line or paragraph separators',
    });
    expect(check({ user_id: 'u\ufdd0' })).toEqual({
      ok: false,
      error: 'user_id: must not contain noncharacters (such as U+FFFF)',
    });
    expect(check({ user_id: 'u\t' })).toEqual({ ok: false, error: 'user_id: must not contain control characters' });
    expect(check({ user_id: '\u3000u' })).toEqual({
      ok: false,
      error: 'user_id: must not start or end with white space',
    });
    expect(check({ user_id: 'a b\u00e9 \u4e2d\u{1f600}' })).toMatchObject({ ok: true });
  });

  it('normalizes ips: an IPv4-mapped IPv6 address is its IPv4 address', () => {
    expect(check({ ip: '::ffff:cb00:714d' })).toMatchObject({ ok: true, click: { ip: '203.0.113.77' } });
    expect(check({ ip: '2001:DB8:0::1' })).toMatchObject({ ok: true, click: { ip: '2001:db8::1' } });
    expect(validateClick(good, { ...DEFAULTS, ip: '::ffff:127.0.0.1' })).toMatchObject({
      ok: true,
      click: { ip: '127.0.0.1' },
    });
  });

  it('lets a key with a campaign list name only those campaigns', () => {
    const listed = { ...TRUSTED, campaigns: ['c1', 'c2'] };
    expect(validateClick({ ...good, campaign_id: 'c2' }, listed)).toMatchObject({
      ok: true,
      click: { campaign_id: 'c2' },
    });
    expect(validateClick({ ...good, campaign_id: 'c3' }, listed)).toEqual({
      ok: false,
      error: 'campaign_id: this key may name only campaigns c1, c2',
    });
    expect(validateClick(good, listed)).toMatchObject({ ok: true, click: { campaign_id: null } });
    expect(check({ campaign_id: 'c3' })).toMatchObject({ ok: true, click: { campaign_id: 'c3' } });
  });

  it('refuses a click older than the dedup horizon', () => {
    expect(check({ ts: NOW - HOUR - 1 })).toEqual({ ok: false, error: 'ts: too old (older than the dedup horizon)' });
    expect(check({ ts: NOW - HOUR }).ok).toBe(true);
  });

  it.each(['user_id', 'user_agent'])('refuses a lone surrogate in %s', (field) => {
    for (const bad of ['a\ud800b', '\udc00', 'x\udbff']) {
      expect(check({ [field]: bad })).toEqual({
        ok: false,
        error: `${field}: must be well-formed Unicode (no lone surrogates)`,
      });
    }
    expect(check({ [field]: 'emoji \ud83d\ude00 ok' }).ok).toBe(true);
  });

  it('refuses a lone surrogate or control character in the User-Agent header of an anonymous caller', () => {
    expect(validateClick(good, { ...DEFAULTS, userAgent: 'a\ud800' })).toEqual({
      ok: false,
      error: 'user_agent: must be well-formed Unicode without control characters',
    });
  });

  it('normalises an ISO-8601 ts with a zone to epoch ms', () => {
    const r = check({ ts: '2025-06-01T13:59:30.5+02:00' });
    expect(r.ok && [r.click.ts, r.click.client_ts]).toEqual([NOW - 30_000 + 500, NOW - 30_000 + 500]);
  });

  it.each([
    [{ click_id: '' }, 'click_id: must not be empty'],
    [{ click_id: 'a'.repeat(65) }, 'click_id: must be at most 64 characters'],
    [{ click_id: 'a b' }, 'click_id: may only contain A-Z a-z 0-9 _ -'],
    [{ click_id: 7 }, 'click_id: Expected string, received number'],
    [{ ad_id: 'ad/1' }, 'ad_id: may only contain A-Z a-z 0-9 _ . : -'],
    [{ user_id: 'x'.repeat(129) }, 'user_id: must be at most 128 characters'],
    [{ user_id: 'a\u0000b' }, 'user_id: must not contain control characters'],
    [{ ts: 1.5 }, 'ts: must be an integer (epoch ms)'],
    [{ ts: '2025-06-01T12:00:00' }, 'ts: must be ISO-8601 with a zone'],
    [{ ts: '2025-02-30T12:00:00Z' }, 'ts: must be ISO-8601 with a zone'],
    [{ ts: true }, 'ts: must be epoch ms (integer) or ISO-8601 with a zone'],
    [{ ts: NOW + 5 * 60_000 + 1 }, 'ts: is more than 5 minutes in the future'],
    [{ ip: 'not-an-ip' }, 'ip: must be an IPv4 or IPv6 address'],
    [{ user_agent: 'Mozilla\r\nX-Evil: 1' }, 'user_agent: must not contain control characters'],
    [{ campaign_id: { nested: true } }, 'campaign_id: Expected string, received object'],
  ])('rejects %j with "%s"', (over, error) => {
    expect(check(over)).toEqual({ ok: false, error });
  });

  it('accepts ts exactly 5 minutes ahead', () => {
    expect(check({ ts: NOW + 5 * 60_000 }).ok).toBe(true);
  });

  it('names a missing field', () => {
    expect(validateClick({ click_id: 'c' }, DEFAULTS)).toEqual({ ok: false, error: 'ad_id: Required' });
  });

  it.each([null, 42, 'str', [good]])('rejects a non-object item %j', (raw) => {
    expect(validateClick(raw, DEFAULTS)).toEqual({ ok: false, error: 'click: must be a JSON object' });
  });
});

describe('parseIsoWithZone', () => {
  it.each([
    ['2025-06-01T12:00:00Z', NOW],
    ['2025-06-01T12:00Z', NOW],
    ['2025-06-01T14:00:00+0200', NOW],
    ['2025-06-01T12:00:00.123456789Z', NOW + 123],
    ['2025-06-01T24:00:00Z', null],
    ['2025-06-01 12:00:00Z', null],
  ])('%s -> %s', (s, t) => expect(parseIsoWithZone(s)).toBe(t));
});

describe('clickIdOf', () => {
  it('echoes only well-formed ids', () => {
    expect(clickIdOf({ click_id: 'ok_1' })).toBe('ok_1');
    expect(clickIdOf({ click_id: '<script>' })).toBeNull();
    expect(clickIdOf([])).toBeNull();
  });
});
