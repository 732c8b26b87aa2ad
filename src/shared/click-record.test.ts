import { describe, expect, it } from 'vitest';
import type { Click } from './click.ts';
import { loadConfig } from './config.ts';
import { clickRecord, MESSAGE_VERSION, topicNames } from './messages.ts';

const topics = topicNames(loadConfig({ TOLLBOOTH_TOPIC_PREFIX: 'p_' }));
const clicks: Click[] = [
  {
    click_id: 'c1',
    ad_id: 'ad',
    user_id: 'u',
    ts: 1,
    client_ts: 2,
    ip: '127.0.0.1',
    user_agent: 'UA',
    campaign_id: null,
    sender: 'acme',
  },
  {
    click_id: 'c_2-x',
    ad_id: 'a.b:c',
    user_id: 'say "hi" \\ é \ud83d\ude00 \u2028',
    ts: 1735732800000,
    client_ts: 1735732800001,
    ip: '2001:db8::1',
    user_agent: '',
    campaign_id: 'cmp.1',
    sender: 'say "hi" \u2028',
  },
];

describe('clickRecord', () => {
  it.each(clicks)('writes the same bytes as JSON.stringify of the typed message (%#)', (click) => {
    const { sender, ...rest } = click;
    const fields = { v: MESSAGE_VERSION, ...rest, ingested_at: 9, sender };
    expect(clickRecord(topics, click, 'accepted', 9).value).toBe(JSON.stringify({ ...fields, kind: 'click' }));
    expect(clickRecord(topics, click, 'rate_limited', 9).value).toBe(
      JSON.stringify({ ...fields, kind: 'rejected', verdict: 'rate_limited' }),
    );
  });
});
