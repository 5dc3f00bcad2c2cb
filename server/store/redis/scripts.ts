/**
 * The Lua scripts of RedisStore. Each runs atomically inside Redis: one round trip per commit, per
 * board page and per rank lookup. Member format and rank bounds: see ../ranking.ts.
 */
import { MEMBER_SEPARATOR } from '../ranking.ts';

const SEP = `'${MEMBER_SEPARATOR}'`;

/** Field of the versions hash naming the latest commit's opId ('@' never starts a version name). */
export const LAST_OP_FIELD = '@last-op';

/**
 * Commit. KEYS: versions, sheets, setup, control, log, op, boards, then (zset, rows) per board.
 * ARGV: idempotencySeconds, resultJson, entryJson,
 *   nExpect, (name, version)*, nSheets, (field, sheetJson)*, hasSetup, setupJson, hasControl,
 *   controlJson, nBump, name*, nBoards, (boardId, nRows, (rowId, member|'', rowJson|'')*)*,
 *   changesChannel|'', opId, afterOpId|'', actor.
 * The versions hash also holds LAST_OP_FIELD: the opId of the competition's latest commit.
 * The op key (the idempotency record) holds the first commit's logId, result and actor: the same
 * opId from the same actor is a duplicate, from another actor it is 'taken' (a record written
 * before the actor was kept has none and counts as the same actor).
 * Reply: {'duplicate', resultJson, logId} | {'taken'} | {'conflict'} | {'committed', logId, (name, version)*}.
 *
 * A commit that touches boards PUBLISHes one change message on changesChannel (format: see
 * changes.ts). Publishing inside the script makes publish order equal commit order, so every
 * node sees every board's versions in order. The publishing parts are marked "Change message".
 *
 * Redis does not roll back a script that fails half-way, so phase 1 reads, checks and decodes
 * everything (and may refuse), and phase 2 only writes. The log entry and the ranking changes are
 * written by the same script run: never one without the other.
 */
export const COMMIT_LUA = `
local versions, sheets, setupKey, controlKey, logKey, opKey, boardsKey =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local actor = ARGV[#ARGV]
local op = redis.call('HMGET', opKey, 'result', 'logId', 'actor')
if op[1] then
  if op[3] and op[3] ~= actor then return {'taken'} end
  return {'duplicate', op[1], op[2] or ''}
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
    local was = nil -- the stored row, on a row's first update only (for the change message)
    if old == nil then
      local stored = redis.call('HGET', board.rkey, rowId)
      was = stored and cjson.decode(stored) or false
      old = was and (was.rankKey .. ${SEP} .. rowId) or false
    end
    board.rows[#board.rows + 1] = {rowId = rowId, old = old, was = was, member = member, json = rowJson}
    current[rowId] = member ~= '' and member or false
  end
  boards[#boards + 1] = board
end
local channel = nextArg()
local publish = channel ~= '' and #boards > 0
local opId, after = nextArg(), nextArg()
if after ~= '' and redis.call('HGET', versions, '${LAST_OP_FIELD}') ~= after then return {'conflict'} end

-- Change message, before the writes: where each changed row stood (reads only).
local function betterThan(zkey, rankKey)
  return redis.call('ZLEXCOUNT', zkey, '-', '(' .. rankKey .. ${SEP})
end
if publish then
  for _, board in ipairs(boards) do
    board.order, board.before = {}, {}
    for _, r in ipairs(board.rows) do
      if r.was ~= nil then
        board.order[#board.order + 1] = r.rowId
        board.before[r.rowId] = r.was and {betterThan(board.zkey, r.was.rankKey) + 1, cjson.encode(r.was.total)}
      end
    end
  end
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
redis.call('HSET', versions, '${LAST_OP_FIELD}', opId)
redis.call('HSET', opKey, 'logId', logId, 'result', ARGV[2], 'actor', actor)
redis.call('EXPIRE', opKey, ARGV[1])
local reply = {'committed', logId}
local bumped = {}
for _, name in ipairs(bumps) do
  bumped[name] = redis.call('HINCRBY', versions, name, 1)
  reply[#reply + 1] = name
  reply[#reply + 1] = bumped[name]
end

-- Change message, after the writes: each changed row's final state and rank, the new version.
-- Stored row JSON is spliced in as-is (never decoded and re-encoded). The writes are done: a
-- failure here must not fail the commit (nodes then see a version gap and reset the board).
local function publishChanges()
  local parts = {}
  for _, board in ipairs(boards) do
    local final = {}
    for _, r in ipairs(board.rows) do final[r.rowId] = r end
    local rows, removed = {}, {}
    for _, rowId in ipairs(board.order) do
      local r = final[rowId]
      if r.member == '' then
        removed[#removed + 1] = cjson.encode(rowId)
      else
        local rankKey = string.sub(r.member, 1, #r.member - #rowId - #${SEP})
        local before = board.before[rowId]
        rows[#rows + 1] = '[' .. r.json .. ',' .. (betterThan(board.zkey, rankKey) + 1) .. ','
          .. (before and (before[1] .. ',' .. before[2]) or 'null,null') .. ']'
      end
    end
    parts[#parts + 1] = '{"board":' .. cjson.encode(board.id) .. ',"version":' .. bumped['board:' .. board.id]
      .. ',"rows":[' .. table.concat(rows, ',') .. '],"removed":[' .. table.concat(removed, ',') .. ']}'
  end
  redis.call('PUBLISH', channel, '[' .. table.concat(parts, ',') .. ']')
end
if publish then pcall(publishChanges) end
return reply
`;

/**
 * Promote a restore's scratch space. KEYS: live versions, then nLive live keys to delete (the
 * versions hash among them), then (scratchKey, liveKey) pairs to rename. ARGV: expected last opId
 * ('' for none), nLive, nPairs. Reply: 0 when the latest commit is not the expected one (nothing
 * changed), else 1. Every version the scratch space had is raised by the highest live version before
 * (so versions only go up), and LAST_OP_FIELD is kept from the scratch space.
 */
export const PROMOTE_LUA = `
local liveVersions = KEYS[1]
if (redis.call('HGET', liveVersions, '${LAST_OP_FIELD}') or '') ~= ARGV[1] then return 0 end
local nLive, nPairs = tonumber(ARGV[2]), tonumber(ARGV[3])
local offset = 0
local old = redis.call('HGETALL', liveVersions)
for k = 1, #old, 2 do
  if string.sub(old[k], 1, 1) ~= '@' then offset = math.max(offset, tonumber(old[k + 1]) or 0) end
end
for k = 2, 1 + nLive do redis.call('UNLINK', KEYS[k]) end
for p = 0, nPairs - 1 do
  local from, to = KEYS[2 + nLive + 2 * p], KEYS[3 + nLive + 2 * p]
  if redis.call('EXISTS', from) == 1 then redis.call('RENAME', from, to) end
end
if offset > 0 then
  local fields = redis.call('HKEYS', liveVersions)
  for _, field in ipairs(fields) do
    if string.sub(field, 1, 1) ~= '@' then redis.call('HINCRBY', liveVersions, field, offset) end
  end
end
return 1
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
