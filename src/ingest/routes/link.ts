/**
 * GET /c/<token>: a signed click link. A valid token always redirects (302), whatever the
 * verdict and even if Kafka is down (the click is spooled); anything else is a 400 that never
 * redirects, so the endpoint cannot be used as an open redirect.
 */
import type { FastifyInstance } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import type { Logger } from '../../shared/logger.ts';
import type { LinkClicks } from '../link-clicks.ts';
import { verifyLink } from '../link-token.ts';
import { userIdFromCookie } from '../user-cookie.ts';

export interface LinkRouteDeps {
  secrets: Record<string, string>;
  linkClicks: LinkClicks;
  now: () => number;
  log: Logger;
}

// Same cap as a batch item's user_agent.
const MAX_USER_AGENT = 1024;

export function linkRoute(app: FastifyInstance, deps: LinkRouteDeps): void {
  app.get<{ Params: { '*': string } }>('/c/*', async (request, reply) => {
    const verified = verifyLink(request.params['*'], deps.secrets);
    if (!verified.ok) return reply.code(400).send({ error: `invalid link: ${verified.error}` });
    const { link } = verified;
    const user = userIdFromCookie(request.headers.cookie, request.protocol === 'https');
    const click = {
      click_id: uuidv7(),
      ad_id: link.adId,
      user_id: user.userId,
      ts: deps.now(),
      ip: request.ip,
      user_agent: (request.headers['user-agent'] ?? '').slice(0, MAX_USER_AGENT),
      campaign_id: link.campaignId,
    };
    try {
      await deps.linkClicks.record(click);
    } catch (err) {
      // Kafka and the spool both failed (disk full?). Holding the visitor back saves no click.
      deps.log.error({ err, click_id: click.click_id }, 'link click lost: neither Kafka nor the spool took it');
    }
    if (user.setCookie) reply.header('set-cookie', user.setCookie);
    // Every visit must reach us to be counted: no cached redirects.
    return reply.header('cache-control', 'no-store').redirect(link.url, 302);
  });
}
