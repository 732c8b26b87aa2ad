/**
 * Docs that run: every shell block of README.md and docs/ runs here, in order, against a test
 * pipeline, and each output a page shows is compared with what the command printed; every psql
 * session runs through the real psql against the stats fixture. A block that cannot run here
 * (it starts the whole system, runs minutes of load, needs Docker) carries
 * `<!-- docs-test: skip: REASON -->`, and the first test checks that each one says why.
 */
import { connect } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allScopeKeys } from '../../src/api/pg/main.ts';
import { startPgServer, type PgServer } from '../../src/api/pg/server.ts';
import { environmentWith } from '../../src/shared/config.ts';
import { logger } from '../../src/shared/logger.ts';
import { startStatsFixture, type StatsFixture } from '../dashboard/fixture.ts';
import { eventually } from '../helpers/prefix.ts';
import { startDocsEnvironment, type DocsEnvironment } from './docs-environment.ts';
import { matchesExpected } from './expected-output.ts';
import { projectBlocks, type Block } from './markdown-blocks.ts';
import { psqlSteps, runPsql } from './psql-session.ts';
import { commandsOf, type DocCommand } from './shell-commands.ts';
import { BACKGROUND, ShellSession } from './shell-session.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const blocks = projectBlocks(root);
const where = (b: Block) => `${b.page}:${b.line}`;
const runnable = (kind: Block['kind']) => blocks.filter((b) => b.kind === kind && b.skip === undefined);
const pagesWith = (kind: Block['kind']) => [...new Set(runnable(kind).map((b) => b.page))];

// A command that only reads may be asked again while the data it shows is on its way (a click is
// visible within seconds of its 200); one that changes something runs once.
// 120 s, not the 5 s freshness target: the page's first click is the first work of a Flink job
// that may be the first one of a just-started TaskManager (cold JVM on 2 shared cores).
const READ_AGAIN_MS = 120_000;
const readsOnly = (text: string) =>
  /^\s*(curl|psql|npx tollbooth (tail|status|jobs status|keys list))\b/.test(text) && !/\s(-d|--data)\s/.test(text);
// The apps a page starts in the background, and how to know each is ready.
const answers = (url: string) => async () => ((await fetch(url).catch(() => undefined))?.ok ? true : undefined);
const listens = (port: number) => () =>
  new Promise<true | undefined>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(undefined));
  });
const READY: Record<string, (e: DocsEnvironment) => () => Promise<true | undefined>> = {
  ingest: (e) => answers(`http://127.0.0.1:${e.ports.ingest}/readyz`),
  api: (e) => answers(`http://127.0.0.1:${e.ports.api}/healthz`),
  sink: (e) => answers(`http://127.0.0.1:${e.ports.sink}/healthz`),
  pg: (e) => listens(e.ports.pg),
};

describe('the docs', () => {
  it('every command block runs here, or says why not', () => {
    const commandLike = /^\s*(\$ |npx |npm |curl |tollbooth |node |psql |PGPASSWORD=|KEY=)/m;
    const unexplained = blocks.filter((b) => b.kind === 'data' && b.skip === undefined && commandLike.test(b.body));
    expect(unexplained.map(where), 'commands in a block that is neither sh nor marked skip').toEqual([]);
    const vague = blocks.filter((b) => b.skip !== undefined && b.skip.length < 12);
    expect(vague.map(where), 'a skip marker must say why').toEqual([]);
    expect(runnable('shell').length).toBeGreaterThan(5);
    expect(runnable('psql').length).toBeGreaterThan(1);
  });
});

describe('shell examples', () => {
  let docs: DocsEnvironment;
  let shell: ShellSession;
  beforeAll(async () => {
    docs = await startDocsEnvironment(root);
    shell = new ShellSession(root, docs.env, docs.logDir);
  });
  afterAll(async () => {
    shell?.close();
    await docs?.close();
  });

  async function runCommand(page: string, command: DocCommand): Promise<void> {
    const text = docs.localize(command.text);
    const at = `${page}:${command.line}: ${command.text.split('\n')[0]}`;
    const once = async () => {
      const result = await shell.run(text, 180_000);
      expect(result.code, `${at}\n${result.stderr}`).toBe(0);
      return result.stdout.trim();
    };
    const app = BACKGROUND.exec(text)?.[1]?.match(/tollbooth (ingest|api|sink|pg)\b/)?.[1];
    if (command.expected === undefined) {
      await once();
      const ready = app === undefined ? undefined : READY[app];
      // 90 s: a cold start compiles TypeScript and connects to Kafka, Redis and ClickHouse.
      if (ready !== undefined) await eventually(ready(docs), 90_000, `${app} started by ${at}`);
      return;
    }
    const expected = command.expected;
    if (!readsOnly(text))
      return expect(matchesExpected(expected, await once()), `${at}\nexpected: ${expected}`).toBe(true);
    let last = '';
    await eventually(
      async () => ((last = await once()), matchesExpected(expected, last) ? true : undefined),
      READ_AGAIN_MS,
      at,
    ).catch(() => {
      expect(last, at).toBe(expected);
    });
  }

  it.each(pagesWith('shell'))(
    '%s',
    async (page) => {
      for (const block of runnable('shell').filter((b) => b.page === page))
        for (const command of commandsOf(block.body, block.line + 1)) await runCommand(page, command);
    },
    900_000,
  );
});

describe('psql sessions', () => {
  let fx: StatsFixture;
  let pg: PgServer;
  beforeAll(async () => {
    fx = await startStatsFixture('docspg');
    const log = logger.child({ component: 'docs-test' }, { level: 'warn' });
    pg = await startPgServer({ config: fx.config, verifyPassword: allScopeKeys(fx.config.api.keysFile), log, port: 0 });
  });
  afterAll(async () => {
    await pg?.close();
    await fx?.close();
  });

  it.each(runnable('psql').map((b) => [where(b), b] as const))('%s', async (_, block) => {
    const target = { host: fx.config.host, port: pg.port, password: fx.keys.all };
    for (const step of psqlSteps(block.body)) {
      const actual = await runPsql(target, step.sql, environmentWith({}));
      expect(matchesExpected(step.expected, actual), `${step.sql}\n--- printed:\n${actual}`).toBe(true);
    }
  });
});
