/**
 * What one node knows of a competition's sheets and boards from its own reads and commits, so a
 * judge's mark needs no reads before its commit. Commands of a competition run one at a time per
 * node, so after a commit the cache holds what the store holds — unless another node wrote in
 * between. Every cached value a command uses is guarded by a version in its commit (a sheet by its
 * own version, a row by its board's version), so a stale entry can only make the commit conflict;
 * the service then drops the cache and reads afresh. ContestCache holds one per competition, with
 * the set-up and control state.
 */
import type { BoardRow, RankedRow } from '../../shared/boards.ts';
import type { Competition, Sheet } from '../../shared/model.ts';
import {
  sheetKeyString,
  versionKey,
  type Commit,
  type SheetKey,
  type Store,
  type Versioned,
} from '../store/types.ts';
import { parseControl, type ControlState } from './control.ts';
import { rowRef } from './projection.ts';

/** Rows per page when a board is read whole. */
export const PAGE = 1000;

/** Past this many entries a competition's cache starts over (a bound on memory, not a correctness limit). */
const MAX_ENTRIES = 200_000;

export class CompetitionCache {
  private readonly sheets = new Map<string, Versioned<Sheet>>();
  private readonly boardVersions = new Map<string, number>();
  /** Row by rowRef, without rank; null: not on the board. Only kept for boards with a known version. */
  private readonly rows = new Map<string, BoardRow | null>();

  sheet(key: SheetKey): Versioned<Sheet> | undefined {
    return this.sheets.get(sheetKeyString(key));
  }

  putSheet(key: SheetKey, sheet: Versioned<Sheet>): void {
    this.sheets.set(sheetKeyString(key), sheet);
  }

  boardVersion(board: string): number | undefined {
    return this.boardVersions.get(board);
  }

  putBoardVersion(board: string, version: number): void {
    this.boardVersions.set(board, version);
  }

  /** The cached row (null: known to be absent), or undefined when unknown. */
  row(board: string, rowId: string): BoardRow | null | undefined {
    return this.rows.get(rowRef(board, rowId));
  }

  putRow(board: string, rowId: string, row: BoardRow | null): void {
    this.rows.set(rowRef(board, rowId), row === null ? null : withoutRank(row));
  }

  /** Take in a sheet commit the store accepted with these bumped `versions`. */
  committed(commit: Pick<Commit, 'expect' | 'sheets' | 'boards'>, versions: Record<string, number>): void {
    if (this.sheets.size + this.rows.size > MAX_ENTRIES) this.clear();
    for (const { ref, version } of commit.expect) {
      // A board the commit guarded but did not change keeps its version.
      if (ref.kind === 'board') this.putBoardVersion(ref.board, versions[versionKey(ref)] ?? version);
    }
    for (const { key, sheet } of commit.sheets) {
      const version = versions[versionKey({ kind: 'sheet', key })];
      if (version === undefined) this.sheets.delete(sheetKeyString(key));
      else this.putSheet(key, { value: sheet, version });
    }
    for (const { board, rowId, row } of commit.boards) this.putRow(board, rowId, row);
  }

  clear(): void {
    this.sheets.clear();
    this.boardVersions.clear();
    this.rows.clear();
  }
}

/** The stored fields of a row (a RankedRow's rank is a view of the whole board, never cached). */
function withoutRank(row: BoardRow): BoardRow {
  const { id, total, complete, outcome, rankKey, signed, appealed } = row;
  const stored: BoardRow = { id, total, complete, outcome, rankKey };
  if (signed === true) stored.signed = true;
  if (appealed === true) stored.appealed = true;
  return stored;
}

/** Every row of a board in rank order, read in pages. */
export async function allRows(store: Store, competitionId: string, board: string): Promise<RankedRow[]> {
  const rows: RankedRow[] = [];
  for (;;) {
    const page = await store.top(competitionId, board, rows.length, PAGE);
    rows.push(...page);
    if (page.length < PAGE) return rows;
  }
}

export function boardVersion(store: Store, competitionId: string, board: string): Promise<number> {
  return store.getVersion(competitionId, { kind: 'board', board });
}

/**
 * What this node knows of every competition it runs commands for: set-up and control state as last
 * read or committed, and a CompetitionCache of sheets and rows each; read from the store where
 * unknown. After a conflict or a store failure `forget` drops a competition's part.
 */
