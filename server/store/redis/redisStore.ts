/**
 * The Store kept in Redis: sorted sets for boards, a Stream for the log, hashes and strings for the
 * rest, and one Lua script per commit so a commit is all-or-nothing. docs/STORAGE.md lists the keys.
 */
import Redis from 'ioredis';
import { rankAt, type BoardRow, type RankedRow } from '../../../shared/boards.ts';
import { emptySheet, type Competition, type Sheet } from '../../../shared/model.ts';
import { rankPage } from '../ranking.ts';
import {
  isScratchId,
  scratchId,
  sheetKeyString,
  versionKey,
  type Commit,
  type CommitOutcome,
  type Control,
  type LogEntry,
  type LogEntryInput,
  type SheetKey,
  type Store,
  type StoredRecord,
  type Versioned,
  type VersionRef,
} from '../types.ts';
import { assertRecordKey, assertRecordValue, assertStorableCommit } from '../validate.ts';
import type { ChangeHandlers } from '../changeFeed.ts';
import type { StoreDurability } from '../durability.ts';
import type { StoreLogger } from '../format.ts';
import { subscribeToChanges } from './changeSubscription.ts';
import { commitScriptArgs } from './commitArgs.ts';
import { redisDurability } from './persistence.ts';
import { CompetitionKeys, COMPETITIONS_KEY, recordIndexKey, recordKey } from './keys.ts';
import { scanKeys } from './scanKeys.ts';
import { LuaScript } from './luaScript.ts';
import { COMMIT_LUA, LAST_OP_FIELD, PROMOTE_LUA, RANK_OF_LUA, TOP_LUA } from './scripts.ts';

const commitScript = new LuaScript(COMMIT_LUA);
const topScript = new LuaScript(TOP_LUA);
const rankOfScript = new LuaScript(RANK_OF_LUA);
const promoteScript = new LuaScript(PROMOTE_LUA);

export class RedisStore implements Store {
  readonly sharedByNodes = true;
  readonly redis: Redis;
  private readonly ownsClient: boolean;
  private readonly logger: StoreLogger;
  /** The change feed subscriptions still open (each on its own connection), closed by close(). */
  private readonly subscriptions = new Set<() => void>();

  /**
   * Use an ioredis client (left open by close() unless `closeClient`) or connect to a URL (closed
   * by close()).
   */
  constructor(client: Redis | string, options: { closeClient?: boolean; logger?: StoreLogger } = {}) {
    this.ownsClient = typeof client === 'string' || options.closeClient === true;
    this.redis = typeof client === 'string' ? new Redis(client) : client;
    this.logger = options.logger ?? console;
  }

  durability(): Promise<StoreDurability> {
    return redisDurability(this.redis);
  }

  changes(handlers: ChangeHandlers): () => void {
    const stop = subscribeToChanges(this.redis, handlers, this.logger);
    const unsubscribe = (): void => {
      if (this.subscriptions.delete(unsubscribe)) stop();
    };
    this.subscriptions.add(unsubscribe);
    return unsubscribe;
  }

  async listCompetitions(): Promise<string[]> {
    const ids = await this.redis.smembers(COMPETITIONS_KEY);
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.exists(new CompetitionKeys(id).setup);
    const exists = (await pipeline.exec()) ?? [];
    return ids.filter((_, i) => exists[i]?.[1] === 1).sort();
  }

  async getSetup(competitionId: string): Promise<Versioned<Competition | null>> {
    const k = new CompetitionKeys(competitionId);
    const [json, version] = await this.readWithVersion(k, this.redis.multi().get(k.setup), 'setup');
    return { value: json === null ? null : (JSON.parse(json) as Competition), version };
  }

  async getControl(competitionId: string): Promise<Versioned<Control>> {
    const k = new CompetitionKeys(competitionId);
    const [json, version] = await this.readWithVersion(k, this.redis.multi().get(k.control), 'control');
    return { value: json === null ? {} : (JSON.parse(json) as Control), version };
  }

  async getSheet(competitionId: string, key: SheetKey): Promise<Versioned<Sheet>> {
    const k = new CompetitionKeys(competitionId);
    const multi = this.redis.multi().hget(k.sheets, sheetKeyString(key));
    const [json, version] = await this.readWithVersion(k, multi, versionKey({ kind: 'sheet', key }));
    return { value: json === null ? emptySheet() : (JSON.parse(json) as Sheet), version };
  }

