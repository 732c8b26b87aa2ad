/** A verdict store whose writes no replica acknowledged (Redis Cluster, WAIT): 503, nothing produced. */
import { describe, expect, it, vi } from 'vitest';
import { ReplicaNotAcknowledged } from '../dedup/cluster-calls.ts';
import { appConfig, click, post, setup } from './app-testing.ts';

describe('a verdict no replica acknowledged', () => {
  it('gives 503 saying so, produces nothing, and the resend gets the verdicts', async () => {
    const { app, sink, store } = await setup(appConfig());
    const decide = store.decide.bind(store);
    vi.spyOn(store, 'decide').mockImplementationOnce(async (batch) => {
      await decide(batch); // half-decided: the store's writes happened, unacknowledged
      throw new ReplicaNotAcknowledged('10.0.0.5:7000', 0, 1, 500);
    });
    const body = JSON.stringify([click('w1'), click('w2', { ad_id: 'ad2' })]);
    const failed = await app.inject(post(body));
    expect(failed.statusCode).toBe(503);
    expect(failed.headers['retry-after']).toBe('1');
    expect(failed.json().error).toBe(
      'redis unavailable: no replica acknowledged the verdicts within 500 ms; nothing was accepted; resend the same request',
    );
    expect(sink.records).toEqual([]);
    const resent = await app.inject(post(body));
    expect(resent.json()).toMatchObject({ accepted: 2, rejected: 0 });
    expect(sink.records.map((r) => r.key)).toEqual(['w1', 'w2']);
  });
});
