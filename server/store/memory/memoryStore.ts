/**
 * The Store kept in process memory only: nothing survives the process. Fast unit tests of the
 * domain and the service run over it, and it is the state EmbeddedStore makes durable (EmbeddedStore
 * extends it, writing each change to its log file through `persist` before the call resolves).
 * It keeps the same contract as the other stores (test/integration/store/contract.ts).
 */
import type { RankedRow } from '../../../shared/boards.ts';
import { emptySheet, type Competition, type Sheet } from '../../../shared/model.ts';
import { LocalChangeFeed, type ChangeHandlers } from '../changeFeed.ts';
import { CompetitionState, type StoredCommit } from '../embedded/competitionState.ts';
import type { RecordSlot } from '../embedded/snapshot.ts';
import type { StoreDurability } from '../durability.ts';
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
import { assertRecordKey, assertRecordValue, assertStorableCommit } from '../validate.ts';
import { boardsAfter, boardsBefore } from './boardChanges.ts';

/** One change of the state: what the embedded store writes as a line of its log file. */
export type StateChange =
  | { t: 'commit'; c: string; ts: number; commit: StoredCommit }
  | { t: 'drop'; c: string }
  /** The competition's scratch space replaced it (Store.promoteScratch). */
  | { t: 'promote'; c: string }
  | { t: 'put'; ns: string; id: string; v: unknown; exp?: number }
  | { t: 'del'; ns: string; id: string };

export class MemoryStore implements Store {
  readonly sharedByNodes = false;
  protected readonly competitions = new Map<string, CompetitionState>();
  protected readonly records = new Map<string, Map<string, RecordSlot>>();
  /** Number of commits so far: the next log id is `${seq + 1}-0`. */
  protected seq = 0;
  protected closed = false;
  private readonly feed = new LocalChangeFeed();

  /**
   * Make a change durable; it is already applied to memory when the promise settles. Memory only:
   * nothing to do. Called in the same tick as the change is applied, so persisted order = memory order.
   */
  protected persist(_change: StateChange): Promise<void> {
    return Promise.resolve();
  }

  /** Resolves once every change handed to `persist` so far is durable. */
  protected settled(): Promise<void> {
    return Promise.resolve();
  }

  /** Called before reading a competition's log from entry `afterSeq` on (the embedded archive). */
  protected async beforeReadLog(_state: CompetitionState, _afterSeq: number): Promise<void> {}

  async durability(): Promise<StoreDurability> {
    return {
      store: 'memory',
      durable: false,
      persistence: 'none',
      detail: 'in-memory store: everything is lost when the process ends',
    };
  }

  changes(handlers: ChangeHandlers): () => void {
    return this.feed.subscribe(handlers);
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
      await this.settled();
      return { status: 'duplicate', result: JSON.parse(previous.result) as unknown, logId: previous.logId };
    }
    for (const { ref, version } of commit.expect) {
      if ((state?.version(versionKey(ref)) ?? 0) !== version) return { status: 'conflict' };
    }
    if (commit.after !== undefined && (state?.lastOp ?? null) !== commit.after) return { status: 'conflict' };
    const { expect: _expect, after: _after, ...stored } = commit;
    const change: StateChange = { t: 'commit', c: competitionId, ts: Date.now(), commit: stored };
    // Persist and change memory in the same tick: persisted order = memory order = version order.
    const durable = this.persist(change);
    // A restore's scratch space publishes nothing: no screen watches it.
    const watched = this.feed.active && commit.boards.length > 0 && !isScratchId(competitionId);
    const before = watched ? boardsBefore(state?.boards ?? new Map(), commit.boards) : null;
    const { logId, versions } = this.applyCommit(change);
    if (before !== null) {
      const boards = this.competitions.get(competitionId)?.boards ?? new Map();
      this.feed.publish(competitionId, boardsAfter(boards, before, versions), durable);
    }
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
    await this.beforeReadLog(state, afterSeq);
    return this.competitions.get(competitionId)?.entriesAfter(afterSeq, limit) ?? [];
  }

  async putRecord(ns: string, id: string, value: unknown, ttlSeconds?: number): Promise<void> {
    this.assertOpen();
    assertRecordKey(ns, id);
    assertRecordValue(value, ttlSeconds);
    const change: StateChange =
      ttlSeconds === undefined
        ? { t: 'put', ns, id, v: value }
        : { t: 'put', ns, id, v: value, exp: Date.now() + Math.ceil(ttlSeconds * 1000) };
    const durable = this.persist(change);
    this.applyRecordChange(change);
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
    const change: StateChange = { t: 'del', ns, id };
    const durable = this.persist(change);
    this.applyRecordChange(change);
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
    const durable = this.persist({ t: 'drop', c: competitionId });
    this.competitions.delete(competitionId);
    await durable;
  }

  async lastOp(competitionId: string): Promise<string | null> {
    return this.competitions.get(competitionId)?.lastOp ?? null;
  }

  async promoteScratch(competitionId: string, expectLastOp: string | null): Promise<boolean> {
    this.assertOpen();
    if ((this.competitions.get(competitionId)?.lastOp ?? null) !== expectLastOp) return false;
    // Checked and applied in one tick: no commit can come in between.
    const durable = this.persist({ t: 'promote', c: competitionId });
    this.promote(competitionId);
    await durable;
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** Apply a change read back from a log (no change feed: nobody watched it happen). */
  protected replay(change: StateChange): void {
    switch (change.t) {
      case 'commit':
        this.applyCommit(change);
        break;
      case 'drop':
        this.competitions.delete(change.c);
        break;
      case 'promote':
        this.promote(change.c);
        break;
      case 'put':
      case 'del':
        this.applyRecordChange(change);
        break;
    }
  }

  private applyCommit(change: Extract<StateChange, { t: 'commit' }>): {
    logId: string;
    versions: Record<string, number>;
  } {
    let state = this.competitions.get(change.c);
    if (!state) {
      state = new CompetitionState();
      state.firstSeq = this.seq + 1;
      this.competitions.set(change.c, state);
    }
    this.seq += 1;
    const versions = state.apply(change.commit, this.seq, change.ts);
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

  private applyRecordChange(change: Extract<StateChange, { t: 'put' | 'del' }>): void {
    let namespace = this.records.get(change.ns);
    if (change.t === 'del') {
      namespace?.delete(change.id);
      return;
    }
    if (change.exp !== undefined && change.exp <= Date.now()) return;
    if (!namespace) {
      namespace = new Map();
      this.records.set(change.ns, namespace);
    }
    const slot: RecordSlot = { json: JSON.stringify(change.v) };
    if (change.exp !== undefined) slot.expiresAt = change.exp;
    namespace.set(change.id, slot);
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

  protected assertOpen(): void {
    if (this.closed) throw new Error('The store is closed');
  }
}
