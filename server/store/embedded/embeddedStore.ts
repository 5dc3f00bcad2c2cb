/**
 * The Store kept in process memory and made durable by one append-only log file in a data folder
 * (store.log): every commit, competition removal and small-record change is one checksummed line,
 * fsynced before the call resolves. Opening the store loads the snapshot of the last compaction
 * (if any) and replays the log after it; the compacted logs stay in archive/ for readLog.
 * docs/STORAGE.md has details.
 */
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RankedRow } from '../../../shared/boards.ts';
import { emptySheet, type Competition, type Sheet } from '../../../shared/model.ts';
import {
  isScratchId,
  scratchId,
  sheetKeyString,
  versionKey,
  type Commit,
  type CommitOutcome,
  type Control,
  type LogEntry,
  type SheetKey,
  type Store,
  type StoredRecord,
  type Versioned,
  type VersionRef,
} from '../types.ts';
import { runMigrations, STORE_FORMAT, type StoreLogger } from '../format.ts';
import { assertRecordKey, assertRecordValue, assertStorableCommit } from '../validate.ts';
import { readArchivedEntries } from './archive.ts';
import { compact, finishCompaction, type CompactionStep } from './compaction.ts';
import { CompetitionState, type StoredCommit } from './competitionState.ts';
import {
  createLogFile,
  isLogHeader,
  LOG_FILE_NAME,
  readFirstRecord,
  removeLeftoverTempFiles,
  syncDirectory,
  type LogHeader,
} from './dataFolder.ts';
import { lockDataDir } from './dataDirLock.ts';
import { LogAppender, readLogFile } from './logFile.ts';
import { EMBEDDED_MIGRATIONS, embeddedFormat } from './migrations/index.ts';
import { readSnapshot, type RecordSlot } from './snapshot.ts';

export { LOG_FILE_NAME } from './dataFolder.ts';

/** The lines of the log file (the first one is its LogHeader). */
export type LogRecord =
  | LogHeader
  | { t: 'commit'; c: string; ts: number; commit: StoredCommit }
  | { t: 'drop'; c: string }
  /** The competition's scratch space replaced it (Store.promoteScratch). */
  | { t: 'promote'; c: string }
  | { t: 'put'; ns: string; id: string; v: unknown; exp?: number }
  | { t: 'del'; ns: string; id: string };

export interface EmbeddedStoreOptions {
  /** Receives warnings (torn last record, interrupted compaction) and migration/compaction notes; console by default. */
  logger?: StoreLogger;
  /**
   * Compact at open when store.log holds at least this many bytes and one change (default
   * COMPACT_ABOVE_BYTES; 0: whenever it holds a change; Infinity: never).
   */
  compactAboveBytes?: number;
  /** Tests only: stop a compaction after this step, leaving the folder as a crash there would. */
  crashCompactionAfter?: CompactionStep;
}

/** Default size of store.log above which opening the store compacts it: 64 MiB. */
export const COMPACT_ABOVE_BYTES = 64 * 1024 * 1024;

export class EmbeddedStore implements Store {
  readonly kind = 'embedded' as const;
  private readonly competitions = new Map<string, CompetitionState>();
  private readonly records = new Map<string, Map<string, RecordSlot>>();
  /** Number of commits in the file so far: the next log id is `${seq + 1}-0`. */
  private seq = 0;
  private closed = false;
  /** Generation of store.log (+1 at each compaction). */
  private gen = 1;
  /** Commits covered by the snapshot (their entries are in archive/ until first read). */
  private snapshotSeq = 0;
  /** Set once the archived entries are in memory (or when there are none to read). */
  private archiveLoad: Promise<void> | null = null;
  /** Assigned by open() once the log file is ready. */
  private appender!: LogAppender;
  /** The appender while it is open, for open() to close when it fails. */
  private appenderOrNull: LogAppender | null = null;
  /** Changes replayed from store.log at open (after the snapshot). */
  private tailChanges = 0;

