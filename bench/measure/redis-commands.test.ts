import { describe, expect, it } from 'vitest';
import { parseCommandStats, perClick } from './redis-commands.ts';

describe('Redis commands per click', () => {
  it('are the difference of two INFO commandstats readings over the clicks', () => {
    const before = parseCommandStats(
      '# Commandstats\r\ncmdstat_get:calls=100,usec=5,usec_per_call=0.05,rejected_calls=0,failed_calls=0\r\ncmdstat_script|load:calls=1,usec=1\r\n',
    );
    const after = parseCommandStats(
      '# Commandstats\r\ncmdstat_get:calls=300,usec=9\r\ncmdstat_set:calls=350,usec=9\r\ncmdstat_script|load:calls=1,usec=1\r\ncmdstat_evalsha:calls=1,usec=9\r\n',
    );
    expect(perClick(before, after, 100)).toEqual({ set: 3.5, get: 2, evalsha: 0.01 });
  });
});
