import { describe, expect, it } from 'vitest';
import { judgeHealth, LAG_BOUND, type StatusSnapshot } from './health.ts';

const at = 1_000_000;
const healthy: StatusSnapshot = {
  at,
  processes: [{ name: 'kafka', up: true, pid: 1, restarts: 0, state: 'up', rssBytes: 1 }],
  jobs: [{ name: 'clicks_pipeline', wanted: 'running', state: 'RUNNING', lastCheckpointAt: at - 1000 }],
  lag: [{ group: 'sink', topic: 'clicks', lag: 0 }],
  newestFinalWindowEnd: at - 3000,
  deadLetters: undefined,
  windowMs: 2000,
  graceMs: 500,
};

describe('judgeHealth', () => {
  it('is healthy when everything is up, running, caught up and fresh', () => {
    expect(judgeHealth(healthy)).toEqual({
      healthy: true,
      problems: [],
      finalWindowBehindMs: 3000,
      finalWindowBoundMs: 7500,
    });
  });

  it('names each problem', () => {
    const v = judgeHealth({
      ...healthy,
      processes: [
        { name: 'flink-taskmanager', up: false, pid: undefined, restarts: 2, state: 'restarting', rssBytes: undefined },
      ],
      jobs: [{ name: 'clicks_pipeline', wanted: 'running', state: 'RESTARTING', lastCheckpointAt: undefined }],
      lag: [{ group: 'sink', topic: 'clicks', lag: LAG_BOUND + 1 }],
      newestFinalWindowEnd: at - 8000,
    });
    expect(v.healthy).toBe(false);
    expect(v.problems).toEqual([
      'flink-taskmanager is restarting',
      'job clicks_pipeline is RESTARTING',
      `sink is ${LAG_BOUND + 1} records behind on clicks (bound ${LAG_BOUND})`,
      'newest final window ended 8.0 s ago (bound 7.5 s)',
    ]);
  });

  it('does not ask for final windows when no job should run', () => {
    expect(judgeHealth({ ...healthy, jobs: [], newestFinalWindowEnd: undefined }).healthy).toBe(true);
  });
});
