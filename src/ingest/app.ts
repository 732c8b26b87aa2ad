/**
 * The ingest HTTP app, built apart from where it listens: `buildApp(deps)` wires the routes
 * to their dependencies; main.ts makes the real ones and listens.
 */
import { fastifyCookie } from '@fastify/cookie';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from '../shared/config.ts';
import type { Logger } from '../shared/logger.ts';
import { BodyBudget } from './body/budget.ts';
import { callerLimits } from './body/limits.ts';
import { errorHandler } from './error-handler.ts';
import type { KeyLookup } from './caller.ts';
import type { LinkClicks } from './link-clicks.ts';
import type { IngestMetrics } from './metrics.ts';
import type { PipelineDeps } from './pipeline.ts';
import type { ReadinessCheck } from './readiness.ts';
import { clicksRoute } from './routes/clicks.ts';
import { healthRoutes } from './routes/health.ts';
import { cookieSecret } from './user-cookie.ts';
import { linkRoute } from './routes/link.ts';
import { openApiRoute, registerOpenApi } from './routes/openapi.ts';

export interface AppDeps {
  config: Config;
  pipeline: PipelineDeps;
  linkClicks: LinkClicks;
  readiness: ReadinessCheck;
  metrics: IngestMetrics;
  /** Finds the scope of an Authorization key (the keys file of `tollbooth keys`). */
  lookupKey: KeyLookup;
  log: Logger;
}

export function buildApp(deps: AppDeps): FastifyInstance {
  const { config, metrics, log } = deps;
  // Typed as Fastify's base logger so the app is a plain FastifyInstance for the route modules.
  const loggerInstance: FastifyBaseLogger = log;
  const app = Fastify({
    loggerInstance,
    // One log line per request would cost more than the click itself; /metrics counts them.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.ingest.maxBodyBytes,
    trustProxy: config.ingest.trustedProxies.length > 0 ? config.ingest.trustedProxies : false,
  });

  registerOpenApi(app);
  // Route schemas describe (the OpenAPI document); the pipeline parses and checks bodies itself.
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  // Bodies reach the route unread: it knows the caller, and so its limits, before the first
  // byte (body/read-body.ts), and the pipeline parses them so that a bad body is a typed 400.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/json', 'application/x-ndjson'], (_req, payload, done) => done(null, payload));
  const budget = new BodyBudget(config.ingest.maxHeldBodyBytes, (held) => metrics.bodyBytesHeld.set(held));

  // Signs and verifies the link follower's tb_uid cookie (user-cookie.ts); parses only, no hooks of ours.
  void app.register(fastifyCookie, { secret: cookieSecret(config.ingest.linkUserSecret) });
  app.setErrorHandler(errorHandler(log));
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'not found' }));
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the URL: tokens and junk paths must not become label values.
    metrics.requests.inc({ route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) });
  });

  // In a plugin, so that they are added once the OpenAPI plugin listens for routes.
  void app.register(async (routes) => {
    clicksRoute(routes, deps.pipeline, deps.lookupKey, {
      limits: callerLimits(config.ingest),
      budget,
      timeoutMs: config.ingest.bodyTimeoutMs,
    });
    linkRoute(routes, {
      secrets: config.ingest.linkSecrets,
      userSecret: config.ingest.linkUserSecret,
      linkClicks: deps.linkClicks,
      metrics,
      now: deps.pipeline.now,
      log,
    });
    healthRoutes(routes, { readiness: deps.readiness, metrics });
    openApiRoute(routes);
  });
  return app;
}
