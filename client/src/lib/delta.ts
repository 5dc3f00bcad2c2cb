/** Pure board arithmetic shared by live boards: whether to apply a delta, and applying it to ranked rows. */
import type { BoardRow, RankedRow } from '../../../shared/boards.ts';
import type { BoardDelta } from '../../../shared/events.ts';
import { rankRows } from '../../../shared/scoring/rankRows.ts';

/** Rows after a delta (changed rows replaced or added, removed ids dropped), re-ranked by rank key. */
export function applyDelta(
  rows: readonly RankedRow[],
  delta: Pick<BoardDelta, 'rows' | 'removed'>,
): RankedRow[] {
  const byId = new Map<string, BoardRow>(rows.map((row) => [row.id, row]));
  for (const id of delta.removed) byId.delete(id);
  for (const { id, total, complete, outcome, rankKey, signed, appealed } of delta.rows) {
    const row: BoardRow = { id, total, complete, outcome, rankKey };
    if (signed === true) row.signed = true;
    if (appealed === true) row.appealed = true;
    byId.set(id, row);
  }
  return rankRows([...byId.values()]);
}

/** What a live board does with an incoming delta. */
export type DeltaDecision = 'apply' | 'stale' | 'gap';

/**
 * Whether a delta can be applied to a board held at `version`. Delta rows and removals are final
 * row states (not increments), so a delta that overlaps what we hold (prev <= version <
 * delta.version) is safe to apply: rows we already have are just written again with their latest
 * state. A delta ending at or before our version is stale; only one starting after our version
 * (prev > version) skipped changes we never saw, and then only a snapshot is trustworthy.
 */
export function deltaDecision(version: number, delta: Pick<BoardDelta, 'prev' | 'version'>): DeltaDecision {
  if (delta.version <= version) return 'stale';
  return delta.prev > version ? 'gap' : 'apply';
}

/** A lookup of items by id. */
export function indexById<T extends { id: string }>(items: readonly T[]): ReadonlyMap<string, T> {
  return new Map(items.map((item) => [item.id, item]));
}

/**
 * Ids of rows that are new or whose total, outcome or completeness differ between two rankings.
 * Rows only pushed down by someone else's rise are not "changed": a reveal step flashes one row.
 */
export function changedIds(before: readonly RankedRow[], after: readonly RankedRow[]): string[] {
  const old = new Map(before.map((row) => [row.id, row]));
  return after
    .filter((row) => {
      const was = old.get(row.id);
      return (
        was === undefined ||
        was.total !== row.total ||
        was.outcome !== row.outcome ||
        was.complete !== row.complete
      );
    })
    .map((row) => row.id);
}
