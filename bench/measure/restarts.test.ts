import { describe, expect, it } from 'vitest';
import { restartedServices, voidReason } from './restarts.ts';

const w = (name: string, pid: number) => ({ name, pid, system: true, shared: true });

describe('a run during which a service restarted', () => {
  it('names the service whose pid changed or vanished', () => {
    const before = [w('clickhouse', 10), w('redis', 11), w('kafka', 12)];
    const after = [w('clickhouse', 99), w('kafka', 12)];
    expect(restartedServices(before, after)).toEqual(['clickhouse restarted (pid 10 → 99)', 'redis (pid 11) stopped']);
    expect(voidReason(restartedServices(before, after), ['sink exited with code 1'])).toBe(
      'void: during the run clickhouse restarted (pid 10 → 99); redis (pid 11) stopped; sink exited with code 1',
    );
  });

  it('is not void when every pid is the same', () => {
    const same = [w('clickhouse', 10), w('redis', 11)];
    expect(restartedServices(same, [...same])).toEqual([]);
    expect(voidReason([], [])).toBeUndefined();
  });
});
