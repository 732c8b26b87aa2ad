/** Per-test pipelines for a test file: each one started is closed after its test, pass or fail. */
import { afterEach } from 'vitest';
import { startTestPipeline, type TestPipeline } from './pipeline.ts';

/** Two-second windows, half a second of grace, one-second checkpoints: fast and still exact. */
export const FAST_WINDOWS = {
  TOLLBOOTH_WINDOW_SECONDS: '2',
  TOLLBOOTH_GRACE_MS: '500',
  TOLLBOOTH_CHECKPOINT_INTERVAL_MS: '1000',
};

type Start = (area: string, env?: Record<string, string>, opts?: { migrateTo?: string }) => Promise<TestPipeline>;

export function usePipelines(): Start {
  const open: TestPipeline[] = [];
  afterEach(async () => {
    for (const p of open.splice(0)) await p.close();
  });
  return async (area, env, opts) => {
    const p = await startTestPipeline(area, env, opts);
    open.push(p);
    return p;
  };
}
