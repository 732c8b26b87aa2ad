/** The sink's loopback HTTP face: `/metrics` (Prometheus) and `/healthz` (200 while writes succeed). */
import { createServer, type Server } from 'node:http';
import type { SinkMetrics } from './metrics.ts';

export function startSinkHttp(
  host: string,
  port: number,
  metrics: SinkMetrics,
  healthy: () => boolean,
): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === '/metrics') {
      metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
    } else if (req.url === '/healthz') {
      const ok = healthy();
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ ok }));
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
