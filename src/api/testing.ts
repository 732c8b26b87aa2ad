/** Test doubles for the unit tests of the app: a StatsStore that records its calls, and fixed keys. */
import type { FastifyInstance } from 'fastify';
import { logger } from '../shared/logger.ts';
import { buildApp } from './app.ts';
import type { KeyVerifier } from './auth/authenticate.ts';
import type { Scope } from './auth/scope.ts';
import { ApiMetrics } from './metrics.ts';
import type { StatsStore } from './queries/stats-store.ts';
import type { RateLimits } from './rate-limit.ts';

export interface RecordingStore extends StatsStore {
  calls: { method: string; args: unknown[] }[];
  /** Ad -> campaign, for adInCampaigns. */
  campaignOf: Map<string, string>;
}

export function recordingStore(): RecordingStore {
  const calls: RecordingStore['calls'] = [];
  const campaignOf = new Map<string, string>();
  const record = (method: string, args: unknown[]) => calls.push({ method, args });
  return {
    calls,
    campaignOf,
    async clicks(...args) {
      record('clicks', args);
      return [{ startMs: args[2].fromMs, clicks: 3, late: 1, final: true }];
    },
    async top(...args) {
      record('top', args);
      return [{ ad_id: 'ad-1', clicks: 3 }];
    },
    async rejected(...args) {
      record('rejected', args);
      return { duplicate: 1, rate_limited: 0, bot: 0, blocked: 0 };
    },
    async late(...args) {
      record('late', args);
      return [];
    },
    async adInCampaigns(campaigns, adId) {
      record('adInCampaigns', [campaigns, adId]);
      return campaigns.includes(campaignOf.get(adId) ?? '');
    },
    async ping() {
      record('ping', []);
    },
  };
}

export function fixedKeys(keys: Record<string, Scope>): KeyVerifier {
  return async (key) => (Object.hasOwn(keys, key) ? keys[key] : undefined);
}

/** Limits far above what a unit test sends; rate-limit tests pass their own. */
export const TEST_RATE_LIMITS: RateLimits = {
  perAddress: { perSecond: 1000, burst: 1000 },
  perKey: { perSecond: 1000, burst: 1000 },
};

const quiet = logger.child({ component: 'api-test' }, { level: 'silent' });

export function testApp(
  store: StatsStore,
  keys: Record<string, Scope>,
  rateLimits: RateLimits = TEST_RATE_LIMITS,
): FastifyInstance {
  return buildApp({ store, verifyKey: fixedKeys(keys), metrics: new ApiMetrics(), log: quiet, rateLimits });
}
