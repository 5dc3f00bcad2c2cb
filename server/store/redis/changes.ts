/**
 * The change messages COMMIT_LUA publishes: one per commit that touches boards, on the
 * competition's channel (CompetitionKeys.changes), in commit order. Every node's RedisStore
 * subscribes (changeSubscription.ts); server/store/changeFeed.ts turns them into board deltas.
 *
 * Wire format (JSON, built inside the script without re-encoding the stored rows):
 *   [{"board": id, "version": n, "rows": [[rowJson, rank, previousRank|null, previousTotal|null]*],
 *     "removed": [rowId*]}*]
 * `version` is the board's version after the commit; the commit covers exactly version − 1 → version.
 */
import type { BoardChange } from '../changeFeed.ts';

/** Pattern matching the change channel of every competition (for PSUBSCRIBE). */
export const CHANGES_PATTERN = 'podium:{*}:changes';

/** The competition id of a change channel, or null when `channel` is not one. */
export function competitionOfChannel(channel: string): string | null {
  const match = /^podium:\{([^{}]+)\}:changes$/.exec(channel);
  return match?.[1] ?? null;
}

/** Decode one published message: one BoardChange per board (the wire format is BoardChange[]). */
export function decodeChangeMessage(message: string): BoardChange[] {
  const boards = JSON.parse(message) as unknown;
  if (!Array.isArray(boards)) throw new Error('a change message is a JSON array');
  return boards as BoardChange[];
}
