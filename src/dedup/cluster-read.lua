-- Cluster phase "read" (verdict memory, one slot): the value of each key ('' when it has none)
-- and its PTTL, two values per key. Read-only: the scoped memory of (sender, click_id) before
-- any claim, so a known click resolves from it; and, one horizon after the upgrade, the
-- unscoped memory (phase 0), whose PTTL a copy keeps.
local out = {}
for _, key in ipairs(KEYS) do
  out[#out + 1] = redis.call('GET', key) or ''
  out[#out + 1] = redis.call('PTTL', key)
end
return out
