/** `services up` is idempotent: with everything running, a second `up` starts nothing new. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/shared/config.ts';
import { servicesStatus, servicesUp } from '../../src/stack/stack.ts';

const config = loadConfig();

describe('services up', () => {
  it('a second up leaves every running process as it is', async () => {
    const before = servicesStatus(config);
    expect(before.every((s) => s.pid !== undefined)).toBe(true);
    const reports = await servicesUp(config);
    expect(reports.map((r) => [r.name, r.ok, r.detail])).toEqual([
      ['redis', true, 'already running'],
      ['clickhouse', true, 'already running'],
      ['kafka', true, 'already running'],
      ['flink', true, 'already running'],
    ]);
    expect(servicesStatus(config).map((s) => s.pid)).toEqual(before.map((s) => s.pid));
  });
});