  private constructor(
    readonly dir: string,
    private readonly unlock: () => Promise<void>,
  ) {}

  /**
   * Open (creating if needed) the store in `dir`: refuse a newer stored-data format, migrate an
   * older one, finish an interrupted compaction, load the snapshot and replay the log after it,
   * and compact when the log has grown past `compactAboveBytes`.
   */
  static async open(dir: string, options: EmbeddedStoreOptions = {}): Promise<EmbeddedStore> {
    const logger = options.logger ?? console;
    await mkdir(dir, { recursive: true });
    const unlock = await lockDataDir(dir);
    const store = new EmbeddedStore(dir, unlock);
    try {
      await store.load(logger);
      const threshold = options.compactAboveBytes ?? COMPACT_ABOVE_BYTES;
      const size = (await stat(join(dir, LOG_FILE_NAME))).size;
      if (store.tailChanges > 0 && size >= threshold)
        await store.compactLog(logger, options.crashCompactionAfter);
      return store;
    } catch (err) {
      await store.appenderOrNull?.close().catch(() => undefined);
      await unlock();
      throw err;
    }
  }

  private async load(logger: StoreLogger): Promise<void> {
    const dir = this.dir;
    const removed = await removeLeftoverTempFiles(dir);
    if (removed.length > 0) {
      logger.warn(
        `Removed ${removed.join(', ')} from ${dir}: left by a compaction or migration that was interrupted. ` +
          'The files it was to replace are intact.',
      );
    }
    const found = await embeddedFormat(dir);
    if (found === 'new') await createLogFile(dir, { v: STORE_FORMAT, gen: 1, base: 0 });
    else {
      await runMigrations({
        what: `the embedded store in ${dir}`,
        migrations: EMBEDDED_MIGRATIONS,
        found,
        ctx: { dir },
        logger,
        readFormat: async () => {
          const format = await embeddedFormat(dir);
          return format === 'new' ? 0 : format;
        },
      });
    }
    const path = join(dir, LOG_FILE_NAME);
    const snapshot = await readSnapshot(dir);
    let header = await readFirstRecord(path);
    if (snapshot) {
      if (header === undefined || (isLogHeader(header) && header.gen === snapshot.header.gen)) {
        logger.warn(
          `The last compaction of ${dir} was interrupted after its snapshot was written; finishing it ` +
            '(the log it covers goes to archive/, a new log follows the snapshot).',
        );
        await finishCompaction(dir, snapshot.header);
        header = await readFirstRecord(path);
      }
      for (const [c, state] of snapshot.state.competitions) this.competitions.set(c, state);
      for (const [ns, slots] of snapshot.state.records) this.records.set(ns, slots);
      this.snapshotSeq = snapshot.header.seq;
    }
    const expected = snapshot
      ? { gen: snapshot.header.gen + 1, base: snapshot.header.seq }
      : { gen: 1, base: 0 };
    if (!isLogHeader(header) || header.gen !== expected.gen || header.base !== expected.base) {
      const what = isLogHeader(header)
        ? `generation ${header.gen}, after entry ${header.base}`
        : 'no format record';
      throw new Error(
        `The store log ${path} (${what}) does not continue ` +
          (snapshot
            ? `the snapshot (generation ${snapshot.header.gen}, entry ${snapshot.header.seq})`
            : 'from the start, and there is no snapshot') +
          '. Refusing to start rather than mis-read the data: restore the data folder from a backup.',
      );
    }
    this.gen = header.gen;
    this.seq = header.base;
    if (this.snapshotSeq === 0) this.archiveLoad = Promise.resolve();
    const { records, tornBytes, validLength } = await readLogFile(path);
    if (tornBytes > 0) {
      logger.warn(
        `The store log ${path} ended in an incomplete record (${tornBytes} bytes), the trace of a crash ` +
          'during a write. That write was never acknowledged; it has been cut off and the store ' +
          `continues from the ${records.length} complete records before it.`,
      );
    }
    for (const record of records) this.replay(record as LogRecord);
    this.tailChanges = records.length - 1;
    this.appender = await LogAppender.open(path, validLength);
    this.appenderOrNull = this.appender;
    await syncDirectory(dir);
  }

