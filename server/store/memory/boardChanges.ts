/**
 * What a commit does to the boards of an in-memory competition, as the change feed reports it
 * (server/store/changeFeed.ts): the same positions and previous totals the Redis commit script
 * publishes, read before and after the commit is applied.
 */
import type { BoardUpdate } from '../types.ts';
import type { BoardChange, ChangedRow } from '../changeFeed.ts';
import type { SortedBoard } from '../embedded/sortedBoard.ts';

type Boards = ReadonlyMap<string, SortedBoard>;

interface Before {
  /** Row ids in the order the commit first touches them. */
  order: string[];
  /** Position and total before the commit, or null for a row that was not on the board. */
  was: Map<string, { position: number; total: string } | null>;
}

/** Read, before applying the commit, where each row it touches stands. */
export function boardsBefore(boards: Boards, updates: readonly BoardUpdate[]): Map<string, Before> {
  const before = new Map<string, Before>();
  for (const { board, rowId } of updates) {
    let entry = before.get(board);
    if (entry === undefined) {
      entry = { order: [], was: new Map() };
      before.set(board, entry);
    }
    if (entry.was.has(rowId)) continue;
    const sorted = boards.get(board);
    const row = sorted?.peek(rowId);
    const position = sorted?.position(rowId) ?? null;
    entry.order.push(rowId);
    entry.was.set(rowId, row === undefined || position === null ? null : { position, total: row.total });
  }
  return before;
}

/** After applying the commit: each touched board's change, with the version the commit gave it. */
export function boardsAfter(
  boards: Boards,
  before: ReadonlyMap<string, Before>,
  versions: Readonly<Record<string, number>>,
): BoardChange[] {
  const changes: BoardChange[] = [];
  for (const [board, { order, was }] of before) {
    const sorted = boards.get(board);
    const rows: ChangedRow[] = [];
    const removed: string[] = [];
    for (const rowId of order) {
      const row = sorted?.peek(rowId);
      const position = sorted?.position(rowId) ?? null;
      if (row === undefined || position === null) {
        removed.push(rowId);
        continue;
      }
      const prior = was.get(rowId) ?? null;
      rows.push([{ ...row }, position, prior?.position ?? null, prior?.total ?? null]);
    }
    changes.push({ board, version: versions[`board:${board}`] ?? 0, rows, removed });
  }
  return changes;
}
