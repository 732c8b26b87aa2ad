/**
 * The ingest's routes described as JSON Schema, from which @fastify/swagger writes the OpenAPI
 * document served at /openapi.json (the fuzzer in test/fuzz/ reads it). They describe; they do
 * not validate: the pipeline parses and checks every body itself, so a bad item is `invalid`
 * with its reason (app.ts turns fastify's own validation and serialization off).
 */
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import type { FastifySchema } from 'fastify';

export const INGEST_OPENAPI: FastifyDynamicSwaggerOptions = {
  openapi: {
    openapi: '3.0.3',
    info: {
      title: 'Tollbooth ingest',
      version: '1.0.0',
      description:
        'Clicks in: batches (POST /v1/clicks) and signed click links (GET /c/{token}). Every click gets one verdict (accepted, bot, blocked, duplicate, rate_limited, invalid); a 200 means every non-invalid click of the batch is durably in Kafka. Message formats: docs/messages.md; threats and defences: docs/security.md.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        ingestKey: {
          type: 'http',
          scheme: 'bearer',
          description:
            'A key of scope `ingest` (`tollbooth keys create --scope ingest`), for servers sending clicks for their users',
        },
      },
    },
  },
  // The link route is registered as /c/*; its one path segment is the token.
  transform: ({ schema, url }) => ({ schema, url: url === '/c/*' ? '/c/{token}' : url }),
};

const error = (description: string) => ({
  description,
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'string' } },
});
const idPattern = '^[A-Za-z0-9_.:-]+$';
const honoured = 'Honoured only from a caller with an ingest key';

const click = {
  type: 'object',
  required: ['click_id', 'ad_id', 'user_id', 'ts'],
  properties: {
    click_id: {
      type: 'string',
      minLength: 1,
      maxLength: 64,
      pattern: '^[A-Za-z0-9_-]+$',
      description: 'Unique per click; a retry reuses it',
    },
    ad_id: { type: 'string', minLength: 1, maxLength: 64, pattern: idPattern },
    user_id: {
      type: 'string',
      minLength: 1,
      maxLength: 128,
      description:
        'Well-formed Unicode, no control characters; taken in NFC; no format characters (zero-width, BOM), line or paragraph separators, noncharacters, or white space at either end',
    },
    ts: {
      description:
        'Event time: epoch ms or ISO-8601 with a zone; more than 5 minutes ahead of the (corrected) receive time, or older than the dedup horizon, is invalid',
      oneOf: [
        { type: 'integer', format: 'int64', minimum: 0 },
        { type: 'string', maxLength: 40 },
      ],
    },
    ip: {
      type: 'string',
      maxLength: 45,
      description: `IPv4 or IPv6, normalized (an IPv4-mapped IPv6 address is its IPv4 address); ${honoured.toLowerCase()}`,
    },
    user_agent: { type: 'string', minLength: 1, maxLength: 1024, description: honoured },
    campaign_id: {
      type: 'string',
      nullable: true,
      minLength: 1,
      maxLength: 64,
      pattern: idPattern,
      description: `${honoured}; one its key does not list is invalid`,
    },
  },
};

const batchReply = {
  description: 'Decided; every non-invalid click is in Kafka',
  type: 'object',
  required: ['accepted', 'rejected', 'invalid', 'results'],
  properties: {
    accepted: { type: 'integer', minimum: 0 },
    rejected: { type: 'integer', minimum: 0 },
    invalid: { type: 'integer', minimum: 0 },
    results: {
      type: 'array',
      description: 'One per item, in request order',
      items: {
        type: 'object',
        required: ['click_id', 'status'],
        properties: {
          click_id: { type: 'string', nullable: true, description: 'null when the item had no usable click_id' },
          status: { type: 'string', enum: ['accepted', 'bot', 'blocked', 'duplicate', 'rate_limited', 'invalid'] },
          error: { type: 'string', description: 'For invalid items: which field and why' },
        },
      },
    },
  },
};

