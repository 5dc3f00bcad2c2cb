/**
 * The change messages COMMIT_LUA publishes: one per commit that touches boards, on the
 * competition's channel (CompetitionKeys.changes), in commit order. Every Podium node subscribes
 * and turns them into board deltas for its own sockets (server/live/redisBoardFeed.ts).
 *
 * Wire format (JSON, built inside the script without re-encoding the stored rows):
 *   [{"board": id, "version": n, "rows": [[rowJson, rank, previousRank|null, previousTotal|null]*],
 *     "removed": [rowId*]}*]
 * `version` is the board's version after the commit; the commit covers exactly version − 1 → version.
 */
import type { BoardRow } from '../../../shared/boards.ts';
import type { BoardDelta, DeltaRow } from '../../../shared/events.ts';

/** Pattern matching the change channel of every competition (for PSUBSCRIBE). */
export const CHANGES_PATTERN = 'podium:{*}:changes';

type WireRow = [BoardRow, number, number | null, string | null];

interface WireBoard {
  board: string;
  version: number;
  rows: WireRow[];
  removed: string[];
}

/** The competition id of a change channel, or null when `channel` is not one. */
export function competitionOfChannel(channel: string): string | null {
  const match = /^podium:\{([^{}]+)\}:changes$/.exec(channel);
  return match?.[1] ?? null;
}

/** Decode one published message into board deltas (one per board, each covering one version). */
export function decodeChangeMessage(competitionId: string, message: string): BoardDelta[] {
  const boards = JSON.parse(message) as WireBoard[];
  return boards.map(({ board, version, rows, removed }) => ({
    competitionId,
    board,
    prev: version - 1,
    version,
    rows: rows.map(([row, rank, previousRank, previousTotal]): DeltaRow => ({
      ...row,
      rank,
      previousRank,
      previousTotal,
    })),
    removed,
  }));
}
