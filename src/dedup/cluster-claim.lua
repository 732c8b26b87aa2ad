-- Cluster phase 1 (slot of sender and user): the duplicate claim and rule 5, as verdicts.lua's
-- first_verdict does them; blocklists and bot were decided by the client before.
-- KEYS per click: duplicate, rate. ARGV: window_ttl, rate_limit, then per click
-- "<click_id>\n<anonymous 0|1>". Returns one value per click: 'duplicate', 'rate_limited'
-- (claim given back), 'accepted', or 'pending' (an anonymous click still to pass its address
-- limits in phase 2; its claim and rate entry stay, and are given back if it does not).
-- Idempotent per click_id: a click finding its own claim and its own entry completes.
local window_ttl = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local out = {}

local function claim(click_id, anonymous, dup, rate)
  if not redis.call('SET', dup, click_id, 'NX', 'EX', window_ttl) then
    if redis.call('GET', dup) ~= click_id then return 'duplicate' end
  end
  if not anonymous and redis.call('SET', rate, '\n' .. click_id .. '\n', 'NX', 'EX', window_ttl) then
    return 'accepted'
  end
  local already, list = room(rate, click_id, limit)
  if not already then
    if not list then
      redis.call('DEL', dup)
      return 'rate_limited'
    end
    redis.call('SET', rate, list .. click_id .. '\n', 'EX', window_ttl)
  end
  if anonymous then return 'pending' end
  return 'accepted'
end

for i = 3, #ARGV do
  local click_id, anonymous = string.match(ARGV[i], '^([^\n]*)\n([01])$')
  if not click_id then return redis.error_reply('cluster-claim.lua: click ' .. (i - 2) .. ' is not 2 fields') end
  local k = (i - 3) * 2
  out[#out + 1] = claim(click_id, anonymous == '1', KEYS[k + 1], KEYS[k + 2])
end
return out
