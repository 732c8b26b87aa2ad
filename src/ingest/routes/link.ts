/**
 * GET /c/<token>: a signed click link. A valid token always redirects (302), whatever the
 * verdict, even if the link has expired (its click is then invalid, "expired link") and even
 * if Kafka is down (the click is spooled); anything else is a 400 that never redirects, so the
 * endpoint cannot be used as an open redirect.
 */
import type { FastifyInstance } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { MAX_USER_AGENT, isCleanText } from '../../shared/click.ts';
import { normalizeIp } from '../../shared/ip.ts';
import type { Logger } from '../../shared/logger.ts';
import type { LinkClicks } from '../link-clicks.ts';
import type { IngestMetrics } from '../metrics.ts';
import { linkSchema } from '../route-schemas.ts';
import { verifyLink } from '../link-token.ts';
import { linkUserId, USER_COOKIE, userCookieOptions } from '../user-cookie.ts';

export interface LinkRouteDeps {
  secrets: Record<string, string>;
  userSecret: string;
  linkClicks: LinkClicks;
  metrics: IngestMetrics;
  now: () => number;
  log: Logger;
}

export function linkRoute(app: FastifyInstance, deps: LinkRouteDeps): void {
  app.get<{ Params: { '*': string } }>('/c/*', { schema: linkSchema }, async (request, reply) => {
    const verified = verifyLink(request.params['*'], deps.secrets);
    if (!verified.ok) return reply.code(400).send({ error: `invalid link: ${verified.error}` });
    const { link } = verified;
    const now = deps.now();
    const userAgent = (request.headers['user-agent'] ?? '').slice(0, MAX_USER_AGENT);
    // One spelling per address before the blocklist and the limits (::ffff:a.b.c.d is a.b.c.d).
    const ip = normalizeIp(request.ip);
    const signed = request.cookies[USER_COOKIE];
    const user = linkUserId(
      { ip, userAgent, cookie: signed === undefined ? undefined : request.unsignCookie(signed) },
      deps.userSecret,
    );
    const invalid =
      link.expiresAt != null && now > link.expiresAt
        ? 'expired link'
        : isCleanText(userAgent)
          ? null
          : 'user_agent: must be well-formed Unicode without control characters';
    if (invalid !== null) {
      // Invalid clicks are written nowhere (docs/messages.md); the visitor still gets the page.
      deps.metrics.clicks.inc({ verdict: 'invalid' });
      deps.log.debug({ ad_id: link.adId, reason: invalid }, 'invalid link click');
    } else {
      const click = {
        click_id: uuidv7(),
        ad_id: link.adId,
        user_id: user.userId,
        ts: now,
        client_ts: now,
        ip,
        user_agent: userAgent,
        campaign_id: link.campaignId,
        // A link follower is anyone: anonymous, limited by its address and signed identity.
        sender: null,
      };
      try {
        await deps.linkClicks.record(click);
      } catch (err) {
        // Kafka and the spool both failed (disk full?). Holding the visitor back saves no click.
        deps.log.error({ err, click_id: click.click_id }, 'link click lost: neither Kafka nor the spool took it');
      }
    }
    if (user.fresh) reply.setCookie(USER_COOKIE, user.userId, userCookieOptions(request.protocol === 'https'));
    // Every visit must reach us to be counted: no cached redirects.
    return reply.header('cache-control', 'no-store').redirect(link.url, 302);
  });
}
