/**
 * The storage contract. Three implementations keep it: RedisStore (ioredis, sorted sets, a Stream
 * as the log), EmbeddedStore (in-process, an fsynced append-only file) and MemoryStore (in-process,
 * nothing persisted; the state EmbeddedStore makes durable). test/integration/store runs one
 * contract suite against all three.
 *
 * The store knows nothing about scoring: the domain (server/domain) reads state, computes the new
 * sheet, board rows and log entry with the shared rules, and hands them over as one Commit.
 * The store applies a Commit atomically — all of it or nothing — and only if
 *   1. its opId was never committed before (otherwise: 'duplicate' with the first result and log id
 *      when the first commit had the same actor (`entry.actor`), 'taken' when another actor's), and
 *   2. every version in `expect` still holds (otherwise: 'conflict'; the domain re-reads and retries).
 */
import type { BoardRow, RankedRow } from '../../shared/boards.ts';
import type { Competition, Sheet } from '../../shared/model.ts';
import type { ChangeHandlers } from './changeFeed.ts';

/** Identifies one contestant's sheet in one round. */
export interface SheetKey {
  eventId: string;
  roundId: string;
  contestantId: string;
}

/**
 * The scratch space of a competition: where a restore replays an archive before it replaces the
 * competition (Store.promoteScratch). Never a valid competition id (':' is not allowed in ids), never
 * listed; with Redis its keys share the competition's hash tag (same Cluster slot).
 */
export function scratchId(competitionId: string): string {
  return `${competitionId}${SCRATCH_SUFFIX}`;
}

/** What scratchId() appends. */
export const SCRATCH_SUFFIX = ':restore';

/** True for a scratch space's id. */
export function isScratchId(id: string): boolean {
  return id.endsWith(SCRATCH_SUFFIX);
}

export function sheetKeyString(k: SheetKey): string {
  return `${k.eventId}|${k.roundId}|${k.contestantId}`;
}

/**
 * A versioned thing a commit may depend on. Every commit that writes a sheet bumps that
 * sheet's version; every commit that touches a board bumps that board's version; a commit with
 * a setup bumps the setup version; a commit with `control` bumps the control version.
 */
export type VersionRef =
  | { kind: 'sheet'; key: SheetKey }
  | { kind: 'board'; board: string }
  | { kind: 'setup' }
  | { kind: 'control' };

/** The name of a version in CommitOutcome.versions: "sheet:<e|r|c>", "board:<id>", "setup", "control". */
export function versionKey(ref: VersionRef): string {
  switch (ref.kind) {
    case 'sheet':
      return `sheet:${sheetKeyString(ref.key)}`;
    case 'board':
      return `board:${ref.board}`;
    default:
      return ref.kind;
  }
}

/** One entry of a competition's append-only log (the audit trail and the source for rebuilds). */
export interface LogEntry {
  /** Assigned by the store: strictly increasing per competition (Redis stream id or "seq-0"). */
  id: string;
  /** Milliseconds since the epoch, assigned by the domain. */
  at: number;
  /** Who did it: "judge:<id>", "organiser:<name>", "integration:<keyId>", "leader:<teamId>", "system". */
  actor: string;
  opId: string;
  /** e.g. "mark.submitted", "mark.corrected", "setup.updated", "round.opened" (see domain/logTypes.ts). */
  type: string;
  /** Everything needed to replay the change: the rebuild folds these payloads. */
  payload: unknown;
}

export type LogEntryInput = Omit<LogEntry, 'id'>;

export interface BoardUpdate {
  board: string;
  /** Contestant, team or organisation the row belongs to. */
  rowId: string;
  /** The new row, or null to remove it from the board. */
  row: BoardRow | null;
}

/** Mutable live state of a competition that is not scores: round states, stage, freeze, embargo. */
export type Control = Record<string, unknown>;

export interface Commit {
  opId: string;
  entry: LogEntryInput;
  expect: Array<{ ref: VersionRef; version: number }>;
  sheets: Array<{ key: SheetKey; sheet: Sheet }>;
  boards: BoardUpdate[];
  setup?: Competition;
  control?: Control;
  /** Returned as-is to the same actor (`entry.actor`) repeating the opId. Must be JSON-serialisable. */
  result: unknown;
  /**
   * When set: commit only if the competition's most recent commit is the one with this opId (else
   * 'conflict'). A pipelined commit planned on the expected outcome of one still in flight names it
   * here, so it can never apply on top of anything else — matching version numbers alone could
   * (another node's commit bumps a counter to the same number).
   */
  after?: string;
}

