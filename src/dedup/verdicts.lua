-- Decides a batch of clicks atomically (Redis runs a script without interleaving).
-- ARGV: prefix, ttl_seconds, rate_limit, then 6 per click:
--   click_id, user_id, ad_id, ip, window, pre ('' or 'bot')
-- Returns one verdict per click, in order. Rules after the pre-verdict, first match wins:
-- blocked, duplicate, rate_limited, accepted. A click_id seen before returns its first
-- verdict and changes nothing, so a resent batch has no new side effects.
-- The common path (accepted) is written for few calls: the script's cost is its Redis calls.
local prefix = ARGV[1]
local ttl = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local block_ip = prefix .. 'block:ip'
local block_user = prefix .. 'block:user'
-- Blocklists are usually empty; checking once saves two calls per click.
local check_ip = redis.call('SCARD', block_ip) > 0
local check_user = redis.call('SCARD', block_user) > 0
local out = {}

local function first_verdict(user_id, ad_id, ip, window, pre)
  if pre ~= '' then return pre end
  if (check_ip and redis.call('SISMEMBER', block_ip, ip) == 1)
    or (check_user and redis.call('SISMEMBER', block_user, user_id) == 1) then
    return 'blocked'
  end
  local who = window .. ':' .. string.len(user_id) .. ':' .. user_id .. ':'
  local dup_key = prefix .. 'dup:' .. who .. ad_id
  -- Claim (user, ad, window); if someone holds it, this is a duplicate.
  if not redis.call('SET', dup_key, '1', 'NX', 'EX', ttl) then return 'duplicate' end
  local rate_key = prefix .. 'rate:' .. who .. ip
  local n = redis.call('INCR', rate_key)
  if n == 1 then redis.call('EXPIRE', rate_key, ttl) end
  if n > limit then
    -- Over the limit: undo the claim and the count, so a rate-limited click leaves no trace.
    redis.call('DECR', rate_key)
    redis.call('DEL', dup_key)
    return 'rate_limited'
  end
  return 'accepted'
end

for i = 4, #ARGV, 6 do
  local verdict_key = prefix .. 'v:' .. ARGV[i]
  local verdict = redis.call('GET', verdict_key)
  if not verdict then
    verdict = first_verdict(ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5])
    redis.call('SET', verdict_key, verdict, 'EX', ttl)
  end
  out[#out + 1] = verdict
end
return out