  async getSheets(competitionId: string): Promise<Array<{ key: SheetKey; sheet: Sheet; version: number }>> {
    const k = new CompetitionKeys(competitionId);
    const replies = await this.redis.multi().hgetall(k.sheets).hgetall(k.versions).exec();
    const sheets = replyValue(replies, 0) as Record<string, string>;
    const versions = replyValue(replies, 1) as Record<string, string>;
    return Object.entries(sheets).map(([field, json]) => {
      const [eventId = '', roundId = '', contestantId = ''] = field.split('|');
      return {
        key: { eventId, roundId, contestantId },
        sheet: JSON.parse(json) as Sheet,
        version: Number(versions[`sheet:${field}`] ?? 0),
      };
    });
  }

  async getVersion(competitionId: string, ref: VersionRef): Promise<number> {
    const k = new CompetitionKeys(competitionId);
    return Number((await this.redis.hget(k.versions, versionKey(ref))) ?? 0);
  }

  async commit(competitionId: string, commit: Commit): Promise<CommitOutcome> {
    assertStorableCommit(commit);
    const k = new CompetitionKeys(competitionId);
    // Outside the script: this global set lives in another Cluster slot. Adding first (idempotent)
    // means a crash can at worst list a competition without setup, which listCompetitions filters.
    if (commit.setup !== undefined && !isScratchId(competitionId)) {
      await this.redis.sadd(COMPETITIONS_KEY, competitionId);
    }
    const { keys, args } = commitScriptArgs(k, commit);
    const reply = (await commitScript.run(this.redis, keys, args)) as Array<string | number>;
    const [status, ...rest] = reply;
    if (status === 'duplicate') {
      return { status, result: JSON.parse(String(rest[0])) as unknown, logId: String(rest[1] ?? '') };
    }
    if (status === 'conflict' || status === 'taken') return { status };
    const [logId, ...pairs] = rest;
    const versions: Record<string, number> = {};
    for (let i = 0; i < pairs.length; i += 2) versions[String(pairs[i])] = Number(pairs[i + 1]);
    return { status: 'committed', logId: String(logId), versions };
  }

  async top(competitionId: string, board: string, offset: number, limit: number): Promise<RankedRow[]> {
    if (limit <= 0) return [];
    const k = new CompetitionKeys(competitionId);
    const start = Math.max(0, offset);
    const reply = (await topScript.run(
      this.redis,
      [k.board(board), k.rows(board)],
      [start, start + limit - 1],
    )) as [number?, ...string[]];
    const [betterThanFirst, ...rows] = reply;
    if (betterThanFirst === undefined) return [];
    return rankPage(
      betterThanFirst,
      start,
      rows.map((json) => JSON.parse(json) as BoardRow),
    );
  }

  async rankOf(competitionId: string, board: string, rowId: string): Promise<RankedRow | null> {
    const k = new CompetitionKeys(competitionId);
    const reply = (await rankOfScript.run(this.redis, [k.board(board), k.rows(board)], [rowId])) as
      [number, string] | null;
    if (reply === null) return null;
    const row = JSON.parse(reply[1]) as BoardRow;
    return { ...row, rank: rankAt(row, reply[0] + 1) };
  }

  async boardSize(competitionId: string, board: string): Promise<number> {
    return this.redis.zcard(new CompetitionKeys(competitionId).board(board));
  }

  async listBoards(competitionId: string): Promise<string[]> {
    return (await this.redis.smembers(new CompetitionKeys(competitionId).boards)).sort();
  }

  async readLog(competitionId: string, afterId: string | undefined, limit: number): Promise<LogEntry[]> {
    if (limit <= 0) return [];
    const k = new CompetitionKeys(competitionId);
    const start = afterId === undefined ? '-' : `(${afterId}`;
    const entries = await this.redis.xrange(k.log, start, '+', 'COUNT', limit);
    return entries.map(([id, fields]) => {
      const json = fields[fields.indexOf('entry') + 1] ?? 'null';
      return { id, ...(JSON.parse(json) as LogEntryInput) };
    });
  }

  async putRecord(ns: string, id: string, value: unknown, ttlSeconds?: number): Promise<void> {
    assertRecordKey(ns, id);
    assertRecordValue(value, ttlSeconds);
    const multi = this.redis.multi().sadd(recordIndexKey(ns), id);
    const json = JSON.stringify(value);
    if (ttlSeconds === undefined) multi.set(recordKey(ns, id), json);
    else multi.set(recordKey(ns, id), json, 'PX', Math.ceil(ttlSeconds * 1000));
    replyValue(await multi.exec(), 1);
  }

  async getRecord(ns: string, id: string): Promise<unknown> {
    assertRecordKey(ns, id);
    const json = await this.redis.get(recordKey(ns, id));
    return json === null ? null : (JSON.parse(json) as unknown);
  }

