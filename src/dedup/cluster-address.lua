-- Cluster phase 2 (slot of an anonymous caller's address group): its address limits.
-- KEYS per click: address+ad, address. ARGV: window_ttl, then per click
-- "<click_id>\n<address+ad limit>\n<address limit>". Returns per click 'accepted' (entries
-- added, or found already there) or the limit it hit, 'address_ad' or 'address' (nothing added).
local window_ttl = tonumber(ARGV[1])
local out = {}

local function limits(click_id, windows)
  local additions = {}
  for _, w in ipairs(windows) do
    local already, list = room(w[1], click_id, w[2])
    if not already then
      if not list then return w[3] end
      additions[#additions + 1] = { w[1], list }
    end
  end
  for _, a in ipairs(additions) do
    redis.call('SET', a[1], a[2] .. click_id .. '\n', 'EX', window_ttl)
  end
  return 'accepted'
end

for i = 2, #ARGV do
  local click_id, ad_limit, limit = string.match(ARGV[i], '^([^\n]*)\n(%d+)\n(%d+)$')
  if not click_id then return redis.error_reply('cluster-address.lua: click ' .. (i - 1) .. ' is not 3 fields') end
  local k = (i - 2) * 2
  out[#out + 1] = limits(click_id, {
    { KEYS[k + 1], tonumber(ad_limit), 'address_ad' },
    { KEYS[k + 2], tonumber(limit), 'address' },
  })
end
return out
