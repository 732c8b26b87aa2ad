-- The same operations as today.lua on the folded layout: the claim and the rate list are fields
-- of one hash per (user, window), 'a:<ad_id>' and 'i:<ip>', whose TTL is set once (EXPIRE NX).
-- KEYS per click: verdict, the user's window hash. ARGV: verdict ttl, window ttl, rate limit,
-- then per click "<click_id>\n<ad_id>\n<ip>". Returns one outcome per click.
local verdict_ttl, window_ttl, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local out = {}
for i = 4, #ARGV do
  local id, ad, ip = string.match(ARGV[i], '^([^\n]*)\n([^\n]*)\n([^\n]*)$')
  local k = (i - 4) * 2
  local memory, user = KEYS[k + 1], KEYS[k + 2]
  local claim, rate = 'a:' .. ad, 'i:' .. ip
  local verdict
  if redis.call('GET', memory) then
    verdict = 'seen'
  elseif redis.call('HSETNX', user, claim, id) == 0 and redis.call('HGET', user, claim) ~= id then
    verdict = 'duplicate'
  elseif redis.call('HSETNX', user, rate, '\n' .. id .. '\n') == 1 then
    verdict = 'accepted'
  else
    local list = redis.call('HGET', user, rate) or '\n'
    local _, separators = string.gsub(list, '\n', '')
    if separators - 1 >= limit then
      redis.call('HDEL', user, claim)
      verdict = 'rate_limited'
    else
      redis.call('HSET', user, rate, list .. id .. '\n')
      verdict = 'accepted'
    end
  end
  if verdict ~= 'duplicate' and verdict ~= 'seen' then redis.call('EXPIRE', user, window_ttl, 'NX') end
  if verdict ~= 'seen' then redis.call('SET', memory, '0\n' .. verdict .. '\n' .. id, 'EX', verdict_ttl) end
  out[#out + 1] = verdict
end
return out