export class ContestCache {
  private readonly setups = new Map<string, Versioned<Competition | null>>();
  private readonly controls = new Map<string, Versioned<ControlState>>();
  private readonly caches = new Map<string, CompetitionCache>();

  constructor(private readonly store: Store) {}

  /** The set-up as this node last saw it (no version check: the commit guards it). */
  async setup(competitionId: string): Promise<Versioned<Competition | null>> {
    const cached = this.setups.get(competitionId);
    if (cached !== undefined) return cached;
    const fresh = await this.store.getSetup(competitionId);
    this.setups.set(competitionId, fresh);
    return fresh;
  }

  /** The set-up for a query: the cached one only while the store's version still matches. */
  async currentSetup(competitionId: string): Promise<Competition | null> {
    const version = await this.store.getVersion(competitionId, { kind: 'setup' });
    const cached = this.setups.get(competitionId);
    if (cached !== undefined && cached.version === version) return cached.value;
    const fresh = await this.store.getSetup(competitionId);
    this.setups.set(competitionId, fresh);
    return fresh.value;
  }

  async control(competitionId: string): Promise<Versioned<ControlState>> {
    const cached = this.controls.get(competitionId);
    if (cached !== undefined) return cached;
    const raw = await this.store.getControl(competitionId);
    const fresh = { value: parseControl(raw.value), version: raw.version };
    this.controls.set(competitionId, fresh);
    return fresh;
  }

  /** A sheet as this node last saw it, read from the store when unknown. */
  async sheet(competitionId: string, key: SheetKey): Promise<Versioned<Sheet>> {
    const cache = this.of(competitionId);
    const cached = cache.sheet(key);
    if (cached !== undefined) return cached;
    const fresh = await this.store.getSheet(competitionId, key);
    cache.putSheet(key, fresh);
    return fresh;
  }

  /** The versions of `boards`, read from the store where unknown. */
  async boardVersions(competitionId: string, boards: readonly string[]): Promise<number[]> {
    const cache = this.of(competitionId);
    return Promise.all(
      boards.map(async (board) => {
        const cached = cache.boardVersion(board);
        if (cached !== undefined) return cached;
        const version = await boardVersion(this.store, competitionId, board);
        cache.putBoardVersion(board, version);
        return version;
      }),
    );
  }

  /**
   * Current rows by rowRef, read from the store where unknown. Read only after the boards'
   * versions: a row that moved since then makes the commit conflict, never go stale.
   */
  async rows(
    competitionId: string,
    refs: ReadonlyArray<{ board: string; rowId: string }>,
  ): Promise<Map<string, BoardRow | null>> {
    const cache = this.of(competitionId);
    const rows = new Map<string, BoardRow | null>();
    await Promise.all(
      refs.map(async ({ board, rowId }) => {
        let row = cache.row(board, rowId);
        if (row === undefined) {
          row = await this.store.rankOf(competitionId, board, rowId);
          cache.putRow(board, rowId, row);
        }
        rows.set(rowRef(board, rowId), row);
      }),
    );
    return rows;
  }

  /** Take in a commit the store accepted (or, pipelined, will leave) with these bumped `versions`. */
  remember(
    competitionId: string,
    commit: Pick<Commit, 'expect' | 'sheets' | 'boards' | 'setup' | 'control'>,
    versions: Record<string, number>,
  ): void {
    if (commit.setup !== undefined) {
      const setupVersion = commit.expect.find((e) => e.ref.kind === 'setup')?.version ?? 0;
      this.setups.set(competitionId, { value: commit.setup, version: setupVersion + 1 });
      // Every board may have been recomputed: read the rows afresh.
      this.caches.delete(competitionId);
    } else {
      this.of(competitionId).committed(commit, versions);
    }
    if (commit.control !== undefined) {
      const controlVersion = commit.expect.find((e) => e.ref.kind === 'control')?.version ?? 0;
      this.controls.set(competitionId, { value: parseControl(commit.control), version: controlVersion + 1 });
    }
  }

  forget(competitionId: string): void {
    this.setups.delete(competitionId);
    this.controls.delete(competitionId);
    this.caches.delete(competitionId);
  }

  private of(competitionId: string): CompetitionCache {
    let cache = this.caches.get(competitionId);
    if (cache === undefined) this.caches.set(competitionId, (cache = new CompetitionCache()));
    return cache;
  }
}
