-- Shared by verdicts.lua and the cluster phases (scripts.ts puts it at the top of each).
-- A window is a string of the accepted click_ids ("\nid1\nid2\n"): plain string calls, cheaper
-- than a set, and a click finds its own entry (click_ids hold no '\n'). Returns whether the
-- click is in it already, and the list if it has room for one more (nil when full).
local function room(key, click_id, max)
  local list = redis.call('GET', key) or '\n'
  if string.find(list, '\n' .. click_id .. '\n', 1, true) then return true, nil end
  local _, separators = string.gsub(list, '\n', '')
  if separators - 1 >= max then return false, nil end
  return false, list
end

