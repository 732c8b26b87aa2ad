/** Records the routes an app registers, so a test can hold them against the OpenAPI spec. */
import type { FastifyInstance } from 'fastify';

export interface RouteEntry {
  method: string;
  url: string;
}

const routesOf = new WeakMap<FastifyInstance, RouteEntry[]>();

/** Call before registering routes: every route from then on (plugins included) is recorded. */
export function trackRoutes(app: FastifyInstance): void {
  const list: RouteEntry[] = [];
  routesOf.set(app, list);
  app.addHook('onRoute', (route) => {
    // HEAD routes are made by Fastify for every GET; the spec documents the GET.
    for (const method of [route.method].flat()) if (method !== 'HEAD') list.push({ method, url: route.url });
  });
}

/** The routes recorded so far (complete after `await app.ready()`). */
export function registeredRoutes(app: FastifyInstance): RouteEntry[] {
  return [...(routesOf.get(app) ?? [])];
}