  /** Snapshot the state, archive store.log and start the next one (docs/STORAGE.md, "Compaction"). */
  private async compactLog(logger: StoreLogger, crashAfter?: CompactionStep): Promise<void> {
    const started = performance.now();
    const path = join(this.dir, LOG_FILE_NAME);
    const before = (await stat(path)).size;
    await this.appender.close();
    this.appenderOrNull = null;
    await compact(
      this.dir,
      { gen: this.gen, seq: this.seq },
      { competitions: this.competitions, records: this.records },
      crashAfter,
    );
    this.gen += 1;
    this.snapshotSeq = this.seq;
    // Every entry is still in memory: nothing to read back from the archive this time.
    this.archiveLoad = Promise.resolve();
    const size = (await stat(path)).size;
    this.appender = await LogAppender.open(path, size);
    this.appenderOrNull = this.appender;
    const message =
      `Compacted the embedded store in ${this.dir} in ${Math.round(performance.now() - started)} ms: ` +
      `the state after entry ${this.seq} is in store.snapshot, the ${before}-byte log of generation ` +
      `${this.gen - 1} is in archive/, store.log starts again.`;
    if (logger.info) logger.info(message);
    else logger.warn(message);
  }

  async listCompetitions(): Promise<string[]> {
    return [...this.competitions]
      .filter(([id, s]) => s.setup !== null && !isScratchId(id))
      .map(([id]) => id)
      .sort();
  }

  async getSetup(competitionId: string): Promise<Versioned<Competition | null>> {
    const state = this.competitions.get(competitionId);
    const json = state?.setup ?? null;
    return {
      value: json === null ? null : (JSON.parse(json) as Competition),
      version: state?.version('setup') ?? 0,
    };
  }

  async getControl(competitionId: string): Promise<Versioned<Control>> {
    const state = this.competitions.get(competitionId);
    const json = state?.control ?? null;
    return {
      value: json === null ? {} : (JSON.parse(json) as Control),
      version: state?.version('control') ?? 0,
    };
  }

  async getSheet(competitionId: string, key: SheetKey): Promise<Versioned<Sheet>> {
    const state = this.competitions.get(competitionId);
    const json = state?.sheets.get(sheetKeyString(key));
    return {
      value: json === undefined ? emptySheet() : (JSON.parse(json) as Sheet),
      version: state?.version(versionKey({ kind: 'sheet', key })) ?? 0,
    };
  }

  async getSheets(competitionId: string): Promise<Array<{ key: SheetKey; sheet: Sheet; version: number }>> {
    const state = this.competitions.get(competitionId);
    if (!state) return [];
    return [...state.sheets].map(([field, json]) => {
      const [eventId = '', roundId = '', contestantId = ''] = field.split('|');
      return {
        key: { eventId, roundId, contestantId },
        sheet: JSON.parse(json) as Sheet,
        version: state.version(`sheet:${field}`),
      };
    });
  }

  async getVersion(competitionId: string, ref: VersionRef): Promise<number> {
    return this.competitions.get(competitionId)?.version(versionKey(ref)) ?? 0;
  }