const badRequest = error('Unparseable or malformed; nothing was accepted');

export const clicksSchema: FastifySchema = {
  summary: 'Send a batch of clicks',
  description:
    'One click object, a JSON array of clicks, or NDJSON. At most 10,000 clicks and 5 MB per request with an ingest key, 100 clicks and 256 KB without (configurable). Items are decided in request order; an item that fails the schema is `invalid` with an error naming the field, and the rest of the batch goes on. Anonymous callers get their peer address and User-Agent header as ip and user_agent; only a caller with an ingest key may set ip, user_agent and campaign_id.',
  security: [{}, { ingestKey: [] }],
  headers: {
    type: 'object',
    properties: {
      'X-Sent-At': {
        type: 'integer',
        format: 'int64',
        minimum: 0,
        description:
          "The client's clock (epoch ms) when it sent the batch. Within the dedup horizon of the receive time, every ts of the request is corrected by (receive time - sent at).",
      },
    },
  },
  body: {
    content: {
      'application/json': {
        schema: { oneOf: [click, { type: 'array', items: click, minItems: 1, maxItems: 10_000 }] },
      },
      'application/x-ndjson': { schema: { type: 'string', description: 'One click object per line' } },
    },
  },
  response: {
    200: batchReply,
    400: badRequest,
    401: error('An unknown or revoked ingest key; nothing was accepted'),
    408: error('The body did not arrive within the body deadline (30 s by default); nothing was accepted'),
    413: error(
      "Over the caller's click or byte limit (anonymous: 100 clicks and 256 KB; with an ingest key: 10,000 clicks and 5 MB; configurable); the error names the limits; nothing was accepted",
    ),
    415: error('Content-Type is not application/json or application/x-ndjson; nothing was accepted'),
    503: {
      ...error(
        'Kafka or Redis is unavailable (on Redis Cluster also: no replica acknowledged the verdicts in time), or the ingest holds its cap of request body bytes: nothing was accepted, and resending the same request is safe',
      ),
      headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer', minimum: 1 } } },
    },
  },
};

export const linkSchema: FastifySchema = {
  summary: 'Follow a signed click link',
  description:
    'A valid token redirects (302) to its landing URL whatever the verdict, and records one click (server-made click_id, ts = now, user_id from a first-party cookie or, without one, a keyed hash of ip and user agent). A tampered, unsigned or malformed token is a 400 and never redirects.',
  security: [],
  params: {
    type: 'object',
    required: ['token'],
    properties: { token: { type: 'string', description: 'Made by `tollbooth links sign`' } },
  },
  response: {
    302: {
      description: "To the link's landing URL",
      headers: {
        Location: { description: 'The landing URL', schema: { type: 'string' } },
        'Set-Cookie': {
          description: 'The first-party user id cookie, when the request had none',
          schema: { type: 'string' },
        },
      },
    },
    400: badRequest,
  },
};

const readiness = {
  type: 'object',
  required: ['redis', 'kafka'],
  properties: { redis: { type: 'boolean' }, kafka: { type: 'boolean' } },
};
const open = (summary: string, response: Record<number, object>): FastifySchema => ({
  summary,
  security: [],
  response,
});
const text = (description: string, type: string) => ({
  description,
  content: { [type]: { schema: { type: 'string' } } },
});

export const healthzSchema = open('Liveness', {
  200: {
    description: 'The process is up',
    type: 'object',
    required: ['status'],
    properties: { status: { type: 'string', enum: ['ok'] } },
  },
});
export const readyzSchema = open('Readiness: Redis and Kafka reachable', {
  200: { description: 'Ready', ...readiness },
  503: { description: 'Redis or Kafka unreachable', ...readiness },
});
export const metricsSchema = open('Prometheus metrics', { 200: text('Text exposition format', 'text/plain') });
export const openApiSchema = open('This OpenAPI document', { 200: { description: 'OpenAPI 3.0', type: 'object' } });
