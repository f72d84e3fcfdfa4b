-- Numbers one client event of a session and publishes it, atomically, so ids are strictly increasing whichever
-- server publishes. Ids come from blocks the database reserved (ARGV[6], when the caller had to get one): if
-- Redis loses its data, the next block still lies beyond every id clients have seen.
-- KEYS[1] the session's meta hash (last, reserved, floor), KEYS[2] its event stream.
-- ARGV: 1 event name, 2 data JSON, 3 events retained, 4 retention seconds, 5 live channel,
--       6 start of a newly reserved block ('' for none), 7 block size.
-- Returns the event's id, or -1 when the caller must reserve a block and call again with it.
local last = tonumber(redis.call('HGET', KEYS[1], 'last'))
local reserved = tonumber(redis.call('HGET', KEYS[1], 'reserved'))
if ARGV[6] ~= '' then
  local base = tonumber(ARGV[6])
  if last == nil or reserved == nil then
    -- A new history: nothing at or below the block's start is retained, so older resumes are truncated.
    last = base
    reserved = base + tonumber(ARGV[7])
    redis.call('HSET', KEYS[1], 'floor', base)
  elseif last >= reserved then
    if base > last then last = base end
    reserved = base + tonumber(ARGV[7])
  end
end
if last == nil or reserved == nil or last >= reserved then
  return -1
end
local id = last + 1
local retained = tonumber(ARGV[3])
local excess = redis.call('XLEN', KEYS[2]) + 1 - retained
if excess > 0 then
  local dropped = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', excess)
  if #dropped > 0 then
    redis.call('HSET', KEYS[1], 'floor', string.match(dropped[#dropped][1], '^(%d+)'))
  end
end
redis.call('XADD', KEYS[2], 'MAXLEN', retained, string.format('%d-0', id), 'n', ARGV[1], 'd', ARGV[2])
redis.call('HSET', KEYS[1], 'last', string.format('%d', id), 'reserved', string.format('%d', reserved))
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('EXPIRE', KEYS[2], ARGV[4])
redis.call('PUBLISH', ARGV[5], string.format('%d', id) .. ' ' .. ARGV[1] .. ' ' .. ARGV[2])
return id
