/**
 * The Store kept in process memory and made durable by one append-only log file in a data folder
 * (store.log): every commit, competition removal and small-record change is one checksummed line,
 * fsynced before the call resolves. Opening the store loads the snapshot of the last compaction
 * (if any) and replays the log after it; the compacted logs stay in archive/ for readLog.
 * docs/STORAGE.md has details.
 */
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { runMigrations, STORE_FORMAT, type StoreLogger } from '../format.ts';
import type { StoreDurability } from '../durability.ts';
import { MemoryStore, type StateChange } from '../memory/memoryStore.ts';
import { readArchivedEntries } from './archive.ts';
import { compact, finishCompaction, type CompactionStep } from './compaction.ts';
import type { CompetitionState } from './competitionState.ts';
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
import { readSnapshot } from './snapshot.ts';

export { LOG_FILE_NAME } from './dataFolder.ts';

/** The lines of the log file (the first one is its LogHeader). */
export type LogRecord = LogHeader | StateChange;

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

export class EmbeddedStore extends MemoryStore {
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
  ) {
    super();
  }

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
    for (const record of records) if (!isLogHeader(record)) this.replay(record as StateChange);
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

  protected override persist(change: StateChange): Promise<void> {
    return this.appender.append(change);
  }

  protected override settled(): Promise<void> {
    return this.appender.sync();
  }

  /** Entries up to the snapshot are in archive/: read them back the first time one is asked for. */
  protected override async beforeReadLog(state: CompetitionState, afterSeq: number): Promise<void> {
    if (afterSeq < this.snapshotSeq && state.firstSeq <= this.snapshotSeq) await this.loadArchive();
  }

  override async durability(): Promise<StoreDurability> {
    return {
      store: 'embedded',
      durable: true,
      persistence: 'embedded-fsync',
      detail: 'embedded store: every commit is fsynced before it is acknowledged',
    };
  }

  override async close(): Promise<void> {
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
}
