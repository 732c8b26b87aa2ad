-- Marks clicks whose Kafka write was acknowledged: the first byte of each verdict memory
-- (KEYS) becomes '1'. SETRANGE keeps the key's TTL; a key that has expired stays gone.
for _, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then redis.call('SETRANGE', key, 0, '1') end
end
return #KEYS
