import { describe, expect, it } from 'vitest';
import type { ChangePolicy } from '../flink/deploy.ts';
import { parsePolicy, takeoverPolicy, type FlinkMigration } from './flink-migration.ts';

const version = (policy: ChangePolicy): FlinkMigration => ({ job: 'clicks_pipeline', policy, template: '' });
const savepoint = version({ restore: 'savepoint' });
const rebuild = version({ restore: 'rebuild' });
const earliest = version({ restore: 'offsets', fromMs: 0 });

describe('takeoverPolicy', () => {
  it("is the one version's own policy when it runs alone", () => {
    expect(takeoverPolicy([savepoint])).toEqual({ restore: 'savepoint' });
    expect(takeoverPolicy([rebuild])).toEqual({ restore: 'rebuild' });
  });

  it('is the last graph change of the run when a savepoint version comes after it', () => {
    expect(takeoverPolicy([earliest, rebuild, rebuild, savepoint])).toEqual({ restore: 'rebuild' });
    expect(takeoverPolicy([rebuild, earliest, savepoint, savepoint])).toEqual({ restore: 'offsets', fromMs: 0 });
  });

  it('is a savepoint only when every version of the run is one', () => {
    expect(takeoverPolicy([savepoint, savepoint])).toEqual({ restore: 'savepoint' });
    expect(takeoverPolicy([])).toBeUndefined();
  });

  it('reads the header values it is built from', () => {
    expect(parsePolicy('rebuild', 'x')).toEqual({ restore: 'rebuild' });
    expect(() => parsePolicy('sometimes', 'x')).toThrow(/must be "savepoint", "rebuild"/);
  });
});
