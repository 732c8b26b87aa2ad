/** One fault scenario as a test: every final count equals the ledger, healed with no person. */
import { describe, expect, it } from 'vitest';
import { runFault } from './scenario.ts';
import { SCENARIOS } from './scenarios.ts';

export function describeFault(fault: string): void {
  describe(fault, () => {
    it('counts every click exactly once and heals by itself', async () => {
      const inject = SCENARIOS[fault];
      if (inject === undefined) throw new Error(`no scenario ${fault}`);
      const row = await runFault(fault, inject);
      // The load must really be counted: most clicks accepted (the rest are its bots, duplicates, rate-limited).
      expect(row.accepted).toBeGreaterThan(row.sent * 0.8);
      expect(row.conflicts).toEqual([]);
      expect(row.lateMissing).toBe(0);
      // Exactly once: nothing over (a repeat that reaches Kafka after its window closed is not counted
      // again as late: the job counts each click_id once, on time or late) and nothing under.
      expect({ over: row.over, under: row.under, onTimeAndLate: row.onTimeAndLate }).toEqual({
        over: 0,
        under: 0,
        onTimeAndLate: 0,
      });
      expect(row.secondsUntilHealthy).toBeDefined();
      expect(row.secondsUntilFinal).toBeDefined();
    }, 600_000);
  });
}
