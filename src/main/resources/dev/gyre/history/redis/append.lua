-- Appends one publication to a channel's stream, atomically (Redis runs a script alone).
-- KEYS[1] stream (STREAM), KEYS[2] meta (HASH: e epoch, s top offset, v last version,
--   ve its version epoch, me / pe = when meta / publications expire, ms on the caller's clock)
-- ARGV: now_ms (0 = Redis TIME), new_epoch, payload, size, ttl_ms, meta_ttl_ms, version, version_epoch
-- Returns {offset, epoch, suppressed (0/1)}.
local stream, meta = KEYS[1], KEYS[2]
local now = tonumber(ARGV[1])
if now == 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local size, ttl, metaTtl = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local version, versionEpoch = tonumber(ARGV[7]), ARGV[8]
local function ms(x) return string.format('%.0f', x) end

local m = redis.call('HMGET', meta, 'e', 's', 'v', 've', 'me', 'pe')
local epoch = m[1]
if not epoch or (m[5] and tonumber(m[5]) <= now) then
  -- No (live) metadata: a new epoch. A stream left over belongs to the old epoch.
  redis.call('DEL', stream, meta)
  epoch = ARGV[2]
  redis.call('HSET', meta, 'e', epoch, 's', 0)
  m = {epoch, '0', false, false, false, false}
elseif m[6] and tonumber(m[6]) <= now then
  redis.call('DEL', stream)
end
redis.call('HSET', meta, 'me', ms(now + metaTtl))
redis.call('PEXPIRE', meta, metaTtl)
if version > 0 then
  local sameEpoch = versionEpoch == '' or versionEpoch == (m[4] or '')
  if sameEpoch and tonumber(m[3] or '0') >= version then
    return {tonumber(m[2]), epoch, 1}
  end
  redis.call('HSET', meta, 'v', ARGV[7], 've', versionEpoch)
end
local top = redis.call('HINCRBY', meta, 's', 1)
redis.call('XADD', stream, 'MAXLEN', size, string.format('%.0f-0', top), 'd', ARGV[3])
redis.call('HSET', meta, 'pe', ms(now + ttl))
redis.call('PEXPIRE', stream, ttl)
return {top, epoch, 0}
