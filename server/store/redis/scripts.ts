/**
 * The Lua scripts of RedisStore. Each runs atomically inside Redis: one round trip per commit, per
 * board page and per rank lookup. Member format and rank bounds: see ../ranking.ts.
 */
import { MEMBER_SEPARATOR } from '../ranking.ts';

const SEP = `'${MEMBER_SEPARATOR}'`;

/**
 * Commit. KEYS: versions, sheets, setup, control, log, op, boards, then (zset, rows) per board.
 * ARGV: idempotencySeconds, resultJson, entryJson,
 *   nExpect, (name, version)*, nSheets, (field, sheetJson)*, hasSetup, setupJson, hasControl,
 *   controlJson, nBump, name*, nBoards, (boardId, nRows, (rowId, member|'', rowJson|'')*)*.
 * Reply: {'duplicate', resultJson} | {'conflict'} | {'committed', logId, (name, version)*}.
 *
 * Redis does not roll back a script that fails half-way, so phase 1 reads, checks and decodes
 * everything (and may refuse), and phase 2 only writes. The log entry and the ranking changes are
 * written by the same script run: never one without the other.
 */
export const COMMIT_LUA = `
local versions, sheets, setupKey, controlKey, logKey, opKey, boardsKey =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
if redis.call('EXISTS', opKey) == 1 then
  return {'duplicate', redis.call('HGET', opKey, 'result')}
end

-- Phase 1: check and decode, no writes.
local i = 3
local function nextArg()
  i = i + 1
  return ARGV[i]
end
for _ = 1, tonumber(nextArg()) do
  local name = nextArg()
  local expected = tonumber(nextArg())
  if tonumber(redis.call('HGET', versions, name) or '0') ~= expected then return {'conflict'} end
end
local sheetWrites = {}
for _ = 1, tonumber(nextArg()) do
  local field = nextArg()
  sheetWrites[#sheetWrites + 1] = {field, nextArg()}
end
local hasSetup = nextArg() == '1'
local setupJson = nextArg()
local hasControl = nextArg() == '1'
local controlJson = nextArg()
local bumps = {}
for _ = 1, tonumber(nextArg()) do bumps[#bumps + 1] = nextArg() end
local boards = {}
for b = 1, tonumber(nextArg()) do
  local board = {id = nextArg(), zkey = KEYS[6 + 2 * b], rkey = KEYS[7 + 2 * b], rows = {}}
  local current = {}
  for _ = 1, tonumber(nextArg()) do
    local rowId = nextArg()
    local member = nextArg()
    local rowJson = nextArg()
    local old = current[rowId]
    if old == nil then
      local stored = redis.call('HGET', board.rkey, rowId)
      old = stored and (cjson.decode(stored).rankKey .. ${SEP} .. rowId) or false
    end
    board.rows[#board.rows + 1] = {rowId = rowId, old = old, member = member, json = rowJson}
    current[rowId] = member ~= '' and member or false
  end
  boards[#boards + 1] = board
end

-- Phase 2: write.
for _, w in ipairs(sheetWrites) do redis.call('HSET', sheets, w[1], w[2]) end
if hasSetup then redis.call('SET', setupKey, setupJson) end
if hasControl then redis.call('SET', controlKey, controlJson) end
for _, board in ipairs(boards) do
  for _, r in ipairs(board.rows) do
    if r.old then redis.call('ZREM', board.zkey, r.old) end
    if r.member == '' then
      redis.call('HDEL', board.rkey, r.rowId)
    else
      redis.call('ZADD', board.zkey, 0, r.member)
      redis.call('HSET', board.rkey, r.rowId, r.json)
    end
  end
  if redis.call('ZCARD', board.zkey) == 0 then
    redis.call('SREM', boardsKey, board.id)
  else
    redis.call('SADD', boardsKey, board.id)
  end
end
local logId = redis.call('XADD', logKey, '*', 'entry', ARGV[3])
redis.call('HSET', opKey, 'logId', logId, 'result', ARGV[2])
redis.call('EXPIRE', opKey, ARGV[1])
local reply = {'committed', logId}
for _, name in ipairs(bumps) do
  reply[#reply + 1] = name
  reply[#reply + 1] = redis.call('HINCRBY', versions, name, 1)
end
return reply
`;

/**
 * A page of a board. KEYS: zset, rows. ARGV: start, stop (inclusive indexes).
 * Reply: {} | {betterThanFirst, rowJson*}.
 */
export const TOP_LUA = `
local members = redis.call('ZRANGE', KEYS[1], ARGV[1], ARGV[2])
if #members == 0 then return {} end
local first = members[1]
local rankKey = string.sub(first, 1, string.find(first, ${SEP}, 1, true) - 1)
local reply = {redis.call('ZLEXCOUNT', KEYS[1], '-', '(' .. rankKey .. ${SEP})}
for k = 1, #members do
  local m = members[k]
  reply[k + 1] = redis.call('HGET', KEYS[2], string.sub(m, string.find(m, ${SEP}, 1, true) + 1))
end
return reply
`;

/** One row's rank. KEYS: zset, rows. ARGV: rowId. Reply: nil | {betterThanRow, rowJson}. */
export const RANK_OF_LUA = `
local row = redis.call('HGET', KEYS[2], ARGV[1])
if not row then return false end
local rankKey = cjson.decode(row).rankKey
return {redis.call('ZLEXCOUNT', KEYS[1], '-', '(' .. rankKey .. ${SEP}), row}
`;
