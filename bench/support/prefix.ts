/** Every test and bench resource carries a unique prefix; cleanup refuses anything without one. */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

export const TEST_PREFIX_ROOT = 'test_';

/** A fresh prefix such as `test_kafka_3f9a1c_`: lowercase, safe for topics, tables and keys. */
export function testPrefix(area: string): string {
  return `${TEST_PREFIX_ROOT}${area}_${randomBytes(3).toString('hex')}_`;
}

/** Throws unless `name` was made by testPrefix: tests never touch real data. */
export function assertTestResource(name: string): void {
  if (!name.startsWith(TEST_PREFIX_ROOT) && !name.includes(`.${TEST_PREFIX_ROOT}`)) {
    throw new Error(`refusing to remove "${name}": it does not carry the test prefix "${TEST_PREFIX_ROOT}"`);
  }
}

/**
 * Polls until `probe` returns a value (not undefined) or the timeout passes; no fixed sleeps.
 * `pauseMs` between tries: longer for a probe that costs a process start of its own.
 */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  what = 'condition',
  pauseMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`,
      );
    await sleep(pauseMs);
  }
}
