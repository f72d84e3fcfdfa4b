-- Numbers a session's client events and publishes them, atomically, so ids are strictly increasing whichever
-- server publishes. Ids come from blocks the database reserved (ARGV[4], when the caller had to get one): if
-- Redis loses its data, the next block still lies beyond every id clients have seen. Several events go in one
-- call (what one answer produced while the previous call was on its way) and out in one live message, a line
-- each: the round trip and the message are shared, the ids are not.
-- A history behind the highest id the caller has published (a replica promoted before it had the last events) is
-- treated as lost: reusing those ids would hand clients different events under ids they have seen.
-- KEYS[1] the session's meta hash (last, reserved, floor), KEYS[2] its event stream.
-- ARGV: 1 events retained, 2 retention seconds, 3 live channel, 4 start of a newly reserved block ('' for none),
--       5 block size, 6 the highest id the caller published in the session (0: none), then a name and a data
--       JSON per event.
-- Returns {first id, how many were published, 1 when the history was behind ARGV[6] (else 0)}: fewer than given
-- when the block ran out (none: reserve one and call again with the rest).
local last = tonumber(redis.call('HGET', KEYS[1], 'last'))
local reserved = tonumber(redis.call('HGET', KEYS[1], 'reserved'))
local behind = 0
if last ~= nil and last < tonumber(ARGV[6]) then
  behind = 1
end
if ARGV[4] ~= '' then
  local base = tonumber(ARGV[4])
  if last == nil or reserved == nil or behind == 1 then
    -- A new history: nothing at or below the block's start is retained, so older resumes are truncated.
    last = base
    reserved = base + tonumber(ARGV[5])
    redis.call('HSET', KEYS[1], 'floor', base)
  elseif last >= reserved then
    if base > last then last = base end
    reserved = base + tonumber(ARGV[5])
  end
end
if last == nil or reserved == nil or last >= reserved or (behind == 1 and ARGV[4] == '') then
  return {0, 0, behind}
end
local count = math.min((#ARGV - 6) / 2, reserved - last)
local retained = tonumber(ARGV[1])
local excess = redis.call('XLEN', KEYS[2]) + count - retained
if excess > 0 then
  local dropped = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', excess)
  if #dropped > 0 then
    redis.call('HSET', KEYS[1], 'floor', string.match(dropped[#dropped][1], '^(%d+)'))
  end
end
local lines = {}
for i = 1, count do
  local id = string.format('%d', last + i)
  local name = ARGV[5 + 2 * i]
  local data = ARGV[6 + 2 * i]
  redis.call('XADD', KEYS[2], 'MAXLEN', retained, id .. '-0', 'n', name, 'd', data)
  lines[i] = id .. ' ' .. name .. ' ' .. data
end
redis.call('HSET', KEYS[1], 'last', string.format('%d', last + count), 'reserved', string.format('%d', reserved))
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('EXPIRE', KEYS[2], ARGV[2])
redis.call('PUBLISH', ARGV[3], table.concat(lines, '\n'))
return {last + 1, count, behind}
