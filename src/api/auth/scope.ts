/**
 * What an API key may do. A stats key reads every ad (internal use), the ads of some campaigns,
 * or the ads whose ids start with some prefixes (an advertiser sees only its own ads). An
 * ingest key (`ingest`) sends clicks for its users and reads nothing; stats keys ingest nothing.
 */
import { z } from 'zod';
import { AD_ID_ALPHABET, AD_ID_CHARS, ID_MAX_LENGTH } from '../../shared/ids.ts';

/** Campaign ids and ad-id prefixes use the click contract's id alphabet, so they are safe in SQL and URLs. */
const idToken = z.string().min(1).max(ID_MAX_LENGTH).regex(AD_ID_CHARS, `may only contain ${AD_ID_ALPHABET}`);

const statsScopes = [
  z.object({ kind: z.literal('all') }).strict(),
  z.object({ kind: z.literal('campaigns'), campaigns: z.array(idToken).min(1) }).strict(),
  z.object({ kind: z.literal('ad_prefixes'), prefixes: z.array(idToken).min(1) }).strict(),
] as const;
/**
 * An ingest key may list the campaigns its clicks may name (a click naming another is invalid).
 * A key without a list may name any campaign: keys made before lists existed keep working.
 */
const ingestScope = z.object({ kind: z.literal('ingest'), campaigns: z.array(idToken).min(1).optional() }).strict();

/** The scope of a stats key: what it may read. */
export const scopeSchema = z.discriminatedUnion('kind', [...statsScopes]);
/** The scope of any stored key: a stats scope or `ingest`. */
export const keyScopeSchema = z.discriminatedUnion('kind', [...statsScopes, ingestScope]);

export type Scope = z.infer<typeof scopeSchema>;
export type KeyScope = z.infer<typeof keyScopeSchema>;

/** The stats scope of a key, or undefined for an ingest key (which reads nothing). */
export function statsScopeOf(scope: KeyScope): Scope | undefined {
  return scope.kind === 'ingest' ? undefined : scope;
}

export type ScopeArg = { ok: true; scope: KeyScope } | { ok: false; error: string };

const SCOPE_USAGE = 'scope must be all, campaigns:C1,C2, ad-prefixes:P1,P2 or ingest';

/** Parses the CLI's `--scope` value: `all`, `campaigns:c1,c2`, `ad-prefixes:p1,p2` or `ingest`. */
export function parseScopeArg(arg: string): ScopeArg {
  if (arg === 'all') return { ok: true, scope: { kind: 'all' } };
  if (arg === 'ingest') return { ok: true, scope: { kind: 'ingest' } };
  const colon = arg.indexOf(':');
  if (colon < 0) return { ok: false, error: SCOPE_USAGE };
  const kind = arg.slice(0, colon);
  const items = arg
    .slice(colon + 1)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const candidate =
    kind === 'campaigns'
      ? { kind: 'campaigns', campaigns: items }
      : kind === 'ad-prefixes'
        ? { kind: 'ad_prefixes', prefixes: items }
        : undefined;
  if (candidate === undefined) return { ok: false, error: SCOPE_USAGE };
  const parsed = scopeSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      error: `${kind}: ${issue?.path.length ? `"${items[Number(issue.path[1])] ?? ''}" ` : ''}${issue?.message ?? 'invalid'}`,
    };
  }
  return { ok: true, scope: parsed.data };
}

/**
 * The CLI's `--sender` and `--campaigns` for an ingest key: the campaigns go into its scope;
 * both are refused for a stats key.
 */
export function ingestScopeWith(scope: KeyScope, values: { sender?: string; campaigns?: string }): ScopeArg {
  if (scope.kind !== 'ingest') {
    return values.sender === undefined && values.campaigns === undefined
      ? { ok: true, scope }
      : { ok: false, error: '--sender and --campaigns are for --scope ingest only' };
  }
  if (values.campaigns === undefined) return { ok: true, scope };
  // The same id rules as a campaigns: stats scope.
  const listed = parseScopeArg(`campaigns:${values.campaigns}`);
  if (!listed.ok) return { ok: false, error: `--${listed.error}` };
  if (listed.scope.kind !== 'campaigns') return { ok: false, error: '--campaigns: a list such as c1,c2' };
  return { ok: true, scope: { kind: 'ingest', campaigns: listed.scope.campaigns } };
}

/** A one-line description for listings and error messages. */
export function describeScope(scope: KeyScope): string {
  switch (scope.kind) {
    case 'ingest':
      return `ingest (sends clicks${scope.campaigns ? ` naming campaigns ${scope.campaigns.join(', ')}` : ''}, reads nothing)`;
    case 'all':
      return 'all ads';
    case 'campaigns':
      return `campaigns ${scope.campaigns.join(', ')}`;
    case 'ad_prefixes':
      return `ad-id prefixes ${scope.prefixes.join(', ')}`;
  }
}

export function matchesPrefixes(prefixes: readonly string[], adId: string): boolean {
  return prefixes.some((p) => adId.startsWith(p));
}
