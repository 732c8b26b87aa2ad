import { describe, expect, it } from 'vitest';
import { AD_ID, AD_ID_CHARS, CLICK_ID, CLICK_ID_CHARS, adIdJsonSchema, clickIdJsonSchema } from './ids.ts';

describe('id alphabets', () => {
  it('whole-id patterns and character patterns agree, lengths 1 to 64', () => {
    for (const [whole, chars, sample] of [
      [CLICK_ID, CLICK_ID_CHARS, 'c-1_x'],
      [AD_ID, AD_ID_CHARS, 'ad.1:x-y_z'],
    ] as const) {
      expect(whole.test(sample)).toBe(true);
      expect(chars.test(sample)).toBe(true);
      expect(whole.test('a'.repeat(64))).toBe(true);
      expect(whole.test('a'.repeat(65))).toBe(false);
      expect(whole.test('')).toBe(false);
      expect(whole.test('a b')).toBe(false);
    }
    expect(CLICK_ID.test('ad.1')).toBe(false);
  });

  it('gives route schemas the same pattern', () => {
    expect(clickIdJsonSchema.pattern).toBe('^[A-Za-z0-9_-]+$');
    expect(adIdJsonSchema.pattern).toBe('^[A-Za-z0-9_.:-]+$');
    expect(new RegExp(adIdJsonSchema.pattern).test('ad.1:x')).toBe(true);
  });
});
