import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { showKeyOnce } from './show-key.ts';

const KEY = 'tb_live_0123456789abcdef0123456789abcdef';

describe('the demo key of tollbooth start', () => {
  it('is printed on a terminal, with the dashboard link carrying it in the fragment only', () => {
    const shown = showKeyOnce(mkdtempSync(path.join(tmpdir(), 'tb-key-')), KEY, true);
    expect(shown.key).toContain(KEY);
    expect(shown.fragment).toBe(`#key=${KEY}`);
  });

  it('never reaches output that is not a terminal (a log file); it goes to a 0600 file instead', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tb-key-'));
    const shown = showKeyOnce(dir, KEY, false);
    expect(`${shown.key} ${shown.fragment}`).not.toContain(KEY);
    const file = path.join(dir, 'secrets', 'demo-api-key');
    expect(shown.key).toContain(file);
    expect(readFileSync(file, 'utf8').trim()).toBe(KEY);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
