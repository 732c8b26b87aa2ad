/**
 * The verdict model's own tests (src/dedup/decide.test.ts, senders.test.ts), unchanged, with
 * their store swapped for ClusterVerdictStore on a real 6-node Redis Cluster: the verdicts the
 * model expects are the cluster's too.
 */
import { vi } from 'vitest';
import { useTestCluster } from './cluster-model.ts';

vi.mock('../../src/dedup/rules-testing.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/dedup/rules-testing.ts')>();
  const { clusterSetup } = await import('./cluster-model.ts');
  return { ...actual, setup: clusterSetup };
});

useTestCluster();

await import('../../src/dedup/decide.test.ts');
await import('../../src/dedup/senders.test.ts');
