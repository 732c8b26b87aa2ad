import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/shared/config.ts';
import { processPorts } from './ports.ts';

// Every port that the bench's ingest, sink and stats API listen on, read from the config: a new
// listening port in one of these sections is caught here, not by a run that dies on EADDRINUSE.
function listening(config: ReturnType<typeof loadConfig>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const section of ['ingest', 'api', 'sink'] as const) {
    for (const [key, value] of Object.entries(config[section])) {
      if (/port$/i.test(key)) out[`${section}.${key}`] = Number(value);
    }
  }
  return out;
}

describe("the bench's processes beside a running Tollbooth", () => {
  it('listen on none of the default ports (a running `npm start` holds those)', async () => {
    const defaults = listening(loadConfig({}));
    const bench = listening(loadConfig(await processPorts()));
    expect(Object.keys(bench).sort()).toEqual(Object.keys(defaults).sort());
    for (const [name, port] of Object.entries(bench)) {
      expect(port, name).not.toBe(defaults[name]);
    }
    expect(new Set(Object.values(bench)).size).toBe(Object.keys(bench).length);
  });
});
