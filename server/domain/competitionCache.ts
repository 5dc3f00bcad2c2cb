/**
 * What one node knows of a competition's sheets and boards from its own reads and commits, so a
 * judge's mark needs no reads before its commit. Commands of a competition run one at a time per
 * node, so after a commit the cache holds what the store holds — unless another node wrote in
 * between. Every cached value a command uses is guarded by a version in its commit (a sheet by its
 * own version, a row by its board's version), so a stale entry can only make the commit conflict;
 * the service then drops the cache and reads afresh.
 */
import type { BoardRow } from '../../shared/boards.ts';
import type { Sheet } from '../../shared/model.ts';
import { sheetKeyString, versionKey, type Commit, type SheetKey, type Versioned } from '../store/types.ts';
import { rowRef } from './projection.ts';

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