  async deleteRecord(ns: string, id: string): Promise<boolean> {
    assertRecordKey(ns, id);
    const replies = await this.redis.multi().del(recordKey(ns, id)).srem(recordIndexKey(ns), id).exec();
    return replyValue(replies, 0) === 1;
  }

  async listRecords(ns: string): Promise<StoredRecord[]> {
    assertRecordKey(ns, '-');
    const ids = await this.redis.smembers(recordIndexKey(ns));
    if (ids.length === 0) return [];
    const values = await this.redis.mget(ids.map((id) => recordKey(ns, id)));
    const live: StoredRecord[] = [];
    const expired: string[] = [];
    ids.forEach((id, i) => {
      const json = values[i];
      if (json === null || json === undefined) expired.push(id);
      else live.push({ id, value: JSON.parse(json) as unknown });
    });
    // Expired records leave their id in the index; tidy up now that we noticed.
    if (expired.length > 0) await this.redis.srem(recordIndexKey(ns), ...expired);
    return live;
  }

  async deleteCompetition(competitionId: string): Promise<void> {
    const k = new CompetitionKeys(competitionId);
    const boards = await this.redis.smembers(k.boards);
    const keys = [k.versions, k.sheets, k.setup, k.control, k.log, k.boards];
    for (const board of boards) keys.push(k.board(board), k.rows(board));
    await this.redis.unlink(...keys);
    if (!isScratchId(competitionId)) await this.redis.srem(COMPETITIONS_KEY, competitionId);
    for await (const opKeys of scanKeys(this.redis, k.opPattern)) await this.redis.unlink(...opKeys);
  }

  async lastOp(competitionId: string): Promise<string | null> {
    return this.redis.hget(new CompetitionKeys(competitionId).versions, LAST_OP_FIELD);
  }

  async promoteScratch(competitionId: string, expectLastOp: string | null): Promise<boolean> {
    const live = new CompetitionKeys(competitionId);
    const scratch = new CompetitionKeys(scratchId(competitionId));
    // Listed before the script: a commit to the live competition in between changes its latest
    // opId, and the script then refuses (the lists may be stale only when it refuses).
    const [liveKeys, scratchKeys] = await Promise.all([this.keysOf(live), this.keysOf(scratch)]);
    const pairs = scratchKeys.flatMap((key) => [key, live.prefix + key.slice(scratch.prefix.length)]);
    const hasSetup = scratchKeys.includes(scratch.setup);
    if (hasSetup) await this.redis.sadd(COMPETITIONS_KEY, competitionId);
    const promoted = await promoteScript.run(
      this.redis,
      [live.versions, ...liveKeys, ...pairs],
      [expectLastOp ?? '', liveKeys.length, scratchKeys.length],
    );
    if (promoted !== 1) return false;
    if (!hasSetup) await this.redis.srem(COMPETITIONS_KEY, competitionId);
    return true;
  }

  /** Every key a competition (or scratch space) has: documents, boards and idempotency records. */
  private async keysOf(k: CompetitionKeys): Promise<string[]> {
    const boards = await this.redis.smembers(k.boards);
    const keys = [k.versions, k.sheets, k.setup, k.control, k.log, k.boards];
    for (const board of boards) keys.push(k.board(board), k.rows(board));
    const exists = await Promise.all(keys.map((key) => this.redis.exists(key)));
    const found = keys.filter((_, i) => exists[i] === 1);
    for await (const opKeys of scanKeys(this.redis, k.opPattern)) found.push(...opKeys);
    return [...new Set(found)];
  }

  async close(): Promise<void> {
    for (const unsubscribe of [...this.subscriptions]) unsubscribe();
    if (this.ownsClient) await this.redis.quit();
  }

  /** Runs a MULTI that has one read queued, adds the version read, returns [value, version]. */
  private async readWithVersion(
    k: CompetitionKeys,
    multi: ReturnType<Redis['multi']>,
    version: string,
  ): Promise<[string | null, number]> {
    const replies = await multi.hget(k.versions, version).exec();
    return [replyValue(replies, 0) as string | null, Number(replyValue(replies, 1) ?? 0)];
  }
}

/** The value of reply `i` of a MULTI/pipeline, throwing its error if it failed. */
function replyValue(replies: Array<[Error | null, unknown]> | null, i: number): unknown {
  const reply = replies?.[i];
  if (!reply) throw new Error('Redis transaction was aborted');
  if (reply[0]) throw reply[0];
  return reply[1];
}
