-- Decides a batch of clicks atomically (Redis runs a script without interleaving).
-- KEYS: block:ip, block:user, campaigns, then per click (keys.ts): verdict, duplicate, rate,
--   then the legacy verdict if ARGV[4] is '1', then address+ad and address if it is anonymous.
-- ARGV: verdict_ttl, window_ttl, rate_limit, legacy ('1' reads unscoped memory), then one per
--   click, its fields joined by '\n': click_id, ad_id, user_id, client_ts, ts, ip, pre ('' or
--   'bot'), campaign ('' for none), address+ad limit and address limit ('' for a keyed sender)
--   (one argument instead of ten: each argument costs the client and Redis an encoding).
-- Returns 6 values per click, in order: verdict, first ts, produce ('1'/'0'), campaign (''),
--   reason ('' or the limit a click first decided rate_limited hit: user, address_ad, address),
--   unscoped ('1' when the click is produced again as the unscoped click it was first decided as).
-- A click_id seen before in its sender's namespace with the same content (ad_id, user_id,
-- client_ts) gets its first verdict and first ts, and is produced again only if its first write
-- was not acknowledged; with other content it is a duplicate, produced nowhere. Neither changes
-- anything. An unscoped memory from before namespaces counts only with the same content (it
-- may be another sender's click_id), and is then copied into the namespace; an unacknowledged
-- one is copied with its first byte '2' (not acknowledged, unscoped), so that its resend is
-- written without a sender, like the copy that may have landed, and the engine counts it once.
-- room() (window-room.lua) is put at the top of this script when it is loaded (scripts.ts).
-- Lists hold the claiming click_ids, so a click whose claim exists already (a decision cut in
-- half between slots on Redis Cluster) completes instead of counting against itself.
local verdict_ttl = tonumber(ARGV[1])
local window_ttl = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local legacy = ARGV[4] == '1'
-- Blocklists and campaign maps are often empty; checking once saves calls per click.
local check_ip = redis.call('SCARD', KEYS[1]) > 0
local check_user = redis.call('SCARD', KEYS[2]) > 0
local map_campaigns = redis.call('HLEN', KEYS[3]) > 0
local out = {}

local function first_verdict(c, keys)
  if c.pre ~= '' then return c.pre, '' end
  if (check_ip and redis.call('SISMEMBER', KEYS[1], c.ip) == 1)
    or (check_user and redis.call('SISMEMBER', KEYS[2], c.user_id) == 1) then
    return 'blocked', ''
  end
  -- Claim (user, ad, window); if another click holds it, this is a duplicate.
  if not redis.call('SET', keys.dup, c.click_id, 'NX', 'EX', window_ttl) then
    if redis.call('GET', keys.dup) ~= c.click_id then return 'duplicate', '' end
  end
  -- Most keyed clicks are the first of their (user, ip, window): one SET NX starts the window.
  if not keys.addr_ad and redis.call('SET', keys.rate, '\n' .. c.click_id .. '\n', 'NX', 'EX', window_ttl) then
    return 'accepted', ''
  end
  local windows = { { keys.rate, limit, 'user' } }
  if keys.addr_ad then
    windows[2] = { keys.addr_ad, c.addr_ad_limit, 'address_ad' }
    windows[3] = { keys.addr, c.addr_limit, 'address' }
  end
  local additions = {}
  for _, w in ipairs(windows) do
    local already, list = room(w[1], c.click_id, w[2])
    if not already then
      if not list then
        -- Over a limit: give the claim back, so a rate-limited click leaves no trace.
        redis.call('DEL', keys.dup)
        return 'rate_limited', w[3]
      end
      additions[#additions + 1] = { w[1], list }
    end
  end
  for _, a in ipairs(additions) do
    redis.call('SET', a[1], a[2] .. c.click_id .. '\n', 'EX', window_ttl)
  end
  return 'accepted', ''
end

-- Control characters are refused in every field, so '\n' separates them; content (ad_id,
-- user_id, client_ts) is the middle of the argument, captured whole as well.
local CLICK = '^([^\n]*)\n(([^\n]*)\n([^\n]*)\n[^\n]*)\n([^\n]*)\n([^\n]*)\n([^\n]*)\n([^\n]*)\n([^\n]*)\n([^\n]*)$'
local MEMORY = '^(%d)\n([%a_]+)\n(%d+)\n(.*)$'
local k = 4
for i = 5, #ARGV do
  local c = {}
  local content, addr_ad_limit, addr_limit
  c.click_id, content, c.ad_id, c.user_id, c.ts, c.ip, c.pre, c.campaign, addr_ad_limit, addr_limit =
    string.match(ARGV[i], CLICK)
  if not c.click_id then return redis.error_reply('verdicts.lua: click ' .. (i - 4) .. ' is not 10 fields') end
  local keys = { verdict = KEYS[k], dup = KEYS[k + 1], rate = KEYS[k + 2] }
  k = k + 3
  if legacy then keys.legacy = KEYS[k]; k = k + 1 end
  if addr_limit ~= '' then
    c.addr_ad_limit, c.addr_limit = tonumber(addr_ad_limit), tonumber(addr_limit)
    keys.addr_ad, keys.addr = KEYS[k], KEYS[k + 1]
    k = k + 2
  end
  local verdict, produce, ts, reason, unscoped = nil, nil, c.ts, '', '0'
  local memory = redis.call('GET', keys.verdict)
  if not memory and keys.legacy then
    local old = redis.call('GET', keys.legacy)
    local _, _, _, old_content = string.match(old or '', MEMORY)
    if old_content == content then
      if string.sub(old, 1, 1) == '0' then old = '2' .. string.sub(old, 2) end
      memory = old
      redis.call('SET', keys.verdict, old, 'PX', math.max(redis.call('PTTL', keys.legacy), 1))
    end
  end
  if memory then
    local acked, first, first_ts, first_content = string.match(memory, MEMORY)
    if first_content == content then
      verdict, ts, produce = first, first_ts, acked ~= '1'
      if acked == '2' then unscoped = '1' end
    else
      verdict, produce = 'duplicate', false
    end
  else
    verdict, reason = first_verdict(c, keys)
    redis.call('SET', keys.verdict, '0\n' .. verdict .. '\n' .. ts .. '\n' .. content, 'EX', verdict_ttl)
    produce = true
  end
  local campaign = c.campaign
  if map_campaigns then
    local mapped = redis.call('HGET', KEYS[3], c.ad_id)
    if mapped then campaign = mapped end
  end
  out[#out + 1] = verdict
  out[#out + 1] = ts
  out[#out + 1] = produce and '1' or '0'
  out[#out + 1] = campaign
  out[#out + 1] = reason
  out[#out + 1] = unscoped
end
return out
