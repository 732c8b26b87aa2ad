/**
 * The ingest HTTP app, built apart from where it listens: `buildApp(deps)` wires the routes
 * to their dependencies; main.ts makes the real ones and listens.
 */
import { fastifyCookie } from '@fastify/cookie';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from '../shared/config.ts';
import type { Logger } from '../shared/logger.ts';
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
import { openApiRoute } from './routes/openapi.ts';

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

  // Bodies arrive as text and are parsed by the pipeline, so that a bad body is a typed 400.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/json', 'application/x-ndjson'], { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );

  // Signs and verifies the link follower's tb_uid cookie (user-cookie.ts); parses only, no hooks of ours.
  void app.register(fastifyCookie, { secret: cookieSecret(config.ingest.linkUserSecret) });
  app.setErrorHandler(errorHandler(log));
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'not found' }));
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the URL: tokens and junk paths must not become label values.
    metrics.requests.inc({ route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) });
  });

  clicksRoute(app, deps.pipeline, deps.lookupKey);
  linkRoute(app, {
    secrets: config.ingest.linkSecrets,
    userSecret: config.ingest.linkUserSecret,
    linkClicks: deps.linkClicks,
    metrics,
    now: deps.pipeline.now,
    log,
  });
  healthRoutes(app, { readiness: deps.readiness, metrics });
  openApiRoute(app);
  return app;
}
