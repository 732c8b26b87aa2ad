/** Redis requires its password: without it, nobody on the host can read or edit verdicts and blocklists. */
import { once } from 'node:events';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createRedis } from '../../src/shared/clients.ts';
import { loadConfig } from '../../src/shared/config.ts';
import { setTimeout as sleep } from 'node:timers/promises';

const config = loadConfig();

/** Redis's own answers to raw commands on one connection, as anyone on the host could send them. */
async function rawSession(commands: string[]): Promise<string> {
  const socket = connect({ host: config.host, port: config.redis.port });
  let answers = '';
  socket.on('data', (chunk) => {
    answers += chunk.toString('utf8');
  });
  await once(socket, 'connect');
  socket.write(commands.map((c) => `${c}\r\n`).join(''));
  const deadline = Date.now() + 5000;
  while (answers.split('\r\n').length <= commands.length && Date.now() < deadline) await sleep(20);
  socket.destroy();
  return answers;
}

describe('Redis authentication', () => {
  it('refuses a client without the password or with a wrong one', async () => {
    const anonymous = await rawSession(['PING', 'SMEMBERS tb:blocklist:ip', 'FLUSHALL']);
    expect(anonymous.match(/-NOAUTH/g)).toHaveLength(3);
    const wrong = await rawSession(['AUTH not-the-password-at-all', 'PING']);
    expect(wrong).toMatch(/^-WRONGPASS[^\r]*\r\n-NOAUTH/);
  });

  it("answers the project's own client, which authenticates", async () => {
    const redis = createRedis(config, { lazy: true });
    try {
      await redis.connect();
      expect(await redis.ping()).toBe('PONG');
    } finally {
      redis.disconnect();
    }
  });
});
