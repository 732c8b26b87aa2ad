-- Marks clicks whose Kafka write was acknowledged: the first byte of each verdict memory
-- (KEYS) becomes '1'. SETRANGE keeps the key's TTL. On a key that has expired it makes a
-- one-byte string, which is deleted at once: one call per key in the common case, not two.
for _, key in ipairs(KEYS) do
  if redis.call('SETRANGE', key, 0, '1') == 1 then redis.call('DEL', key) end
end
return #KEYS
