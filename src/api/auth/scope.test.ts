import { describe, expect, it } from 'vitest';
import { adAccess } from './access.ts';
import { describeScope, ingestScopeWith, parseScopeArg, scopeSchema, type Scope } from './scope.ts';

describe('parseScopeArg', () => {
  it('parses the four kinds', () => {
    expect(parseScopeArg('all')).toEqual({ ok: true, scope: { kind: 'all' } });
    expect(parseScopeArg('ingest')).toEqual({ ok: true, scope: { kind: 'ingest' } });
    expect(parseScopeArg('campaigns:c1, c2')).toEqual({
      ok: true,
      scope: { kind: 'campaigns', campaigns: ['c1', 'c2'] },
    });
    expect(parseScopeArg('ad-prefixes:acme-,acme:')).toEqual({
      ok: true,
      scope: { kind: 'ad_prefixes', prefixes: ['acme-', 'acme:'] },
    });
  });

  it.each([
    '',
    'everything',
    'campaigns:',
    'campaigns',
    'ad-prefixes:,',
    "campaigns:c1,c'2",
    'ad_prefixes:a',
    'ad-prefixes:a b',
  ])('refuses %j', (arg) => {
    expect(parseScopeArg(arg).ok).toBe(false);
  });

  it('refuses scopes with unknown fields (a typo must not widen access)', () => {
    expect(scopeSchema.safeParse({ kind: 'all', campaigns: ['x'] }).success).toBe(false);
    expect(scopeSchema.safeParse({ kind: 'campaigns', campaign: ['x'] }).success).toBe(false);
  });
});

describe('ingestScopeWith', () => {
  it('adds an ingest key its campaigns, and refuses the ingest flags on stats keys', () => {
    const ingest = { kind: 'ingest' } as const;
    expect(ingestScopeWith(ingest, {})).toEqual({ ok: true, scope: { kind: 'ingest' } });
    expect(ingestScopeWith(ingest, { sender: 'acme', campaigns: 'c1, c2' })).toEqual({
      ok: true,
      scope: { kind: 'ingest', campaigns: ['c1', 'c2'] },
    });
    expect(ingestScopeWith(ingest, { campaigns: 'c1,bad id' })).toEqual({
      ok: false,
      error: '--campaigns: "bad id" may only contain A-Z a-z 0-9 _ . : -',
    });
    expect(ingestScopeWith(ingest, { campaigns: ',' })).toMatchObject({ ok: false });
    expect(ingestScopeWith({ kind: 'all' }, { sender: 's' })).toEqual({
      ok: false,
      error: '--sender and --campaigns are for --scope ingest only',
    });
    expect(ingestScopeWith({ kind: 'all' }, {})).toEqual({ ok: true, scope: { kind: 'all' } });
  });

  it('describes an ingest key with its campaigns', () => {
    expect(describeScope({ kind: 'ingest', campaigns: ['c1', 'c2'] })).toBe(
      'ingest (sends clicks naming campaigns c1, c2, reads nothing)',
    );
  });
});

describe('adAccess', () => {
  const owner = (owned: Record<string, string>) => async (campaigns: readonly string[], adId: string) =>
    campaigns.includes(owned[adId] ?? '');
  const prefixes: Scope = { kind: 'ad_prefixes', prefixes: ['acme-', 'acme2:'] };
  const campaigns: Scope = { kind: 'campaigns', campaigns: ['c1'] };

  it('lets an internal key read any ad', async () => {
    expect(await adAccess({ kind: 'all' }, 'whatever', owner({}))).toEqual({ ok: true });
  });

  it('lets a prefix key read its ads only, and says why not', async () => {
    expect(await adAccess(prefixes, 'acme-1', owner({}))).toEqual({ ok: true });
    expect(await adAccess(prefixes, 'acme2:x', owner({}))).toEqual({ ok: true });
    const denied = await adAccess(prefixes, 'rival-1', owner({}));
    expect(denied).toEqual({
      ok: false,
      reason: `ad "rival-1" is outside this key's scope (${describeScope(prefixes)})`,
    });
    expect((await adAccess(prefixes, 'acme', owner({}))).ok).toBe(false);
  });

  it('asks the store for campaign keys', async () => {
    const store = owner({ 'ad-1': 'c1', 'ad-2': 'c2' });
    expect(await adAccess(campaigns, 'ad-1', store)).toEqual({ ok: true });
    expect((await adAccess(campaigns, 'ad-2', store)).ok).toBe(false);
    expect((await adAccess(campaigns, 'unknown', store)).ok).toBe(false);
  });
});
