import { describe, expect, it } from 'vitest';
import { keySlot } from './key-slot.ts';

describe('keySlot', () => {
  it('is CRC16 mod 16384 of the key, as Redis Cluster computes it', () => {
    // CLUSTER KEYSLOT on Redis 7.0.
    expect(keySlot('123456789')).toBe(12739);
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('bar')).toBe(5061);
  });

  it('hashes only the first non-empty hash tag', () => {
    expect(keySlot('{a}x')).toBe(15495);
    expect(keySlot('tb:v:{a}:other')).toBe(keySlot('a'));
    expect(keySlot('x{}y')).toBe(keySlot('x{}y'));
    expect(keySlot('{}{a}')).not.toBe(keySlot('a'));
    expect(keySlot('p{é|1}')).toBe(keySlot('é|1'));
  });
});
