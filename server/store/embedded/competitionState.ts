/**
 * The in-memory state of one competition in the embedded store, and how a commit changes it.
 * Used both live and when replaying the log file at start, so both paths give the same state.
 * Documents are kept as JSON strings so that callers always get fresh copies.
 */
import { sheetKeyString, type Commit, type LogEntry } from '../types.ts';
import { bumpedVersions } from '../validate.ts';
import { SortedBoard } from './sortedBoard.ts';

/** A commit as written to the log file: everything needed to replay it (the expectations are not). */
export type StoredCommit = Omit<Commit, 'expect' | 'after'>;

/** How long a committed opId is remembered (as in Redis). */
export const IDEMPOTENCY_MS = 7 * 24 * 3600 * 1000;

/** What the store remembers of a committed opId (the idempotency record). */
export interface OpRecord {
  /** The commit's result, as JSON. */
  result: string;
  logId: string;
  /** The actor label of the commit's log entry: only that actor may repeat the opId. */
  actor: string;
  committedAt: number;
}

export class CompetitionState {
  setup: string | null = null;
  control: string | null = null;
  readonly sheets = new Map<string, string>();
  readonly versions = new Map<string, number>();
  /** The opId of the latest commit (Commit.after is checked against it). */
  lastOp: string | null = null;
  readonly boards = new Map<string, SortedBoard>();
  /** Entries in log order; `seq` is the number in the id "<seq>-0". */
  readonly log: Array<{ seq: number; entry: LogEntry }> = [];
  /** Seq of this competition's first commit since it was (re)created: older entries belong to a dropped one. */
  firstSeq = 0;
  /**
   * Set when this state is a restore's scratch space promoted in place of the competition
   * (Store.promoteScratch): its log entries up to `untilSeq` were written under the scratch
   * space's id, which the archive reader must know to give them back to this competition.
   */
  promotedFrom: { id: string; untilSeq: number } | null = null;
  /** The idempotency records: per opId the first commit's result JSON, log id and actor. */
  private readonly ops = new Map<string, OpRecord>();

  version(name: string): number {
    return this.versions.get(name) ?? 0;
  }

  /** The idempotency record of an opId committed within the idempotency window. */
  opRecord(opId: string, now: number): OpRecord | null {
    const op = this.ops.get(opId);
    if (!op) return null;
    if (now - op.committedAt > IDEMPOTENCY_MS) {
      this.ops.delete(opId);
      return null;
    }
    return op;
  }

  /** Apply a commit (already checked) as log entry number `seq`; returns the bumped versions. */
  apply(commit: StoredCommit, seq: number, committedAt: number): Record<string, number> {
    for (const { key, sheet } of commit.sheets) this.sheets.set(sheetKeyString(key), JSON.stringify(sheet));
    if (commit.setup !== undefined) this.setup = JSON.stringify(commit.setup);
    if (commit.control !== undefined) this.control = JSON.stringify(commit.control);
    for (const { board, rowId, row } of commit.boards) {
      let sorted = this.boards.get(board);
      if (!sorted) {
        sorted = new SortedBoard();
        this.boards.set(board, sorted);
      }
      if (row === null) sorted.remove(rowId);
      else sorted.set(rowId, row);
      if (sorted.size === 0) this.boards.delete(board);
    }
    this.lastOp = commit.opId;
    const versions: Record<string, number> = {};
    for (const name of bumpedVersions(commit)) {
      versions[name] = this.version(name) + 1;
      this.versions.set(name, versions[name]);
    }
    const { at, actor, opId, type, payload } = commit.entry;
    const entry: LogEntry = structuredClone({ id: `${seq}-0`, at, actor, opId, type, payload });
    this.log.push({ seq, entry });
    if (Date.now() - committedAt <= IDEMPOTENCY_MS) {
      this.ops.set(commit.opId, {
        result: JSON.stringify(commit.result ?? null),
        logId: entry.id,
        actor: commit.entry.actor,
        committedAt,
      });
    }
    return versions;
  }

  /** Add `offset` to every version (a promoted scratch space goes above the versions it replaces). */
  raiseVersions(offset: number): void {
    if (offset === 0) return;
    for (const [name, version] of this.versions) this.versions.set(name, version + offset);
  }

  /** Up to `limit` entries with seq > afterSeq, oldest first, as copies. */
  entriesAfter(afterSeq: number, limit: number): LogEntry[] {
    let lo = 0;
    let hi = this.log.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.log[mid]?.seq ?? 0) <= afterSeq) lo = mid + 1;
      else hi = mid;
    }
    return this.log.slice(lo, lo + limit).map(({ entry }) => structuredClone(entry));
  }

  /** The idempotency records as they are kept, for a snapshot. */
  opsForSnapshot(): Array<[string, unknown]> {
    return [...this.ops];
  }

  /** Take back an idempotency record from a snapshot (forgotten when outside the window). */
  restoreOp(opId: string, op: unknown, now: number): void {
    const record = op as typeof this.ops extends Map<string, infer V> ? V : never;
    if (now - record.committedAt <= IDEMPOTENCY_MS) this.ops.set(opId, record);
  }

  /** Put entries read back from archived logs (all older than those in memory) before them. */
  prependEntries(entries: Array<{ seq: number; entry: LogEntry }>): void {
    if (entries.length === 0) return;
    const merged = entries.concat(this.log);
    this.log.length = 0;
    for (const item of merged) this.log.push(item);
  }
}
