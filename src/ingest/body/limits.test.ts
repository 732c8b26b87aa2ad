import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config.ts';
import { callerLimits, sizeText } from './limits.ts';

describe('callerLimits', () => {
  it('names both limits in the anonymous 413, from the defaults', () => {
    const limits = callerLimits(loadConfig({}).ingest);
    expect(limits.keyed).toMatchObject({ maxClicks: 10_000, maxBytes: 5 * 1024 * 1024 });
    expect(limits.anonymous).toEqual({
      maxClicks: 100,
      maxBytes: 256 * 1024,
      tooLarge:
        'an anonymous request may carry at most 100 clicks and 256 KB; a server with an ingest key may send 10000 clicks and 5 MB',
    });
  });

  it('never gives an anonymous caller more than a key', () => {
    const config = loadConfig({ TOLLBOOTH_MAX_CLICKS_PER_REQUEST: '50', TOLLBOOTH_MAX_BODY_BYTES: '65536' });
    expect(callerLimits(config.ingest).anonymous).toMatchObject({ maxClicks: 50, maxBytes: 65536 });
  });

  it('writes sizes as the docs do', () => {
    expect([sizeText(5 * 1024 * 1024), sizeText(262_144), sizeText(1000)]).toEqual(['5 MB', '256 KB', '1000 bytes']);
  });
});
