/**
 * The stats API's OpenAPI document, written by @fastify/swagger from the route schemas
 * (route-schemas.ts) at start-up: what this file holds is the part no route carries.
 */
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';

export const OPENAPI: FastifyDynamicSwaggerOptions = {
  openapi: {
    openapi: '3.0.3',
    info: {
      title: 'Tollbooth stats API',
      version: '1.0.0',
      description:
        "Ad click counts, counted exactly once. A bucket is final when the pipeline's final watermark has passed its end; until then its count is provisional (partial counts from the stream processor, fresh within seconds) and may still change. Times are epoch milliseconds or ISO-8601 with a zone; windows and buckets are aligned to UTC. See docs/api.md.",
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'Authorization: Bearer <API key> (tollbooth keys create)',
        },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
    },
  },
};
