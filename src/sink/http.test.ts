import { describe, expect, it } from 'vitest';
import { buildSinkHttp } from './http.ts';
import { SinkMetrics } from './metrics.ts';

describe("the sink's HTTP face", () => {
  it('serves Prometheus metrics, health as 200 or 503, and 404 elsewhere', async () => {
    let healthy = true;
    const app = buildSinkHttp(new SinkMetrics(), () => healthy);
    const metrics = await app.inject({ url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.body).toContain('# HELP');
    expect((await app.inject({ url: '/healthz' })).json()).toEqual({ ok: true });
    healthy = false;
    const sick = await app.inject({ url: '/healthz' });
    expect([sick.statusCode, sick.json()]).toEqual([503, { ok: false }]);
    expect((await app.inject({ url: '/nowhere' })).statusCode).toBe(404);
    await app.close();
  });
});
