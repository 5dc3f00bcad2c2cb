/**
 * A Store seen through a restore's scratch space: every call about competition `competitionId` goes
 * to scratchId(competitionId) instead, so a ContestService can replay an archive (whose commands name
 * the real competition) without touching the live competition. Small records pass through.
 */
import { scratchId, type Store } from './types.ts';

/** `store` with `competitionId` redirected to its scratch space. */
export function scratchView(store: Store, competitionId: string): Store {
  const scratch = scratchId(competitionId);
  const to = (id: string): string => {
    if (id !== competitionId) throw new Error(`the scratch view of ${competitionId} was asked about ${id}`);
    return scratch;
  };
  return {
    sharedByNodes: store.sharedByNodes,
    durability: () => store.durability(),
    // A scratch space publishes no changes.
    changes: () => () => undefined,
    listCompetitions: async () => [],
    getSetup: (id) => store.getSetup(to(id)),
    getControl: (id) => store.getControl(to(id)),
    getSheet: (id, key) => store.getSheet(to(id), key),
    getSheets: (id) => store.getSheets(to(id)),
    getVersion: (id, ref) => store.getVersion(to(id), ref),
    commit: (id, commit) => store.commit(to(id), commit),
    top: (id, board, offset, limit) => store.top(to(id), board, offset, limit),
    rankOf: (id, board, rowId) => store.rankOf(to(id), board, rowId),
    boardSize: (id, board) => store.boardSize(to(id), board),
    listBoards: (id) => store.listBoards(to(id)),
    readLog: (id, afterId, limit) => store.readLog(to(id), afterId, limit),
    putRecord: (ns, id, value, ttlSeconds) => store.putRecord(ns, id, value, ttlSeconds),
    getRecord: (ns, id) => store.getRecord(ns, id),
    deleteRecord: (ns, id) => store.deleteRecord(ns, id),
    listRecords: (ns) => store.listRecords(ns),
    deleteCompetition: (id) => store.deleteCompetition(to(id)),
    lastOp: (id) => store.lastOp(to(id)),
    promoteScratch: () => Promise.reject(new Error('a scratch space has no scratch space')),
    // The underlying store belongs to its owner.
    close: async () => undefined,
  };
}
