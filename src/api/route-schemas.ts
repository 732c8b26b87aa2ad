/**
 * The stats API's routes described as JSON Schema, from which @fastify/swagger writes the OpenAPI
 * document (/docs/openapi.json). They describe; they do not validate: params.ts (zod) does, so a
 * bad parameter keeps its typed 400 that names the parameter (app.ts turns fastify's own
 * validation and serialization off).
 */
import type { FastifySchema } from 'fastify';

const error = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'string' }, field: { type: 'string' } },
};
const errorWith = (description: string) => ({ description, ...error });

const tooMany = {
  ...errorWith(
    "Over the rate limit: a valid API key's budget, or else the client address's; retry after Retry-After seconds (docs/security.md)",
  ),
  headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer', minimum: 1 } } },
};

/** Errors every /v1 route may answer. */
const V1_ERRORS = {
  400: errorWith('A parameter is missing or wrong; the error says which and why'),
  401: errorWith('No API key, or an unknown one'),
  429: tooMany,
  503: errorWith('ClickHouse is unavailable or too slow; retry after Retry-After seconds'),
};
const FORBIDDEN = { 403: errorWith('The key is valid but the ad is outside its scope') };
const SECURITY: Record<string, string[]>[] = [{ bearer: [] }, { apiKey: [] }];

const adIdParams = {
  type: 'object',
  required: ['ad_id'],
  properties: { ad_id: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,64}$' } },
};
const range = {
  from: {
    type: 'string',
    description: 'Epoch milliseconds or ISO-8601 with a zone (inclusive)',
    example: '2026-01-01T00:00:00Z',
  },
  to: {
    type: 'string',
    description: 'Epoch milliseconds or ISO-8601 with a zone (exclusive), after from',
    example: '2026-01-01T01:00:00Z',
  },
};
const rangeQuery = (extra: Record<string, object> = {}) => ({
  type: 'object',
  required: ['from', 'to'],
  properties: { ...range, ...extra },
});
const limit = (max: number, byDefault: number) => ({ type: 'integer', minimum: 1, maximum: max, default: byDefault });

const bucket = {
  type: 'object',
  required: ['start', 'clicks', 'final', 'late'],
  properties: {
    start: { type: 'string', format: 'date-time' },
    clicks: { type: 'integer', description: 'on-time clicks of the bucket' },
    final: {
      type: 'boolean',
      description:
        "true once the final watermark has passed the bucket's end and none of its rows was dead-lettered; the on-time count never changes after",
    },
    late: {
      type: 'integer',
      description:
        'late clicks whose own event time is in the bucket (billable; settles once the dedup horizon has passed the bucket)',
    },
  },
};
const counts = {
  type: 'object',
  required: ['duplicate', 'rate_limited', 'bot', 'blocked'],
  properties: Object.fromEntries(['duplicate', 'rate_limited', 'bot', 'blocked'].map((v) => [v, { type: 'integer' }])),
};
const adList = (field: string) => ({
  type: 'array',
  items: {
    type: 'object',
    required: ['ad_id', field],
    properties: { ad_id: { type: 'string' }, [field]: { type: 'integer' } },
  },
});
const json = (description: string, schema: object) => ({ description, ...schema });

export const clicksSchema: FastifySchema = {
  summary: 'Clicks of one ad per minute or hour',
  description:
    'The range is widened to whole buckets. Buckets with neither on-time nor late clicks are left out. Range cap: 31 days for minute, 366 days for hour.',
  security: SECURITY,
  params: adIdParams,
  querystring: rangeQuery({ granularity: { type: 'string', enum: ['minute', 'hour'], default: 'minute' } }),
  response: {
    200: json('Buckets, oldest first', {
      type: 'object',
      required: ['ad_id', 'granularity', 'buckets', 'total', 'late_total'],
      properties: {
        ad_id: { type: 'string' },
        granularity: { type: 'string', enum: ['minute', 'hour'] },
        buckets: { type: 'array', items: bucket },
        total: { type: 'integer', description: "sum of the buckets' on-time clicks" },
        late_total: {
          type: 'integer',
          description: "sum of the buckets' late clicks; billing reads total + late_total",
        },
      },
    }),
    ...V1_ERRORS,
    ...FORBIDDEN,
  },
};

