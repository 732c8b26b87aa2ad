import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // One file at a time: integration tests share the services and the machine has 2 cores.
    fileParallelism: false,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'bench/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: [
            ...configDefaults.exclude,
            'test/clickhouse-today/**',
            'test/containers/**',
            'test/cluster/**',
            'test/redis-cluster/**',
          ],
          globalSetup: ['test/helpers/global-setup.ts'],
          // Real services: Flink job submission takes seconds, a final minute up to a minute and a half.
          testTimeout: 300_000,
          hookTimeout: 600_000,
        },
      },
      {
        // docker-compose.yml in containers: it brings up its own services, so it runs outside the
        // integration project's global setup (the host's services), in npm test's second run.
        test: {
          name: 'containers',
          include: ['test/containers/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 600_000,
        },
      },
      {
        // deploy/cluster/compose.yml in containers: it brings up its own services, so it runs
        // outside the integration project's global setup (the host's services).
        test: {
          name: 'cluster',
          include: ['test/cluster/**/*.test.ts'],
          // A fault: its loss (up to 2 minutes), the rejoin (up to 14), the count check.
          testTimeout: 1_200_000,
          hookTimeout: 900_000,
        },
      },
      {
        // The verdict store on a Redis Cluster of its own (6 redis-server processes on free
        // loopback ports, test/helpers/redis-cluster.ts): no other services, so not under the
        // integration project's global setup.
        test: {
          name: 'redis-cluster',
          include: ['test/redis-cluster/**/*.test.ts'],
          hookTimeout: 120_000,
          testTimeout: 120_000,
        },
      },
      {
        // Tollbooth's ClickHouse SQL on today's ClickHouse (chdb, in-process): no services, so
        // not under the integration project's global setup, which brings them up.
        test: {
          name: 'clickhouse-today',
          include: ['test/clickhouse-today/**/*.test.ts'],
          // The first run installs chdb from PyPI (about a minute).
          hookTimeout: 600_000,
          testTimeout: 60_000,
        },
      },
    ],
  },
});
