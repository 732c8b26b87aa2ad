import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { processTree } from './proc-stats.ts';

describe('processTree', () => {
  it('takes descendants, except the subtrees measured apart (a supervisor and the service it restarted)', async () => {
    const child = spawn('sleep', ['5']);
    try {
      await new Promise((r) => child.once('spawn', r));
      const pid = child.pid ?? -1;
      expect(processTree(process.pid)).toContain(pid);
      expect(processTree(process.pid, new Set([pid]))).not.toContain(pid);
      expect(processTree(process.pid, new Set([pid]))).toContain(process.pid);
    } finally {
      child.kill();
    }
  });
});
