/**
 * Boards: the rankings Podium keeps. One board per (event, round or 'overall', scope, category).
 * A board's rows are ordered by an exact, lexicographically sortable rank key (see scoring/rankKey.ts).
 */
import type { Outcome } from './model.ts';

export type BoardScope = 'individual' | 'team' | 'organisation';

export interface BoardRef {
  eventId: string;
  /** A round id, or 'overall' for the weighted combination of rounds. */
  roundId: string;
  scope: BoardScope;
  /** Only for individual boards restricted to one category (职工组, 学生组, …). */
  category?: string;
  /** Only for individual boards restricted to one venue's contestants (no category then). */
  venueId?: string;
  /**
   * Only for individual boards restricted to the contestants of one region's venues (no category
   * or venue then): the venues' `region` text (docs/VENUES.md, "Region boards").
   */
  region?: string;
}

/** The last part of a venue board's id: '@' never starts an encoded category (it encodes as %40). */
const VENUE_MARK = '@';
/** The last part of a region board's id, before the percent-encoded region: no venue id starts with '@'. */
const REGION_MARK = '@@';

/**
 * A board's stable string id, used in store keys, socket rooms and URLs: `event|round|scope[|category]`,
 * a venue's `event|round|individual|@venue`, a region's `event|round|individual|@@<encoded region>`.
 */
export function boardKey(ref: BoardRef): string {
  const base = `${ref.eventId}|${ref.roundId}|${ref.scope}`;
  if (ref.region !== undefined) return `${base}|${REGION_MARK}${encodeURIComponent(ref.region)}`;
  if (ref.venueId !== undefined) return `${base}|${VENUE_MARK}${ref.venueId}`;
  return ref.category === undefined ? base : `${base}|${encodeURIComponent(ref.category)}`;
}

export function parseBoardKey(key: string): BoardRef | null {
  const parts = key.split('|');
  if (parts.length < 3 || parts.length > 4) return null;
  const [eventId, roundId, scope, category] = parts;
  if (!eventId || !roundId || (scope !== 'individual' && scope !== 'team' && scope !== 'organisation')) {
    return null;
  }
  if (category === undefined) return { eventId, roundId, scope };
  if (category.startsWith(REGION_MARK)) {
    if (scope !== 'individual') return null;
    try {
      const region = decodeURIComponent(category.slice(REGION_MARK.length));
      return region === '' ? null : { eventId, roundId, scope, region };
    } catch {
      return null;
    }
  }
  if (category.startsWith(VENUE_MARK)) {
    const venueId = category.slice(VENUE_MARK.length);
    return /^[A-Za-z0-9_-]{1,64}$/.test(venueId) && scope === 'individual'
      ? { eventId, roundId, scope, venueId }
      : null;
  }
  try {
    return { eventId, roundId, scope, category: decodeURIComponent(category) };
  } catch {
    return null;
  }
}

/** One row of a board as stored: `id` is a contestant id, a team id or an organisation name. */
export interface BoardRow {
  id: string;
  /** Exact decimal string, rounded to the event's decimals. */
  total: string;
  /** False while some assigned judge has not marked yet: the total is provisional. */
  complete: boolean;
  outcome: Outcome;
  /** Lexicographic sort key; smaller sorts first (better). Equal keys share a rank. */
  rankKey: string;
  /** Signed by the chief judge (every counted sheet, every member); absent → provisional. */
  signed?: true;
  /** Some appeal against this result is open (not yet decided). */
  appealed?: true;
}

/**
 * A board row with its standard competition rank (1, 2, 2, 4); null for a dns/dnf/dsq row, which
 * has no placing (it sorts after every ranked row: dnf, dns, dsq, then by id).
 */
export interface RankedRow extends BoardRow {
  rank: number | null;
}

/** The rank a row at `position` (1-based, ties resolved) shows: its position, or null when not ok. */
export function rankAt(row: Pick<BoardRow, 'outcome'>, position: number): number | null {
  return row.outcome === 'ok' ? position : null;
}
