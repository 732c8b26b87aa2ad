import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Click } from './click.ts';
import { loadConfig } from './config.ts';
import { clickRecord, decodeMessage, decodeRecord, heartbeatRecords, topicNames } from './messages.ts';

const config = loadConfig({ TOLLBOOTH_TOPIC_PREFIX: 'p_' });
const topics = topicNames(config);
const click: Click = {
  click_id: 'c1',
  ad_id: 'ad',
  user_id: 'u',
  ts: 1,
  client_ts: 2,
  ip: '127.0.0.1',
  user_agent: 'UA',
  campaign_id: null,
  sender: 'acme',
};

describe('messages', () => {
  it('names topics from the prefix', () => {
    expect(topics).toEqual({ clicks: 'p_clicks', rejected: 'p_clicks_rejected', pipelineOut: 'p_pipeline_out' });
  });

  it('sends accepted clicks to clicks and the rest to clicks_rejected, keyed by click_id', () => {
    const accepted = clickRecord(topics, click, 'accepted', 5);
    expect(accepted).toMatchObject({ topic: 'p_clicks', key: 'c1' });
    expect(JSON.parse(accepted.value)).toEqual({ v: 4, kind: 'click', ...click, ingested_at: 5 });
    const dup = clickRecord(topics, click, 'duplicate', 5);
    expect(dup).toMatchObject({ topic: 'p_clicks_rejected', key: 'c1' });
    expect(decodeMessage(dup.value)).toMatchObject({ ok: true, message: { kind: 'rejected', verdict: 'duplicate' } });
  });

  it('writes an anonymous caller\'s clicks with sender "*", and a resend decided unscoped with none', () => {
    const anonymous = clickRecord(topics, { ...click, sender: null }, 'accepted', 5);
    expect(JSON.parse(anonymous.value)).toMatchObject({ sender: '*' });
    const unscoped = clickRecord(topics, click, 'accepted', 5, { ts: 1, campaignId: null, unscoped: true });
    expect(JSON.parse(unscoped.value)).not.toHaveProperty('sender');
    expect(decodeMessage(unscoped.value)).toMatchObject({ ok: true, message: { v: 4, click_id: 'c1' } });
    expect(decodeMessage(anonymous.value.replace('"sender":"*"', '"sender":""')).ok).toBe(false);
  });

  it('addresses one keyless heartbeat to each partition', () => {
    expect(heartbeatRecords(topics, [0, 1], 9)).toEqual([
      { topic: 'p_clicks', partition: 0, key: null, value: '{"v":4,"kind":"heartbeat","ts":9}' },
      { topic: 'p_clicks', partition: 1, key: null, value: '{"v":4,"kind":"heartbeat","ts":9}' },
    ]);
  });

  it('decodes bad values to a typed failure', () => {
    expect(decodeMessage(null).ok).toBe(false);
    expect(decodeMessage('{').ok).toBe(false);
    expect(decodeMessage('{"v":5,"kind":"heartbeat","ts":1}').ok).toBe(false);
    expect(
      decodeMessage(
        '{"v":4,"kind":"click","click_id":"c","ad_id":"a","user_id":"u","ts":1,"ip":"::1","user_agent":"","campaign_id":null,"ingested_at":1}',
      ).ok,
    ).toBe(false);
  });

  it('decodes a v4 record of clicks (an array) to one outcome per message, and an older record to one', () => {
    const a = clickRecord(topics, click, 'accepted', 5).value;
    const b = clickRecord(topics, { ...click, click_id: 'c2' }, 'accepted', 5).value;
    const outcomes = decodeRecord(`[${a},{"v":4,"kind":"click"},${b}]`);
    expect(outcomes.map((o) => (o.ok ? o.message.kind === 'click' && o.message.click_id : o.ok))).toEqual([
      'c1',
      false,
      'c2',
    ]);
    expect(decodeRecord(a)).toEqual([decodeMessage(a)]);
    expect(decodeRecord('[')).toEqual([{ ok: false, error: 'not JSON' }]);
    expect(decodeRecord('[]')).toEqual([]);
  });

  it('reads a v3 value as v4: the same fields', () => {
    const v3 = JSON.parse(clickRecord(topics, click, 'accepted', 5).value) as Record<string, unknown>;
    expect(decodeMessage(JSON.stringify({ ...v3, v: 3 }))).toEqual({ ok: true, message: v3 });
  });

  it('reads a v1 value (before client_ts) as v4 with client_ts = ts and no sender (unscoped)', () => {
    const v1 = {
      v: 1,
      kind: 'click',
      click_id: 'c',
      ad_id: 'a',
      user_id: 'u',
      ts: 7,
      ip: '::1',
      user_agent: '',
      campaign_id: null,
      ingested_at: 8,
    };
    expect(decodeMessage(JSON.stringify(v1))).toEqual({ ok: true, message: { ...v1, v: 4, client_ts: 7 } });
    expect(decodeMessage('{"v":1,"kind":"heartbeat","ts":3}')).toEqual({
      ok: true,
      message: { v: 4, kind: 'heartbeat', ts: 3 },
    });
  });

  it('reads a v2 value (before sender) as v4 in the unscoped namespace', () => {
    const v2 = { v: 2, kind: 'click', ...click, sender: undefined, ingested_at: 8 };
    expect(decodeMessage(JSON.stringify(v2))).toEqual({
      ok: true,
      message: { ...JSON.parse(JSON.stringify(v2)), v: 4 },
    });
    expect(decodeMessage(JSON.stringify({ ...v2, kind: 'rejected', verdict: 'bot' }))).toMatchObject({
      ok: true,
      message: { v: 4, verdict: 'bot' },
    });
  });

  it('agrees with every example in docs/messages.md', () => {
    const doc = readFileSync(path.join(config.repoRoot, 'docs/messages.md'), 'utf8');
    const examples = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) =>
      (m[1] ?? '').replace(/…/g, '').replace(/\n/g, ''),
    );
    expect(examples.length).toBeGreaterThanOrEqual(2);
    for (const e of examples) {
      const outcomes = decodeRecord(e);
      expect(outcomes.length, e).toBeGreaterThan(0);
      for (const o of outcomes) expect(o, e).toMatchObject({ ok: true });
    }
  });
});
