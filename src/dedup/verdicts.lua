-- Decides a batch of clicks atomically (Redis runs a script without interleaving).
-- KEYS: block:ip, block:user, campaigns, then 3 per click: verdict, duplicate, rate (keys.ts).
-- ARGV: verdict_ttl, window_ttl, rate_limit, then one per click, its fields joined by '\n':
--   click_id, ad_id, user_id, client_ts, ts, ip, pre ('' or 'bot'), campaign ('' for none)
--   (one argument instead of eight: each argument costs the client and Redis an encoding).
-- Returns 4 values per click, in order: verdict, first ts, produce ('1'/'0'), campaign ('').
-- A click_id seen before with the same content (ad_id, user_id, client_ts) gets its first
-- verdict and first ts, and is produced again only if its first write was not acknowledged;
-- with other content it is a duplicate, produced nowhere. Neither changes anything.
-- Claims hold the claiming click_ids, so a click whose claim exists already (a decision cut
-- in half between slots on Redis Cluster) completes instead of counting against itself.
-- The common path (accepted) is written for few calls: the script's cost is its Redis calls.
local verdict_ttl = tonumber(ARGV[1])
local window_ttl = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
-- Blocklists and campaign maps are often empty; checking once saves calls per click.
local check_ip = redis.call('SCARD', KEYS[1]) > 0
local check_user = redis.call('SCARD', KEYS[2]) > 0
local map_campaigns = redis.call('HLEN', KEYS[3]) > 0
local out = {}

local function first_verdict(click_id, user_id, ip, pre, dup_key, rate_key)
  if pre ~= '' then return pre end
  if (check_ip and redis.call('SISMEMBER', KEYS[1], ip) == 1)
    or (check_user and redis.call('SISMEMBER', KEYS[2], user_id) == 1) then
    return 'blocked'
  end
  -- Claim (user, ad, window); if another click holds it, this is a duplicate.
  if not redis.call('SET', dup_key, click_id, 'NX', 'EX', window_ttl) then
    if redis.call('GET', dup_key) ~= click_id then return 'duplicate' end
  end
  -- The rate window is a string of the accepted click_ids ("\nid1\nid2\n"): plain string
  -- calls, cheaper than a set, and a click finds its own entry (click_ids hold no '\n').
  -- Most clicks are the first of their (user, ip, window): one SET NX starts the window.
  if limit > 0 and redis.call('SET', rate_key, '\n' .. click_id .. '\n', 'NX', 'EX', window_ttl) then
    return 'accepted'
  end
  local rate = redis.call('GET', rate_key) or '\n'
  if string.find(rate, '\n' .. click_id .. '\n', 1, true) then return 'accepted' end
  local _, separators = string.gsub(rate, '\n', '')
  if separators - 1 >= limit then
    -- Over the limit: give the claim back, so a rate-limited click leaves no trace.
    redis.call('DEL', dup_key)
    return 'rate_limited'
  end
  redis.call('SET', rate_key, rate .. click_id .. '\n', 'EX', window_ttl)
  return 'accepted'
end

-- Control characters are refused in every field, so '\n' separates them; content (ad_id,
-- user_id, client_ts) is the middle of the argument, captured whole as well.
local CLICK = '^([^\n]*)\n(([^\n]*)\n([^\n]*)\n[^\n]*)\n([^\n]*)\n([^\n]*)\n([^\n]*)\n([^\n]*)$'
for i = 0, #ARGV - 4 do
  local k = 4 + i * 3
  local click_id, content, ad_id, user_id, ts, ip, pre, campaign = string.match(ARGV[4 + i], CLICK)
  if not click_id then return redis.error_reply('verdicts.lua: click ' .. (i + 1) .. ' is not 8 fields') end
  local verdict, produce
  local memory = redis.call('GET', KEYS[k])
  if memory then
    local acked, first, first_ts, first_content = string.match(memory, '^(%d)\n([%a_]+)\n(%d+)\n(.*)$')
    if first_content == content then
      verdict, ts, produce = first, first_ts, acked == '0'
    else
      verdict, produce = 'duplicate', false
    end
  else
    verdict = first_verdict(click_id, user_id, ip, pre, KEYS[k + 1], KEYS[k + 2])
    redis.call('SET', KEYS[k], '0\n' .. verdict .. '\n' .. ts .. '\n' .. content, 'EX', verdict_ttl)
    produce = true
  end
  if map_campaigns then
    local mapped = redis.call('HGET', KEYS[3], ad_id)
    if mapped then campaign = mapped end
  end
  out[#out + 1] = verdict
  out[#out + 1] = ts
  out[#out + 1] = produce and '1' or '0'
  out[#out + 1] = campaign
end
return out
