import { describe, expect, it } from 'vitest';
import { InFlight } from './in-flight.ts';

describe('InFlight', () => {
  it('holds heartbeats at the oldest receive time still in flight', () => {
    const f = new InFlight();
    expect(f.heartbeatTime(100)).toBe(100);
    const endOld = f.begin(40);
    const endNew = f.begin(70);
    expect(f.heartbeatTime(100)).toBe(40);
    endOld();
    expect(f.heartbeatTime(100)).toBe(70);
    endNew();
    expect(f.heartbeatTime(100)).toBe(100);
  });
});
