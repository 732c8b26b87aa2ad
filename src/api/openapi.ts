/** The OpenAPI document kept in the repo (openapi.json), loaded once. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const specSchema = z
  .object({
    openapi: z.string(),
    paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  })
  .passthrough();

export type OpenApiSpec = z.infer<typeof specSchema>;

export const openApiSpec: OpenApiSpec = specSchema.parse(
  JSON.parse(readFileSync(new URL('./openapi.json', import.meta.url), 'utf8')),
);

/** The spec's operations as Fastify routes: `GET /v1/ads/:ad_id/clicks`. */
export function specOperations(spec: OpenApiSpec): string[] {
  return Object.entries(spec.paths).flatMap(([p, ops]) =>
    Object.keys(ops).map((method) => `${method.toUpperCase()} ${p.replace(/\{([^}]+)\}/g, ':$1')}`),
  );
}
