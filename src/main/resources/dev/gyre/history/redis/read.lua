-- Reads a channel's stream by position, creating its metadata (a new epoch at offset 0) when
-- missing, and refreshing the meta TTL.
-- KEYS[1] stream, KEYS[2] meta (see append.lua)
-- ARGV: now_ms (0 = Redis TIME), new_epoch, meta_ttl_ms, has_since (0/1), since_offset,
--   since_epoch, limit (0 = none, <0 = all), reverse (0/1)
-- Returns {top, epoch, unrecoverable (0/1), entries}; entries as XRANGE returns them.
local stream, meta = KEYS[1], KEYS[2]
local now = tonumber(ARGV[1])
if now == 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local metaTtl = tonumber(ARGV[3])
local hasSince, since, sinceEpoch = ARGV[4] == '1', tonumber(ARGV[5]), ARGV[6]
local limit, reverse = tonumber(ARGV[7]), ARGV[8] == '1'

local m = redis.call('HMGET', meta, 'e', 's', 'me', 'pe')
local epoch = m[1]
if not epoch or (m[3] and tonumber(m[3]) <= now) then
  redis.call('DEL', stream, meta)
  epoch = ARGV[2]
  redis.call('HSET', meta, 'e', epoch, 's', 0)
  m = {epoch, '0', false, false}
elseif m[4] and tonumber(m[4]) <= now then
  redis.call('DEL', stream)
  redis.call('HDEL', meta, 'pe')
end
local top = tonumber(m[2] or '0')
local expiresAt = math.max(tonumber(m[3] or '0'), now + metaTtl)
redis.call('HSET', meta, 'me', string.format('%.0f', expiresAt))
if redis.call('PTTL', meta) < metaTtl then redis.call('PEXPIRE', meta, metaTtl) end

if hasSince and sinceEpoch ~= '' and sinceEpoch ~= epoch then return {top, epoch, 1, {}} end
if limit == 0 then return {top, epoch, 0, {}} end
local entries
if reverse then
  local hi = '+'
  if hasSince then
    if since <= 1 then return {top, epoch, 0, {}} end
    hi = string.format('%.0f', since - 1)
  end
  if limit > 0 then entries = redis.call('XREVRANGE', stream, hi, '-', 'COUNT', limit)
  else entries = redis.call('XREVRANGE', stream, hi, '-') end
else
  local lo = '-'
  if hasSince then lo = string.format('%.0f', since + 1) end
  if limit > 0 then entries = redis.call('XRANGE', stream, lo, '+', 'COUNT', limit)
  else entries = redis.call('XRANGE', stream, lo, '+') end
end
return {top, epoch, 0, entries}
