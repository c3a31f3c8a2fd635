// The Lua scripts of the lease protocol. Each runs atomically in Redis, so a
// check and the write it guards can never be split by another instance.

/** The one Redis call secflow's cluster code makes; a node-redis v4/v5 client satisfies it. */
export interface RedisLike {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/**
 * KEYS: lease, fence · ARGV: token, ttlMs. `SET lease token NX PX ttl`; on success
 * a fencing token from `INCR fence` → {1, fence}; otherwise {0, current holder}.
 */
export const ACQUIRE = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {1, redis.call('INCR', KEYS[2])}
end
return {0, redis.call('GET', KEYS[1]) or ''}`;

/** KEYS: lease · ARGV: token, ttlMs. Extends the lease only if it is still ours → 1, else 0. */
export const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`;

/**
 * KEYS: lease, handoff · ARGV: token, handoffMs. Deletes the lease only if it is still
 * ours. A balancing release (handoffMs > 0) leaves a handoff mark for that long, so
 * that only an instance below its aim takes the lease; without the mark (a clean stop,
 * or an expired lease of a dead holder) any instance takes it at once.
 */
export const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  if tonumber(ARGV[2]) > 0 then redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2]) end
  return 1
end
return 0`;

/** KEYS: lease, handoff → {the holder's token or '', 1 if a balancing handoff is pending}. */
export const PEEK = `return {redis.call('GET', KEYS[1]) or '', redis.call('EXISTS', KEYS[2])}`;

/**
 * KEYS: lease, fence, cursor · ARGV: token, fence, value. The fenced
 * cursor write: refused ('lease') unless the lease is still held with this token,
 * refused ('fence') unless this holder's fencing token is the newest one issued and
 * not older than the one that last wrote the cursor. The cursor is a hash: v (JSON,
 * '' = cleared) and f (the fencing token of its writer).
 */
export const WRITE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 'lease' end
local fence = tonumber(ARGV[2])
if tonumber(redis.call('GET', KEYS[2]) or '0') ~= fence then return 'fence' end
local last = tonumber(redis.call('HGET', KEYS[3], 'f') or '0')
if last > fence then return 'fence' end
redis.call('HSET', KEYS[3], 'v', ARGV[3], 'f', ARGV[2])
return 'ok'`;

/** KEYS: cursor → {exists (0/1), v}. */
export const LOAD = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {0, ''} end
return {1, redis.call('HGET', KEYS[1], 'v') or ''}`;

/**
 * KEYS: instances, cursors · ARGV: instance id, ttlMs, cursor names… The heartbeat:
 * this instance and its cursor names stay registered for ttl (Redis' clock, so the
 * instances' clocks do not matter); expired entries go. → {live instance ids sorted, cursor count}.
 */
export const HEARTBEAT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
for i = 3, #ARGV do redis.call('ZADD', KEYS[2], now + ttl, ARGV[i]) end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
return {redis.call('ZRANGE', KEYS[1], 0, -1), redis.call('ZCARD', KEYS[2])}`;

/** KEYS: instances · ARGV: instance id. Leaves the member list (a clean stop). */
export const LEAVE = `return redis.call('ZREM', KEYS[1], ARGV[1])`;
