/**
 * Where a node learns of committed board changes, in commit order per board. With the embedded
 * store (one process) that is the ContestService's own notifications; with Redis it is the change
 * channel the commit script publishes to (redisBoardFeed.ts), so every node sees every node's
 * commits in the order Redis applied them.
 */
import type { BoardDelta } from '../../shared/events.ts';
import type { LiveService } from './ports.ts';

export interface BoardFeedHandlers {
  /** One commit's change to one board (it covers exactly `prev` → `version`). */
  delta(delta: BoardDelta): void;
  /** Messages may have been lost (e.g. a reconnect): boards seen so far must be re-checked. */
  resync(): void;
}

export interface BoardFeed {
  /** Start delivering to `handlers`; returns the function that stops it. */
  start(handlers: BoardFeedHandlers): () => void;
  /** The board's current version in the store. */
  currentVersion(competitionId: string, board: string): Promise<number>;
}

/** The in-process feed: board changes committed by this process's ContestService. */
export function serviceBoardFeed(service: LiveService): BoardFeed {
  return {
    start(handlers) {
      return service.onChange((change) => {
        if (change.kind === 'board') handlers.delta(change.delta);
      });
    },
    async currentVersion(competitionId, board) {
      return (await service.boardSnapshot(competitionId, board, 'staff')).version;
    },
  };
}
