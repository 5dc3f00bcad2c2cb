/**
 * Where a node learns of committed board changes: the store's own ordered change feed
 * (Store.changes, server/store/changeFeed.ts), which shows every node every commit — its own and
 * other nodes' — in commit order per board.
 */
import type { ChangeHandlers } from '../store/changeFeed.ts';
import type { Store } from '../store/types.ts';

export type BoardFeedHandlers = ChangeHandlers;

export interface BoardFeed {
  /** Start delivering to `handlers`; returns the function that stops it. */
  start(handlers: BoardFeedHandlers): () => void;
  /** The board's current version in the store. */
  currentVersion(competitionId: string, board: string): Promise<number>;
}

/** The feed of a store. */
export function storeBoardFeed(store: Pick<Store, 'changes' | 'getVersion'>): BoardFeed {
  return {
    start: (handlers) => store.changes(handlers),
    currentVersion: (competitionId, board) => store.getVersion(competitionId, { kind: 'board', board }),
  };
}
