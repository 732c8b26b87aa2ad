/** Retained checkpoints on local disk: what `jobs ensure` restarts a job from after a cluster restart. */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../shared/config.ts';

export const checkpointRoot = (config: Config) => path.join(config.flink.dataDir, 'checkpoints');

/** The newest complete checkpoint (`chk-N` with `_metadata`) of a job, as a file:// path. */
export function latestRetainedCheckpoint(config: Config, jobId: string): string | undefined {
  const dir = path.join(checkpointRoot(config), jobId);
  if (!existsSync(dir)) return undefined;
  const complete = readdirSync(dir)
    .filter((d) => /^chk-\d+$/.test(d) && existsSync(path.join(dir, d, '_metadata')))
    .sort((a, b) => Number(b.slice(4)) - Number(a.slice(4)));
  return complete[0] === undefined ? undefined : `file://${path.join(dir, complete[0])}`;
}
