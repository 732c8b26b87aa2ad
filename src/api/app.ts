/**
 * The stats API app, built apart from where it listens: `buildApp(deps)` wires the routes to
 * their dependencies; main.ts makes the real ones and listens. The /v1 routes sit behind API-key
 * authentication; every route has the rate limits of rate-limit.ts (a valid key's budget, or
 * else the client address's) and the security headers of security-headers.ts; health, metrics, docs and the dashboard page are open.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../shared/logger.ts';
import { authenticate, type KeyVerifier } from './auth/authenticate.ts';
import { registerDashboard } from './dashboard/register.ts';
import { errorHandler } from './error-handler.ts';
import type { ApiMetrics } from './metrics.ts';
import type { StatsStore } from './queries/stats-store.ts';
import { registerRateLimits, type RateLimits } from './rate-limit.ts';
import { registerSecurityHeaders } from './security-headers.ts';
import { trackRoutes } from './route-list.ts';
import { clicksRoute } from './routes/clicks.ts';
import { docsRoutes, registerOpenApi } from './routes/docs.ts';
import { healthRoutes } from './routes/health.ts';
import { lateRoute } from './routes/late.ts';
import { overviewRoute } from './routes/overview.ts';
import { rejectedRoute } from './routes/rejected.ts';
import { topRoute } from './routes/top.ts';

export interface ApiDeps {
  store: StatsStore;
  verifyKey: KeyVerifier;
  metrics: ApiMetrics;
  log: Logger;
  rateLimits: RateLimits;
}

export function buildApp(deps: ApiDeps): FastifyInstance {
  const { store, metrics, log } = deps;
  const loggerInstance: FastifyBaseLogger = log;
  const app = Fastify({
    loggerInstance,
    // Dashboards poll every few seconds; /metrics counts requests, a log line each would be noise.
    logController: new LogController({ disableRequestLogging: true }),
    // Longer than any valid ad id (64), so an over-long one gets a 400 that says so, not a 404.
    routerOptions: { maxParamLength: 1000 },
  });
  trackRoutes(app);
  registerOpenApi(app);
  // Route schemas describe (the OpenAPI document); zod validates (params.ts), so a bad parameter
  // keeps its 400 naming it, and replies are sent as the handlers build them.
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.decorateRequest('apiScope', null);

  registerSecurityHeaders(app);
  // First of all: a client over its limit costs no query.
  registerRateLimits(app, deps.rateLimits, deps.verifyKey);
  app.setErrorHandler(errorHandler(log));
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'not found' }));
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the URL: ad ids and junk paths must not become label values.
    metrics.requests.inc({ route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) });
  });

  void app.register(async (v1) => {
    v1.addHook('onRequest', authenticate(deps.verifyKey));
    clicksRoute(v1, store);
    topRoute(v1, store);
    rejectedRoute(v1, store);
    lateRoute(v1, store);
    overviewRoute(v1, store);
  });
  // In a plugin, so that they are added once the OpenAPI plugin listens for routes.
  void app.register(async (open) => {
    healthRoutes(open, { ping: () => store.ping(), metrics });
    docsRoutes(open);
    registerDashboard(open);
  });
  return app;
}
