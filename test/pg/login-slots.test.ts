/**
 * Login slots and session slots against the real endpoint: sockets that connect and then say
 * nothing (and never read) hold a login slot only until the login deadline, and one address gets
 * at most 4 of the 16; a host whose sessions sit idle does not lock out its next analyst.
 * Loopback is a /8 on Linux, so the silent sockets come from 127.0.0.2 and up while the real
 * logins come from 127.0.0.1.
 */
import { connect, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startPgServer, type PgServer } from '../../src/api/pg/server.ts';
import { logger } from '../../src/shared/logger.ts';
import { startPgFixture, type PgFixture } from './fixture.ts';

// Short enough to keep the test quick, long enough that a login on loopback never hits it.
const DEADLINE_MS = 1_500;
// Sessions count as idle after this long (5 minutes by default).
const IDLE_MS = 1_000;

let fx: PgFixture;
// Each test has an endpoint of its own, so no slot of one test is still held in the next.
let server: PgServer;
const silent: Socket[] = [];
const clients: pg.Client[] = [];

beforeAll(async () => {
  fx = await startPgFixture('slots');
});
beforeEach(async () => {
  server = await startPgServer({
    config: fx.config,
    verifyPassword: async (p) => p === fx.target.password,
    log: logger.child({ component: 'pg-test' }, { level: 'warn' }),
    port: 0,
    limits: { authDeadlineMs: DEADLINE_MS, evictIdleAfterMs: IDLE_MS },
  });
});
afterEach(async () => {
  for (const s of silent.splice(0)) s.destroy();
  await Promise.all(clients.splice(0).map((c) => c.end().catch(() => undefined)));
  await server.close();
});
afterAll(async () => {
  await fx?.close();
});

/** A socket from `localAddress` that connects and then neither sends nor reads. */
function silentSocket(localAddress: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port: server.port, host: fx.target.host, localAddress }, () => resolve(socket));
    socket.pause();
    socket.on('error', () => undefined); // the server closing it is the point
    socket.once('error', reject);
    silent.push(socket);
  });
}

/** A login from 127.0.0.1: the SQLSTATE that refused it, or 'ok'. */
async function login(): Promise<string> {
  const client = new pg.Client({ ...fx.target, port: server.port });
  client.on('error', () => undefined); // a session closed by the server, after this returns
  try {
    await client.connect();
    clients.push(client);
    return 'ok';
  } catch (err) {
    return err instanceof Error && 'code' in err ? String(err.code) : String(err);
  }
}

// Between login attempts: a refused login takes a millisecond, and the box is shared.
const POLL_MS = 50;

/** Tries to log in until it works or `withinMs` has passed. */
async function firstLogin(withinMs: number): Promise<{ outcome: string; afterMs: number }> {
  const started = Date.now();
  let outcome = await login();
  while (outcome !== 'ok' && Date.now() - started < withinMs) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    outcome = await login();
  }
  return { outcome, afterMs: Date.now() - started };
}

describe('login slots', () => {
  it('gives one address at most 4 of the 16 login slots', async () => {
    for (let i = 0; i < 16; i++) await silentSocket('127.0.0.2');
    const started = Date.now();
    expect(await login()).toBe('ok');
    expect(Date.now() - started).toBeLessThan(DEADLINE_MS);
  });

  it('frees the slots of silent sockets at the login deadline, though they never close', async () => {
    for (const address of ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'])
      for (let i = 0; i < 4; i++) await silentSocket(address);
    expect(await login()).toBe('53300');
    const { outcome, afterMs } = await firstLogin(3 * DEADLINE_MS);
    expect(outcome).toBe('ok');
    expect(afterMs).toBeLessThan(DEADLINE_MS + 1_000);
  });
});

describe('session slots', () => {
  it('closes an idle session of the address before refusing its next login', async () => {
    const held: pg.Client[] = [];
    const terminated: [number, string][] = [];
    for (let i = 0; i < 16; i++) {
      const c = new pg.Client({ ...fx.target, port: server.port });
      c.on('error', (err: Error & { code?: string }) => terminated.push([i, String(err.code)]));
      await c.connect();
      held.push(c);
      clients.push(c);
    }
    expect(await login()).toBe('53300'); // 16 sessions from 127.0.0.1, none idle long enough yet
    // The oldest stays busy the whole time: the one closed is the idlest of the others.
    const query = held[0]?.query('SELECT sleep(3) AS s');
    const { outcome } = await firstLogin(5 * IDLE_MS);
    expect(outcome).toBe('ok');
    expect(terminated).toEqual([[1, '57P01']]);
    expect((await query)?.rows).toEqual([{ s: 0 }]);
  });
});
