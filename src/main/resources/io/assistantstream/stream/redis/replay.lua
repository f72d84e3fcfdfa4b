-- What a subscriber resuming after an id needs, read atomically: the session's latest id, the highest id no
-- longer retained, and the retained events after the id (all of them for -1, none past the latest).
-- KEYS[1] the session's meta hash, KEYS[2] its event stream. ARGV[1] the last id the subscriber saw.
-- Returns {last, floor, {{'N-0', {'n', name, 'd', data}}, ...}}.
local last = tonumber(redis.call('HGET', KEYS[1], 'last')) or 0
local floor = tonumber(redis.call('HGET', KEYS[1], 'floor')) or 0
local after = tonumber(ARGV[1])
local entries = {}
if after < 0 then
  entries = redis.call('XRANGE', KEYS[2], '-', '+')
elseif after < last then
  entries = redis.call('XRANGE', KEYS[2], '(' .. string.format('%d', after) .. '-0', '+')
end
return {string.format('%d', last), string.format('%d', floor), entries}
