/**
 * The supervisor's own exporter: each process it watches, up or not, its restarts and its
 * resident memory, as Prometheus gauges on /metrics. The supervisor knows these first hand
 * (it checks every process each tick), so no other program reads pid files for them.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { Gauge, Registry } from 'prom-client';
import { residentBytes } from '../stack/process.ts';
import type { ProgramReport } from './state.ts';

/** A registry with the process gauges, read from `reports` at each scrape. */
export function processMetrics(reports: () => readonly ProgramReport[], rss = residentBytes): Registry {
  const registry = new Registry();
  const labelNames = ['process'] as const;
  const gauge = (name: string, help: string, value: (r: ProgramReport) => number | undefined) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const r of reports()) {
          const v = value(r);
          if (v !== undefined) this.set({ process: r.name }, v);
        }
      },
    });
  gauge('tollbooth_process_up', '1 when the process is running', (r) => (r.state === 'up' ? 1 : 0));
  gauge('tollbooth_process_restarts', 'Restarts by the supervisor since it started', (r) => r.restarts);
  gauge('tollbooth_process_resident_bytes', 'Resident memory (VmRSS)', (r) =>
    r.state === 'up' && r.pid !== undefined ? rss(r.pid) : undefined,
  );
  return registry;
}

/** GET /metrics over the registry; the caller listens. */
export function metricsApp(registry: Registry): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get('/metrics', async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));
  return app;
}