export type CommitOutcome =
  | { status: 'committed'; logId: string; versions: Record<string, number> }
  /** The opId was committed before by the same actor: that commit's result and log id. */
  | { status: 'duplicate'; result: unknown; logId: string }
  /** The opId was committed before by another actor: nothing written, nothing of theirs told. */
  | { status: 'taken' }
  | { status: 'conflict' };

export interface Versioned<T> {
  value: T;
  /** 0 when the thing was never written. */
  version: number;
}

/** A small global record: hashed judge access codes, sessions, API keys, organiser credentials. */
export interface StoredRecord {
  id: string;
  value: unknown;
}

export interface Store {
  /** True when several server processes may use this store at once (Redis). */
  readonly sharedByNodes: boolean;
  /** What the store's persistence promises (read at start; reported on /readyz and /metrics). */
  durability(): Promise<StoreDurability>;
  /**
   * Subscribe to the ordered change feed (server/store/changeFeed.ts): one BoardDelta per board per
   * commit that touches boards, every commit of every node sharing the store, in commit order per
   * board, once durable. A restore's scratch space and promoteScratch publish nothing. Returns the
   * function that unsubscribes.
   */
  changes(handlers: ChangeHandlers): () => void;

  /** Ids of every competition that has a setup. */
  listCompetitions(): Promise<string[]>;
  getSetup(competitionId: string): Promise<Versioned<Competition | null>>;
  getControl(competitionId: string): Promise<Versioned<Control>>;
  /** An empty sheet (version 0) when none was written yet. */
  getSheet(competitionId: string, key: SheetKey): Promise<Versioned<Sheet>>;
  /** Every written sheet of a competition (used to recompute after a set-up change). */
  getSheets(competitionId: string): Promise<Array<{ key: SheetKey; sheet: Sheet; version: number }>>;
  getVersion(competitionId: string, ref: VersionRef): Promise<number>;

  /** Apply atomically and durably; resolves only once the commit is durable. */
  commit(competitionId: string, commit: Commit): Promise<CommitOutcome>;

  /** Rows of a board in rank order from `offset` (0-based), with standard competition ranks. */
  top(competitionId: string, board: string, offset: number, limit: number): Promise<RankedRow[]>;
  /** One row and its rank, or null when the row is not on the board. O(log n). */
  rankOf(competitionId: string, board: string, rowId: string): Promise<RankedRow | null>;
  boardSize(competitionId: string, board: string): Promise<number>;
  /** Board ids that have at least one row. */
  listBoards(competitionId: string): Promise<string[]>;

  /** Log entries after `afterId` (exclusive; from the start when undefined), oldest first. */
  readLog(competitionId: string, afterId: string | undefined, limit: number): Promise<LogEntry[]>;

  /**
   * Durably write a small record (any JSON value but null), replacing one with the same id; it
   * disappears after `ttlSeconds` when given. Namespaces: letters, digits, '.', '_' or '-'.
   */
  putRecord(ns: string, id: string, value: unknown, ttlSeconds?: number): Promise<void>;
  /** The record's value, or null when it does not exist or has expired. */
  getRecord(ns: string, id: string): Promise<unknown>;
  /** Remove a record; true when it existed. */
  deleteRecord(ns: string, id: string): Promise<boolean>;
  /** Every live record of a namespace, in no particular order. */
  listRecords(ns: string): Promise<StoredRecord[]>;

  /** Remove everything of one competition (tests; a restore's scratch space). */
  deleteCompetition(competitionId: string): Promise<void>;

  /** The opId of the competition's latest commit, or null when it has none. */
  lastOp(competitionId: string): Promise<string | null>;
  /**
   * Replace everything of `competitionId` (sheets, boards, set-up, control, log, idempotency records)
   * with the contents of its scratch space (scratchId), in one atomic step, only if the competition's
   * latest commit is still `expectLastOp` (else false and nothing changes). The scratch space is left
   * empty. Every version afterwards is higher than any version the competition had before, so a
   * node that cached the old state finds its expectations stale and re-reads.
   */
  promoteScratch(competitionId: string, expectLastOp: string | null): Promise<boolean>;
  close(): Promise<void>;
}

/** What the store's persistence promises (Store.durability). */
export interface StoreDurability {
  /** Which store: 'embedded', 'redis' or 'memory' (reported on /readyz and /metrics, never branched on). */
  store: string;
  /** True when an acknowledged write survives a crash and a power loss. */
  durable: boolean;
  /**
   * The setting found: `embedded-fsync`, `aof-always`, `aof-everysec`, `aof-no`,
   * `aof-unknown-fsync` (AOF on, policy hidden), `rdb-only`, `none`, `no-aof` (AOF off, snapshots
   * hidden), or `unknown`.
   */
  persistence: string;
  /** One sentence for the log, /readyz and the refusal to start. */
  detail: string;
}
