/**
 * How the big screen pages through a ranking. Settable per display in the address:
 *   rows=<rows per page, 3–40>   page=<ms per page, 3000–120000>   upto=<cycle only the first N places>
 * Without them the screen picks what suits the board's size: 10 rows for a small event, 12 for a
 * large one (still readable from the back of a hall at 1080p), and 6 s instead of 10 s per page
 * when there are more than ten pages.
 */
import { intParam } from '../lib/params.ts';

export interface Paging {
  /** Rows per page, or null to choose by the board's size. */
  rows: number | null;
  /** Time per page (ms), or null to choose by the number of pages. */
  pageMs: number | null;
  /** Cycle through the first `upto` places only (null: all). */
  upto: number | null;
}

/** The paging asked for in the page's address. */
export function readPaging(): Paging {
  const rows = intParam('rows', 0, 3, 40);
  const pageMs = intParam('page', 0, 3_000, 120_000);
  const upto = intParam('upto', 0, 3, 1_000_000);
  return { rows: rows || null, pageMs: pageMs || null, upto: upto || null };
}

/** Rows per page for a board of `count` rows. */
export function rowsPerPage(paging: Paging, count: number): number {
  if (paging.rows !== null) return paging.rows;
  return count <= 40 ? 10 : 12;
}

/** Time per page for `pages` pages: 10 s for a few, 6 s when there are many to get through. */
export function pageTime(paging: Paging, pages: number): number {
  if (paging.pageMs !== null) return paging.pageMs;
  return pages <= 10 ? 10_000 : 6_000;
}
