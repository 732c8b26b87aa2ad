/**
 * A Java Flight Recording of a running JVM: `npm run bench -- --profile DIR` records the Flink
 * TaskManager during the load, the largest share of Tollbooth's CPU per click and out of reach of
 * `node --cpu-prof`. It is started and stopped with `jcmd` of that JVM's own JDK, and summarized
 * with its `jfr` (bench/measure/jfr-summary.ts).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { summarizeRecording } from './jfr-summary.ts';

const run = promisify(execFile);

export interface Recording {
  file: string;
  /** Ends the recording, which completes its file, and returns its summary as markdown. */
  stop(top?: number): Promise<string>;
}

/** The bin folder of the JDK a java process runs on. */
export function jdkBin(pid: number): string {
  return path.dirname(readlinkSync(`/proc/${pid}/exe`));
}

async function jcmd(bin: string, pid: number, ...command: string[]): Promise<void> {
  try {
    await run(path.join(bin, 'jcmd'), [String(pid), ...command]);
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    const why = `${e.stderr ?? ''}${e.stdout ?? ''}`.trim().split('\n').at(-1) || e.message;
    throw new Error(`jcmd ${pid} ${command[0]} failed: ${why}`);
  }
}

/**
 * Starts a recording of process `pid` into `file` with the JDK's `profile` settings. It ends by
 * itself after `maxSeconds`, so a bench that dies leaves no recording running in a shared JVM.
 */
export async function startRecording(
  pid: number,
  file: string,
  maxSeconds: number,
  name = 'tollbooth-bench',
): Promise<Recording> {
  const bin = jdkBin(pid);
  await jcmd(bin, pid, 'JFR.start', `name=${name}`, 'settings=profile', `duration=${maxSeconds}s`, `filename=${file}`);
  return {
    file,
    async stop(top = 25) {
      await jcmd(bin, pid, 'JFR.stop', `name=${name}`);
      return summarizeRecording(path.join(bin, 'jfr'), file, top);
    },
  };
}

/** Records the stack's Flink TaskManager (its pid file is `flink--taskexecutor…`) into `dir`. */
export async function recordTaskManager(
  services: readonly { name: string; pid: number }[],
  dir: string,
  maxSeconds: number,
): Promise<Recording> {
  const tm = services.find((s) => s.name.startsWith('flink--taskexecutor'));
  if (tm === undefined) throw new Error('no Flink TaskManager is running: start the stack (tollbooth services up)');
  mkdirSync(dir, { recursive: true });
  return startRecording(tm.pid, path.resolve(dir, 'taskmanager.jfr'), maxSeconds);
}
