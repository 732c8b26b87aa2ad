import { describe, expect, it } from 'vitest';
import { parseRawClickFast, rawClickSchema } from './click.ts';

// Values each field may take: valid ones, edge cases of every rule, and wrong types.
const VALUES: Record<string, unknown[]> = {
  click_id: ['c-1', 'a'.repeat(64), 'a'.repeat(65), '', 'a b', 'c.1', 7, null, undefined, ['c']],
  ad_id: ['ad.1:x', 'd'.repeat(64), 'd'.repeat(65), '', 'ad/1', 'ad 1', 1, null, undefined],
  user_id: [
    'user 1',
    'u'.repeat(128),
    'u'.repeat(129),
    '',
    'a\u0000b',
    'a\u009fb',
    'a\ud800b',
    'ok \ud83d\ude00',
    'jos\u00e9',
    'jose\u0301',
    'user\u200b1',
    '\ufeffuser',
    'user\u2028',
    'user\uffff',
    'user ',
    '\u00a0user',
    'a\u0958',
    3,
    null,
    undefined,
  ],
  ts: [
    1748779200000,
    0,
    -0,
    -1,
    1.5,
    Number.MAX_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER + 1,
    NaN,
    Infinity,
    '2025-06-01T12:00:00Z',
    '2025-06-01T14:00:00+0200',
    '2025-02-30T12:00:00Z',
    '2025-06-01T12:00:00',
    `2025-06-01T12:00:00.${'1'.repeat(30)}Z`,
    '',
    true,
    null,
    undefined,
    {},
  ],
  ip: [
    '192.0.2.1',
    '2001:db8::1',
    '::ffff:192.0.2.1',
    'fe80::1%eth0',
    'not-an-ip',
    '',
    '1'.repeat(46),
    5,
    null,
    undefined,
  ],
  user_agent: ['Mozilla/5.0', '', 'x'.repeat(1024), 'x'.repeat(1025), 'a\r\nb', '\udc00', 9, null, undefined],
  campaign_id: ['cmp-1', 'c.m:p_1', '', 'c'.repeat(65), 'cmp 1', null, undefined, { nested: true }, 4],
};
const FIELDS = Object.keys(VALUES);

/** A small deterministic PRNG (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function item(next: () => number, validBias: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) {
    const options = VALUES[f] ?? [];
    // Mostly the first (valid) value, so that combinations with one bad field are common.
    const v = next() < validBias ? options[0] : options[Math.floor(next() * options.length)];
    if (v !== undefined) out[f] = v;
  }
  return out;
}

const defined = (o: object) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

describe('parseRawClickFast', () => {
  it('accepts only what the schema accepts, with the same values', () => {
    const next = random(42);
    let fast = 0;
    for (let i = 0; i < 5_000; i++) {
      const raw = item(next, i % 2 === 0 ? 0.9 : 0.3);
      const quick = parseRawClickFast(raw);
      const parsed = rawClickSchema.safeParse(raw);
      if (quick === null) continue;
      fast++;
      expect(parsed.success, JSON.stringify(raw)).toBe(true);
      expect(defined(quick), JSON.stringify(raw)).toEqual(parsed.success ? parsed.data : null);
    }
    expect(fast).toBeGreaterThan(250);
  });

  it('takes the common shapes of a click', () => {
    const base = { click_id: 'c-1', ad_id: 'ad-1', user_id: 'u-1', ts: 1748779200000 };
    expect(parseRawClickFast(base)).not.toBeNull();
    expect(
      parseRawClickFast({
        ...base,
        ts: '2025-06-01T12:00:00Z',
        ip: '::1',
        user_agent: '',
        campaign_id: null,
        extra: 1,
      }),
    ).not.toBeNull();
    for (const bad of [null, [], 'x', { ...base, ts: 1.5 }]) expect(parseRawClickFast(bad)).toBeNull();
  });
});
