/**
 * CPU time and memory of a compose project's containers, read from their cgroups (every process of the
 * container counted, children included): cgroup v1 `cpuacct.usage` (ns) or v2 `cpu.stat`
 * `usage_usec`. The container's cgroup is found through its main process's /proc/<pid>/cgroup.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ContainerCpu {
  service: string;
  /** CPU time used since the container started, in µs. */
  cpuMicros: number;
  /** Memory in use now (the cgroup's, page cache included), in bytes. */
  memoryBytes: number;
}

function cgroupMemory(pid: number): number {
  const lines = readFileSync(`/proc/${pid}/cgroup`, 'utf8').trim().split('\n');
  const v1 = lines.find((l) => /^\d+:[^:]*\bmemory\b[^:]*:/.test(l));
  if (v1 !== undefined) {
    const [, controllers = '', group = ''] = v1.split(':');
    return Number(readFileSync(`/sys/fs/cgroup/${controllers}${group}/memory.usage_in_bytes`, 'utf8').trim());
  }
  const group = (lines.find((l) => l.startsWith('0::')) ?? '0::/').slice(3);
  return Number(readFileSync(`/sys/fs/cgroup${group}/memory.current`, 'utf8').trim());
}

function cgroupMicros(pid: number): number {
  const lines = readFileSync(`/proc/${pid}/cgroup`, 'utf8').trim().split('\n');
  const v1 = lines.find((l) => /^\d+:[^:]*\bcpuacct\b[^:]*:/.test(l));
  if (v1 !== undefined) {
    const [, controllers = '', group = ''] = v1.split(':');
    const nanos = readFileSync(`/sys/fs/cgroup/${controllers}${group}/cpuacct.usage`, 'utf8');
    return Number(nanos.trim()) / 1000;
  }
  const group = (lines.find((l) => l.startsWith('0::')) ?? '0::/').slice(3);
  const stat = readFileSync(`/sys/fs/cgroup${group}/cpu.stat`, 'utf8');
  return Number(/^usage_usec (\d+)$/m.exec(stat)?.[1] ?? NaN);
}

/** Every running container of the project with its service name and CPU used so far. */
export async function projectCpu(project: string): Promise<ContainerCpu[]> {
  const ids = (await run('docker', ['ps', '-q', '--filter', `label=com.docker.compose.project=${project}`])).stdout
    .trim()
    .split('\n')
    .filter(Boolean);
  if (ids.length === 0) return [];
  const format = '{{.State.Pid}} {{index .Config.Labels "com.docker.compose.service"}}';
  const out = (await run('docker', ['inspect', '--format', format, ...ids])).stdout.trim().split('\n');
  return out.map((line) => {
    const [pid = '0', service = '?'] = line.split(' ');
    return { service, cpuMicros: cgroupMicros(Number(pid)), memoryBytes: cgroupMemory(Number(pid)) };
  });
}

/** CPU used between two readings, per service (containers that restarted in between: NaN). */
export function cpuBetween(before: ContainerCpu[], after: ContainerCpu[]): Map<string, number> {
  const start = new Map(before.map((c) => [c.service, c.cpuMicros]));
  return new Map(
    after.map((c) => {
      const used = c.cpuMicros - (start.get(c.service) ?? NaN);
      return [c.service, used >= 0 ? used : NaN];
    }),
  );
}
