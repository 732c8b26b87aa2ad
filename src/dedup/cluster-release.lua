-- Cluster phase 1 again (slot of sender and user), for an anonymous click over an address
-- limit: gives back its claim and its rate entry, so a rate-limited click leaves no trace.
-- KEYS per click: duplicate, rate. ARGV: one click_id per click. Returns 'released' per click.
-- Idempotent.
local out = {}
for i, click_id in ipairs(ARGV) do
  local dup, rate = KEYS[i * 2 - 1], KEYS[i * 2]
  if redis.call('GET', dup) == click_id then redis.call('DEL', dup) end
  local list = redis.call('GET', rate)
  if list then
    local entry = '\n' .. click_id .. '\n'
    local at = string.find(list, entry, 1, true)
    if at then
      list = string.sub(list, 1, at) .. string.sub(list, at + #entry)
      if list == '\n' then redis.call('DEL', rate) else redis.call('SET', rate, list, 'KEEPTTL') end
    end
  end
  out[#out + 1] = 'released'
end
return out
