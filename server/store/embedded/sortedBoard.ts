/**
 * One board in memory: the members `<rankKey>!<rowId>` in a sorted array (binary search for
 * insert, remove and rank), plus the rows by id. Same order and ranks as the Redis sorted set.
 */
import { rankAt, type BoardRow, type RankedRow } from '../../../shared/boards.ts';
import { boardMember, MEMBER_SEPARATOR, rankKeyFloor, rankPage } from '../ranking.ts';

export class SortedBoard {
  private readonly members: string[] = [];
  private readonly rows = new Map<string, BoardRow>();

  /** A board holding these rows (from a snapshot): one sort instead of an insert per row. */
  static fromRows(rows: Iterable<[string, BoardRow]>): SortedBoard {
    const board = new SortedBoard();
    for (const [rowId, row] of rows) {
      board.rows.set(rowId, { ...row });
      board.members.push(boardMember(row.rankKey, rowId));
    }
    board.members.sort();
    return board;
  }

  /** Every row with its id, in no particular order (for a snapshot). */
  entries(): IterableIterator<[string, BoardRow]> {
    return this.rows.entries();
  }

  get size(): number {
    return this.members.length;
  }

  /** Put a row (a copy of it) in its place, moving it if it was on the board. */
  set(rowId: string, row: BoardRow): void {
    this.remove(rowId);
    const member = boardMember(row.rankKey, rowId);
    this.members.splice(lowerBound(this.members, member), 0, member);
    this.rows.set(rowId, { ...row });
  }

  /** Take a row off the board (no-op when absent). */
  remove(rowId: string): void {
    const old = this.rows.get(rowId);
    if (!old) return;
    const member = boardMember(old.rankKey, rowId);
    const at = lowerBound(this.members, member);
    if (this.members[at] === member) this.members.splice(at, 1);
    this.rows.delete(rowId);
  }

  /** Rows from `offset` in rank order with standard competition ranks. */
  page(offset: number, limit: number): RankedRow[] {
    const start = Math.max(0, offset);
    const rows: BoardRow[] = [];
    for (const member of this.members.slice(start, start + Math.max(0, limit))) {
      const row = this.rows.get(member.slice(member.indexOf(MEMBER_SEPARATOR) + 1));
      if (row) rows.push(row);
    }
    const first = rows[0];
    if (!first) return [];
    return rankPage(lowerBound(this.members, rankKeyFloor(first.rankKey)), start, rows);
  }

  /** 1 + the number of rows ranked strictly ahead of the row (whatever its outcome), or null when absent. */
  position(rowId: string): number | null {
    const row = this.rows.get(rowId);
    return row ? lowerBound(this.members, rankKeyFloor(row.rankKey)) + 1 : null;
  }

  /** The row as stored (not a copy: do not change it), or undefined. */
  peek(rowId: string): BoardRow | undefined {
    return this.rows.get(rowId);
  }

  /** One row with its rank, or null. */
  rankOf(rowId: string): RankedRow | null {
    const row = this.rows.get(rowId);
    if (!row) return null;
    return { ...row, rank: rankAt(row, lowerBound(this.members, rankKeyFloor(row.rankKey)) + 1) };
  }
}

/** The first index whose member is >= `value` (JS string order = byte order for these ASCII keys). */
function lowerBound(sorted: readonly string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
