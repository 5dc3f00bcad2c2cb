/**
 * Rank over time (issue #16, item 4; docs/RULES.md, "Rank over time"): the rank and total of
 * every row of one board after each change of the board, from the board's changes in log order
 * (the server replays the stored log into them, server/domain/rankHistory.ts), and the biggest
 * movers over a recent window. Ranks are the board's own: standard competition ranks of the rank
 * keys (scoring/rankRows.ts) — kept in a sorted array, so a change costs O(rows), not a sort.
 */
import { rankAt, type BoardRow } from '../boards.ts';
import { compareByteOrder } from '../scoring/rankRows.ts';

/** One change of a board (one log entry): rows replaced or (null) removed. */
export interface BoardStep {
  at: number;
  updates: ReadonlyArray<{ rowId: string; row: BoardRow | null }>;
}

/** A row's rank and total after a change of the board; rank null: no placing (or off the board). */
export interface RankPoint {
  at: number;
  rank: number | null;
  total: string | null;
}

function before(a: BoardRow, b: BoardRow): number {
  return compareByteOrder(a.rankKey, b.rankKey) || compareByteOrder(a.id, b.id);
}

/** Index of the first row not before `row` in the sorted array. */
function lowerBound(sorted: readonly BoardRow[], row: BoardRow): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(sorted[mid] as BoardRow, row) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Each row's points: one after every step that changed its rank or total (a step that changes
 * neither adds nothing). Steps are applied one at a time, so a server can keep a board's timeline
 * and add the steps of new log entries only. `only`: keep points of these rows alone (the others
 * still rank).
 */
export class RankTimeline {
  readonly timelines = new Map<string, RankPoint[]>();
  readonly #current = new Map<string, BoardRow>();
  readonly #sorted: BoardRow[] = [];
  readonly #only: ReadonlySet<string> | null;

  constructor(only: ReadonlySet<string> | null = null) {
    this.#only = only;
  }

  #push(id: string, point: RankPoint): void {
    if (this.#only !== null && !this.#only.has(id)) return;
    const series = this.timelines.get(id);
    const last = series?.at(-1);
    if (last !== undefined && last.rank === point.rank && last.total === point.total) return;
    if (series === undefined) this.timelines.set(id, [point]);
    else series.push(point);
  }

  apply(step: BoardStep): void {
    const sorted = this.#sorted;
    const removed: string[] = [];
    for (const { rowId, row } of step.updates) {
      const old = this.#current.get(rowId);
      if (old !== undefined) sorted.splice(lowerBound(sorted, old), 1);
      if (row === null) {
        this.#current.delete(rowId);
        if (old !== undefined) removed.push(rowId);
        continue;
      }
      this.#current.set(rowId, row);
      sorted.splice(lowerBound(sorted, row), 0, row);
    }
    let rank = 0;
    sorted.forEach((row, i) => {
      if (i === 0 || row.rankKey !== sorted[i - 1]?.rankKey) rank = i + 1;
      this.#push(row.id, { at: step.at, rank: rankAt(row, rank), total: row.total });
    });
    for (const id of removed)
      if (this.timelines.has(id)) this.#push(id, { at: step.at, rank: null, total: null });
  }
}

/** The timelines of a whole sequence of steps (see RankTimeline). */
export function rankTimelines(
  steps: Iterable<BoardStep>,
  only: ReadonlySet<string> | null = null,
): Map<string, RankPoint[]> {
  const timeline = new RankTimeline(only);
  for (const step of steps) timeline.apply(step);
  return timeline.timelines;
}

/** A row that moved: `from` its rank at the window's start `to` its rank now; delta > 0 = up. */
export interface Mover {
  id: string;
  from: number;
  to: number;
  delta: number;
}

/** The rank a timeline shows at `at` (its last point at or before it); undefined before its first point. */
export function rankAtTime(points: readonly RankPoint[], at: number): number | null | undefined {
  let found: number | null | undefined;
  for (const p of points) {
    if (p.at > at) break;
    found = p.rank;
  }
  return found;
}

/**
 * The rows whose rank changed most between `since` and their latest point. A row's rank at the
 * start is its rank at `since`, or, for a row that arrived on the board inside the window, its
 * first rank there; rows without a placing at either end are left out. Largest |delta| first,
 * then climbs before falls, then the better rank now, then id. At most `limit`.
 */
export function biggestMovers(
  timelines: ReadonlyMap<string, readonly RankPoint[]>,
  since: number,
  limit: number,
): Mover[] {
  const movers: Mover[] = [];
  for (const [id, points] of timelines) {
    const from = rankAtTime(points, since) ?? points.find((p) => p.at > since)?.rank;
    const to = points.at(-1)?.rank;
    if (from === undefined || from === null || to === undefined || to === null || from === to) continue;
    movers.push({ id, from, to, delta: from - to });
  }
  movers.sort(
    (a, b) =>
      Math.abs(b.delta) - Math.abs(a.delta) ||
      b.delta - a.delta ||
      a.to - b.to ||
      compareByteOrder(a.id, b.id),
  );
  return movers.slice(0, Math.max(0, limit));
}

/** The answer of GET /api/competitions/:id/rank-history (docs/API.md, "Rank over time"). */
export interface RankHistoryAnswer {
  ok: true;
  competitionId: string;
  board: string;
  contestantId: string;
  /** The caller sees the board frozen: the points end at the freeze. */
  frozen: boolean;
  /** The caller sees no rows of this event (embargo): no points. */
  embargoed: boolean;
  points: RankPoint[];
}

/** The answer of GET /api/competitions/:id/movers (docs/API.md, "Rank over time"). */
export interface MoversAnswer {
  ok: true;
  competitionId: string;
  board: string;
  frozen: boolean;
  embargoed: boolean;
  /** The window's start (ms since the epoch): ranks then are compared with ranks now. */
  since: number;
  movers: Mover[];
}
