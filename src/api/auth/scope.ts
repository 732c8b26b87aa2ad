/**
 * What an API key may read: every ad (internal use), the ads of some campaigns, or the ads whose
 * ids start with some prefixes (an advertiser sees only its own ads).
 */
import { z } from 'zod';

/** Campaign ids and ad-id prefixes use the click contract's id alphabet, so they are safe in SQL and URLs. */
const idToken = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'may only contain A-Z a-z 0-9 _ . : -');

export const scopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }).strict(),
  z.object({ kind: z.literal('campaigns'), campaigns: z.array(idToken).min(1) }).strict(),
  z.object({ kind: z.literal('ad_prefixes'), prefixes: z.array(idToken).min(1) }).strict(),
]);

export type Scope = z.infer<typeof scopeSchema>;

export type ScopeArg = { ok: true; scope: Scope } | { ok: false; error: string };

const SCOPE_USAGE = 'scope must be all, campaigns:C1,C2 or ad-prefixes:P1,P2';

/** Parses the CLI's `--scope` value: `all`, `campaigns:c1,c2` or `ad-prefixes:p1,p2`. */
export function parseScopeArg(arg: string): ScopeArg {
  if (arg === 'all') return { ok: true, scope: { kind: 'all' } };
  const colon = arg.indexOf(':');
  if (colon < 0) return { ok: false, error: SCOPE_USAGE };
  const kind = arg.slice(0, colon);
  const items = arg.slice(colon + 1).split(',').map((s) => s.trim()).filter(Boolean);
  const candidate =
    kind === 'campaigns' ? { kind: 'campaigns', campaigns: items }
    : kind === 'ad-prefixes' ? { kind: 'ad_prefixes', prefixes: items }
    : undefined;
  if (candidate === undefined) return { ok: false, error: SCOPE_USAGE };
  const parsed = scopeSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `${kind}: ${issue?.path.length ? `"${items[Number(issue.path[1])] ?? ''}" ` : ''}${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, scope: parsed.data };
}

/** A one-line description for listings and error messages. */
export function describeScope(scope: Scope): string {
  switch (scope.kind) {
    case 'all': return 'all ads';
    case 'campaigns': return `campaigns ${scope.campaigns.join(', ')}`;
    case 'ad_prefixes': return `ad-id prefixes ${scope.prefixes.join(', ')}`;
  }
}

export function matchesPrefixes(prefixes: readonly string[], adId: string): boolean {
  return prefixes.some((p) => adId.startsWith(p));
}
