import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { appConfig, setup } from './app-testing.ts';

describe('the in-memory ingest app of the unit tests', () => {
  it('neither reads nor writes a stack folder: its secrets are made in memory', async () => {
    const config = appConfig();
    const { app } = await setup(config);
    await app.close();
    expect(existsSync(config.stackDir)).toBe(false);
    expect(Object.keys(config.ingest.linkSecrets)).toEqual(['k1']);
    expect(appConfig().redis.password).not.toBe(config.redis.password);
  });
});