  async commit(competitionId: string, commit: Commit): Promise<CommitOutcome> {
    this.assertOpen();
    assertStorableCommit(commit);
    const state = this.competitions.get(competitionId);
    const previous = state?.opRecord(commit.opId, Date.now());
    if (previous !== null && previous !== undefined) {
      if (previous.actor !== commit.entry.actor) return { status: 'taken' };
      // The first commit may still be on its way to disk: answer only once it is durable.
      await this.appender.sync();
      return { status: 'duplicate', result: JSON.parse(previous.result) as unknown, logId: previous.logId };
    }
    for (const { ref, version } of commit.expect) {
      if ((state?.version(versionKey(ref)) ?? 0) !== version) return { status: 'conflict' };
    }
    if (commit.after !== undefined && (state?.lastOp ?? null) !== commit.after) return { status: 'conflict' };
    const { expect: _expect, after: _after, ...stored } = commit;
    const record: LogRecord = { t: 'commit', c: competitionId, ts: Date.now(), commit: stored };
    // Queue the line and change memory in the same tick: file order = memory order = version order.
    const durable = this.appender.append(record);
    const { logId, versions } = this.applyCommit(record);
    await durable;
    return { status: 'committed', logId, versions };
  }

  async top(competitionId: string, board: string, offset: number, limit: number): Promise<RankedRow[]> {
    return this.competitions.get(competitionId)?.boards.get(board)?.page(offset, limit) ?? [];
  }

  async rankOf(competitionId: string, board: string, rowId: string): Promise<RankedRow | null> {
    return this.competitions.get(competitionId)?.boards.get(board)?.rankOf(rowId) ?? null;
  }

  async boardSize(competitionId: string, board: string): Promise<number> {
    return this.competitions.get(competitionId)?.boards.get(board)?.size ?? 0;
  }

  async listBoards(competitionId: string): Promise<string[]> {
    return [...(this.competitions.get(competitionId)?.boards.keys() ?? [])].sort();
  }

  async readLog(competitionId: string, afterId: string | undefined, limit: number): Promise<LogEntry[]> {
    let afterSeq = 0;
    if (afterId !== undefined) {
      const match = /^(\d+)-0$/.exec(afterId);
      if (!match) throw new Error(`Invalid log id "${afterId}" (expected "<number>-0")`);
      afterSeq = Number(match[1]);
    }
    if (limit <= 0) return [];
    const state = this.competitions.get(competitionId);
    if (state === undefined) return [];
    // Entries up to the snapshot are in archive/: read them back the first time one is asked for.
    if (afterSeq < this.snapshotSeq && state.firstSeq <= this.snapshotSeq) await this.loadArchive();
    return this.competitions.get(competitionId)?.entriesAfter(afterSeq, limit) ?? [];
  }

  async putRecord(ns: string, id: string, value: unknown, ttlSeconds?: number): Promise<void> {
    this.assertOpen();
    assertRecordKey(ns, id);
    assertRecordValue(value, ttlSeconds);
    const record: LogRecord =
      ttlSeconds === undefined
        ? { t: 'put', ns, id, v: value }
        : { t: 'put', ns, id, v: value, exp: Date.now() + Math.ceil(ttlSeconds * 1000) };
    const durable = this.appender.append(record);
    this.applyRecordChange(record);
    await durable;
  }

  async getRecord(ns: string, id: string): Promise<unknown> {
    assertRecordKey(ns, id);
    const slot = this.liveRecord(ns, id);
    return slot ? (JSON.parse(slot.json) as unknown) : null;
  }

  async deleteRecord(ns: string, id: string): Promise<boolean> {
    this.assertOpen();
    assertRecordKey(ns, id);
    if (this.liveRecord(ns, id) === null) return false;
    const record: LogRecord = { t: 'del', ns, id };
    const durable = this.appender.append(record);
    this.applyRecordChange(record);
    await durable;
    return true;
  }

  async listRecords(ns: string): Promise<StoredRecord[]> {
    assertRecordKey(ns, '-');
    const live: StoredRecord[] = [];
    for (const id of [...(this.records.get(ns)?.keys() ?? [])]) {
      const slot = this.liveRecord(ns, id);
      if (slot) live.push({ id, value: JSON.parse(slot.json) as unknown });
    }
    return live;
  }

  async deleteCompetition(competitionId: string): Promise<void> {
    this.assertOpen();
    if (!this.competitions.has(competitionId)) return;
    const durable = this.appender.append({ t: 'drop', c: competitionId } satisfies LogRecord);
    this.competitions.delete(competitionId);
    await durable;
  }