export const topSchema: FastifySchema = {
  summary: 'The ads with the most clicks',
  description:
    "Counts of the windows that start in [from, to), most first, limited to the ads of the key's scope. Range cap: 31 days.",
  security: SECURITY,
  querystring: rangeQuery({ limit: limit(1000, 10) }),
  response: {
    200: json('Ads, most clicks first', { type: 'object', required: ['ads'], properties: { ads: adList('clicks') } }),
    ...V1_ERRORS,
  },
};

export const rejectedSchema: FastifySchema = {
  summary: 'Rejected clicks of one ad by verdict',
  description: 'Counts of the windows that start in [from, to). Range cap: 366 days.',
  security: SECURITY,
  params: adIdParams,
  querystring: rangeQuery(),
  response: {
    200: json('Counts by verdict', {
      type: 'object',
      required: ['ad_id', 'counts'],
      properties: { ad_id: { type: 'string' }, counts },
    }),
    ...V1_ERRORS,
    ...FORBIDDEN,
  },
};

export const lateSchema: FastifySchema = {
  summary: 'Late clicks per ad, by their own event time',
  description:
    "Late clicks (behind the watermark when they arrived, so never in a final count) whose event-time minute starts in [from, to), at most 1,000 ads, most first, limited to the key's scope. Range cap: 31 days.",
  security: SECURITY,
  querystring: rangeQuery(),
  response: {
    200: json('Ads, most late clicks first', {
      type: 'object',
      required: ['ads'],
      properties: { ads: adList('late') },
    }),
    ...V1_ERRORS,
  },
};

export const overviewSchema: FastifySchema = {
  summary: 'What one dashboard refresh shows, in one request',
  description:
    "The top ads in the key's scope with their minute buckets and rejected counts, and the late clicks of all ads in scope, as /v1/ads/top, /v1/ads/{ad_id}/clicks, /v1/ads/{ad_id}/rejected and /v1/late answer them. An ad the key could not read alone is left out. Range cap: 31 days.",
  security: SECURITY,
  querystring: rangeQuery({ limit: limit(20, 5) }),
  response: {
    200: json("The dashboard's view", {
      type: 'object',
      required: ['from', 'to', 'ads', 'late'],
      properties: {
        from: { type: 'string', format: 'date-time' },
        to: { type: 'string', format: 'date-time' },
        ads: {
          type: 'array',
          items: {
            type: 'object',
            required: ['ad_id', 'clicks', 'buckets', 'rejected'],
            properties: {
              ad_id: { type: 'string' },
              clicks: { type: 'integer' },
              buckets: { type: 'array', items: bucket },
              rejected: counts,
            },
          },
        },
        late: adList('late'),
      },
    }),
    ...V1_ERRORS,
  },
};

/** The open routes: no key; only the rate limit of the client's address. */
const open = (summary: string, ok: object, more: Record<number, object> = {}) => ({
  summary,
  security: [],
  response: { 200: ok, 429: tooMany, ...more },
});
const text = (description: string, type: string) => ({
  description,
  content: { [type]: { schema: { type: 'string' } } },
});

export const healthzSchema: FastifySchema = open(
  'Liveness',
  json('The process is up', { type: 'object', properties: { status: { type: 'string' } } }),
);
const readiness = { type: 'object', required: ['clickhouse'], properties: { clickhouse: { type: 'boolean' } } };
export const readyzSchema: FastifySchema = open('Readiness: ClickHouse answers', json('Ready', readiness), {
  503: json('ClickHouse unreachable', readiness),
});
export const metricsSchema: FastifySchema = open('Prometheus metrics', text('Text exposition format', 'text/plain'));
export const docsPageSchema: FastifySchema = open(
  'This documentation, rendered (Swagger UI served locally)',
  text('HTML', 'text/html'),
);
export const docsJsonSchema: FastifySchema = open('This OpenAPI document', json('OpenAPI 3.0', { type: 'object' }));
