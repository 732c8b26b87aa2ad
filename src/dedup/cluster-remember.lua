-- Cluster phase 3 (slot of sender and click_id): writes each click's verdict memory with
-- SET NX, after every other phase of its decision is done. KEYS: verdict memories. ARGV:
-- verdict_ttl, then per key "<pttl>\n<memory>" (pttl '' for verdict_ttl seconds; a copy of an
-- unscoped memory keeps its PTTL). Returns per key '' when this memory is there (written now,
-- or by an earlier try of the same decision), else the memory another decider wrote first.
local verdict_ttl = tonumber(ARGV[1])
local out = {}
for i, key in ipairs(KEYS) do
  local pttl, memory = string.match(ARGV[i + 1], '^(%d*)\n(.*)$')
  if not pttl then return redis.error_reply('cluster-remember.lua: memory ' .. i .. ' has no pttl') end
  -- NX with GET (Redis 7.0): the memory there before, or false when this one was written.
  local before
  if pttl == '' then
    before = redis.call('SET', key, memory, 'NX', 'GET', 'EX', verdict_ttl)
  else
    before = redis.call('SET', key, memory, 'NX', 'GET', 'PX', math.max(tonumber(pttl), 1))
  end
  out[#out + 1] = (not before or before == memory) and '' or before
end
return out
