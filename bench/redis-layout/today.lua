-- The key operations verdicts.lua does for a keyed click, on today's layout: a verdict memory, a
-- (user, ad, window) claim and a (user, ip, window) rate list, each its own key with a TTL.
-- KEYS per click: verdict, claim, rate. ARGV: verdict ttl, window ttl, rate limit, then per click
-- its click_id. Returns one outcome per click.
local verdict_ttl, window_ttl, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local out = {}
for i = 4, #ARGV do
  local id, k = ARGV[i], (i - 4) * 3
  local memory, claim, rate = KEYS[k + 1], KEYS[k + 2], KEYS[k + 3]
  local verdict
  if redis.call('GET', memory) then
    verdict = 'seen'
  elseif not redis.call('SET', claim, id, 'NX', 'EX', window_ttl) and redis.call('GET', claim) ~= id then
    verdict = 'duplicate'
  elseif redis.call('SET', rate, '\n' .. id .. '\n', 'NX', 'EX', window_ttl) then
    verdict = 'accepted'
  else
    local list = redis.call('GET', rate) or '\n'
    local _, separators = string.gsub(list, '\n', '')
    if separators - 1 >= limit then
      redis.call('DEL', claim)
      verdict = 'rate_limited'
    else
      redis.call('SET', rate, list .. id .. '\n', 'EX', window_ttl)
      verdict = 'accepted'
    end
  end
  if verdict ~= 'seen' then redis.call('SET', memory, '0\n' .. verdict .. '\n' .. id, 'EX', verdict_ttl) end
  out[#out + 1] = verdict
end
return out
