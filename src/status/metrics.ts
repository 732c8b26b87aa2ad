/**
 * The status figures that are cheap to read at scrape time, as Prometheus gauges: each process's
 * up, restarts and memory (pid files, the supervisor's state file, /proc) and the age of the
 * newest final window (one small ClickHouse query). Lag and job states stay with
 * `tollbooth status`: they need Kafka and Flink round trips that a scrape should not wait on.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { Gauge, type Registry } from 'prom-client';
import type { Config } from '../shared/config.ts';
import { newestFinalWindowEnd } from './pipeline.ts';
import { processHealth } from './processes.ts';

export function registerHealthMetrics(registry: Registry, config: Config, clickhouse: ClickHouseClient): void {
  const labelNames = ['process'] as const;
  const processes = () => processHealth(config).processes;
  new Gauge({
    name: 'tollbooth_process_up',
    help: '1 when the process is running',
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const p of processes()) this.set({ process: p.name }, p.up ? 1 : 0);
    },
  });
  new Gauge({
    name: 'tollbooth_process_restarts',
    help: 'Restarts by the supervisor since it started',
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const p of processes()) this.set({ process: p.name }, p.restarts);
    },
  });
  new Gauge({
    name: 'tollbooth_process_resident_bytes',
    help: 'Resident memory (VmRSS)',
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const p of processes()) if (p.rssBytes !== undefined) this.set({ process: p.name }, p.rssBytes);
    },
  });
  new Gauge({
    name: 'tollbooth_final_window_behind_seconds',
    help: 'Seconds between now and the end of the newest final window',
    registers: [registry],
    async collect() {
      const end = await newestFinalWindowEnd(config, clickhouse).catch(() => undefined);
      if (end === undefined) this.reset();
      else this.set((Date.now() - end) / 1000);
    },
  });
}
