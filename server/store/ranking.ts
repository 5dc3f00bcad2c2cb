/**
 * How both stores order a board: every row is the string member `<rankKey>!<rowId>`, and members
 * are compared as plain strings (Redis: lexicographically, all sorted-set scores 0).
 *
 * Rank keys are ASCII letters and digits, smaller = better. The separator must sort BEFORE every
 * letter and digit: with a separator like '|' (0x7C) a rank key that is a prefix of another
 * ("12" < "123") would sort after it ("12|a" > "123|b"). '!' (0x21) is below '0' (0x30), so member
 * order always equals rank-key order, and `<rankKey>!` is an exclusive bound below all rows tied on
 * that rank key: the number of members smaller than it is the number of rows ranked strictly better.
 */
import { rankAt, type BoardRow, type RankedRow } from '../../shared/boards.ts';

export const MEMBER_SEPARATOR = '!';

const RANK_KEY = /^[A-Za-z0-9]{1,200}$/;

/** The sorted member of a row. */
export function boardMember(rankKey: string, rowId: string): string {
  return `${rankKey}${MEMBER_SEPARATOR}${rowId}`;
}

/** The string just below every member with this rank key (and above every better one). */
export function rankKeyFloor(rankKey: string): string {
  return `${rankKey}${MEMBER_SEPARATOR}`;
}

/** Throws unless a row can be stored: an ASCII letter/digit rank key and a non-empty row id. */
export function assertStorableRow(rowId: string, row: BoardRow): void {
  if (!RANK_KEY.test(row.rankKey)) {
    throw new Error(
      `Board row ${rowId}: rankKey must be 1-200 ASCII letters or digits, got "${row.rankKey}"`,
    );
  }
  if (rowId.length === 0) throw new Error('Board row id must not be empty');
}

/**
 * Standard competition ranks (1, 2, 2, 4) for a page of rows in board order, given how many rows
 * rank strictly better than the page's first row. Rows after the first take their position as
 * rank unless they tie with the row before them. dns/dnf/dsq rows get rank null (no placing).
 */
export function rankPage(betterThanFirst: number, offset: number, rows: readonly BoardRow[]): RankedRow[] {
  const ranked: RankedRow[] = [];
  let position = 0;
  rows.forEach((row, i) => {
    if (i === 0) position = betterThanFirst + 1;
    else if (rows[i - 1]?.rankKey !== row.rankKey) position = offset + i + 1;
    ranked.push({ ...row, rank: rankAt(row, position) });
  });
  return ranked;
}