  async lastOp(competitionId: string): Promise<string | null> {
    return this.competitions.get(competitionId)?.lastOp ?? null;
  }

  async promoteScratch(competitionId: string, expectLastOp: string | null): Promise<boolean> {
    this.assertOpen();
    if ((this.competitions.get(competitionId)?.lastOp ?? null) !== expectLastOp) return false;
    const record: LogRecord = { t: 'promote', c: competitionId };
    // Checked and applied in one tick: no commit can come in between.
    const durable = this.appender.append(record);
    this.promote(competitionId);
    await durable;
    return true;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.appender.close();
    await this.unlock();
  }

  /** Read the archived entries of every competition into memory, once. */
  private loadArchive(): Promise<void> {
    this.archiveLoad ??= (async () => {
      const sources = new Map(
        [...this.competitions].map(
          ([c, s]) => [c, { firstSeq: s.firstSeq, promotedFrom: s.promotedFrom }] as const,
        ),
      );
      const found = await readArchivedEntries(this.dir, sources, this.snapshotSeq);
      for (const [c, entries] of found) {
        const state = this.competitions.get(c);
        if (state !== undefined && state.firstSeq === sources.get(c)?.firstSeq) state.prependEntries(entries);
      }
    })().catch((err: unknown) => {
      this.archiveLoad = null;
      throw err;
    });
    return this.archiveLoad;
  }

  private replay(record: LogRecord): void {
    switch (record.t) {
      case 'commit':
        this.applyCommit(record);
        break;
      case 'drop':
        this.competitions.delete(record.c);
        break;
      case 'promote':
        this.promote(record.c);
        break;
      case 'put':
      case 'del':
        this.applyRecordChange(record);
        break;
    }
  }

  private applyCommit(record: Extract<LogRecord, { t: 'commit' }>): {
    logId: string;
    versions: Record<string, number>;
  } {
    let state = this.competitions.get(record.c);
    if (!state) {
      state = new CompetitionState();
      state.firstSeq = this.seq + 1;
      this.competitions.set(record.c, state);
    }
    this.seq += 1;
    const versions = state.apply(record.commit, this.seq, record.ts);
    return { logId: `${this.seq}-0`, versions };
  }

  /** Move the scratch space in place of the competition, every version above the old ones. */
  private promote(competitionId: string): void {
    const scratch = this.competitions.get(scratchId(competitionId));
    const live = this.competitions.get(competitionId);
    this.competitions.delete(scratchId(competitionId));
    if (scratch === undefined) {
      this.competitions.delete(competitionId);
      return;
    }
    let highest = 0;
    for (const version of live?.versions.values() ?? []) highest = Math.max(highest, version);
    scratch.raiseVersions(highest);
    scratch.promotedFrom = { id: scratchId(competitionId), untilSeq: this.seq };
    this.competitions.set(competitionId, scratch);
  }

  private applyRecordChange(record: Extract<LogRecord, { t: 'put' | 'del' }>): void {
    let namespace = this.records.get(record.ns);
    if (record.t === 'del') {
      namespace?.delete(record.id);
      return;
    }
    if (record.exp !== undefined && record.exp <= Date.now()) return;
    if (!namespace) {
      namespace = new Map();
      this.records.set(record.ns, namespace);
    }
    const slot: RecordSlot = { json: JSON.stringify(record.v) };
    if (record.exp !== undefined) slot.expiresAt = record.exp;
    namespace.set(record.id, slot);
  }

  /** The record if it exists and has not expired (an expired one is forgotten on the spot). */
  private liveRecord(ns: string, id: string): RecordSlot | null {
    const namespace = this.records.get(ns);
    const slot = namespace?.get(id);
    if (!slot) return null;
    if (slot.expiresAt !== undefined && slot.expiresAt <= Date.now()) {
      namespace?.delete(id);
      return null;
    }
    return slot;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The embedded store is closed');
  }
}
