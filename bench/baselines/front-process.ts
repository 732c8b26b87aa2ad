/**
 * The baselines' HTTP front: a small Node server that takes the same batches as the ingest
 * (POST /v1/clicks, a JSON array) and serves the same two reads (GET /v1/ads/top and
 * GET /v1/ads/{ad_id}/clicks), over one CountStore. Forked by the bench; gets its StoreSpec
 * over IPC, answers {type: 'listening', port}. GET /bench/counts gives every ad's count.
 */
import http from 'node:http';
import { createClickHouse } from '../../src/shared/clickhouse.ts';
import { loadConfig } from '../../src/shared/config.ts';
import type { BenchClick } from '../load/workload.ts';
import { clickhouseRawStore } from './clickhouse-raw-store.ts';
import type { CountStore, StoreSpec } from './count-store.ts';
import { pgBatchedStore, pgUpsertStore } from './pg-stores.ts';

function storeFor(spec: StoreSpec): CountStore {
  switch (spec.kind) {
    case 'pg-upsert':
      return pgUpsertStore(spec.pg, spec.connections);
    case 'pg-batched':
      return pgBatchedStore(spec.pg, spec.connections);
    case 'clickhouse-raw':
      return clickhouseRawStore(createClickHouse(loadConfig()), spec.database);
  }
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function route(store: CountStore, req: http.IncomingMessage): Promise<[number, unknown]> {
  const url = new URL(req.url ?? '/', 'http://front');
  const q = (name: string) => Number(url.searchParams.get(name));
  if (req.method === 'POST' && url.pathname === '/v1/clicks') {
    const clicks = JSON.parse(await readBody(req)) as BenchClick[];
    await store.write(clicks);
    return [200, { stored: clicks.length }];
  }
  if (url.pathname === '/v1/ads/top') return [200, { ads: await store.top(q('from'), q('to'), q('limit')) }];
  const ad = /^\/v1\/ads\/([^/]+)\/clicks$/.exec(url.pathname)?.[1];
  if (ad !== undefined) return [200, { buckets: await store.adClicks(decodeURIComponent(ad), q('from'), q('to')) }];
  if (url.pathname === '/bench/counts') return [200, { ads: await store.countsByAd() }];
  return [404, { error: 'not found' }];
}

async function serve(spec: StoreSpec): Promise<void> {
  const store = storeFor(spec);
  await store.setUp();
  const server = http.createServer((req, res) => {
    route(store, req).then(
      ([status, body]) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
      // A store error is a 503, as the ingest answers when its stores are down: the client resends.
      (err: unknown) =>
        res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(err) })),
    );
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.send?.({ type: 'listening', port: typeof address === 'object' && address !== null ? address.port : 0 });
  });
  const shutdown = () => {
    server.close();
    server.closeAllConnections();
    store.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', shutdown);
  // The bench went away (interrupted): drop what this store created all the same.
  process.once('disconnect', shutdown);
}

process.once(
  'message',
  (spec: StoreSpec) =>
    void serve(spec).catch((err: unknown) => {
      process.stderr.write(`front failed: ${String(err)}\n`);
      process.exit(1);
    }),
);
