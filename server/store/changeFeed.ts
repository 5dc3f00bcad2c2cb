/**
 * The store's ordered change feed (Store.changes): every commit that touches boards becomes one
 * BoardDelta per board, delivered in commit order to every subscriber, whichever node committed.
 *
 * Each store records what a commit did to a board as a BoardChange (the Redis commit script
 * publishes them as JSON, the in-memory stores capture them while applying the commit);
 * `boardDeltas` below is the one place a BoardChange becomes the BoardDelta clients receive.
 */
import { rankAt, type BoardRow } from '../../shared/boards.ts';
import type { BoardDelta, DeltaRow } from '../../shared/events.ts';

/**
 * One changed row: the row after the commit, its position then (1 + rows ranked strictly ahead),
 * and — when it was on the board before — its position and total before the commit.
 */
export type ChangedRow = [
  row: BoardRow,
  position: number,
  positionBefore: number | null,
  totalBefore: string | null,
];

/** What one commit did to one board. */
export interface BoardChange {
  board: string;
  /** The board's version after the commit: the commit covers exactly version − 1 → version. */
  version: number;
  /** Rows put on the board or moved, in the order the commit first touched them. */
  rows: ChangedRow[];
  /** Ids of rows the commit took off the board. */
  removed: string[];
}

/** What a change feed subscriber is told. */
export interface ChangeHandlers {
  /** One commit's change to one board (it covers exactly `prev` → `version`). */
  delta(delta: BoardDelta): void;
  /** Changes may have been lost (e.g. a reconnect): boards seen so far must be re-checked. */
  resync(): void;
}

/** The deltas clients receive for one commit's board changes. */
export function boardDeltas(competitionId: string, changes: readonly BoardChange[]): BoardDelta[] {
  return changes.map(({ board, version, rows, removed }) => ({
    competitionId,
    board,
    prev: version - 1,
    version,
    rows: rows.map(([row, position, positionBefore, totalBefore]): DeltaRow => ({
      ...row,
      // A dns/dnf/dsq row has no placing, as in a snapshot.
      rank: rankAt(row, position),
      previousRank: positionBefore,
      previousTotal: totalBefore,
    })),
    removed,
  }));
}

/**
 * The change feed of a store that lives in this process: the store hands over each commit's
 * changes with the promise of its durability, and subscribers hear them once durable, in commit
 * order (a later commit never overtakes an earlier one still being written).
 */
export class LocalChangeFeed {
  private readonly subscribers = new Set<ChangeHandlers>();
  private delivered: Promise<void> = Promise.resolve();

  subscribe(handlers: ChangeHandlers): () => void {
    this.subscribers.add(handlers);
    return () => this.subscribers.delete(handlers);
  }

  /** True when someone listens (a store may then skip capturing changes). */
  get active(): boolean {
    return this.subscribers.size > 0;
  }

  /** Deliver `changes` once `durable` settles and every earlier delivery is done. */
  publish(competitionId: string, changes: readonly BoardChange[], durable: Promise<unknown>): void {
    if (changes.length === 0) return;
    const deltas = boardDeltas(competitionId, changes);
    // Delivered even when the write failed: memory (and so every later version) has moved on.
    this.delivered = this.delivered
      .then(() => durable)
      .catch(() => undefined)
      .then(() => {
        for (const handlers of [...this.subscribers]) for (const delta of deltas) handlers.delta(delta);
      });
  }
}
